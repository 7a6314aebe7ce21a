// What the read-only stand-in served (provider configure, github_user,
// github_team, getBranch, getRef, getRelease) the stateful one serves too, in
// the shapes GitHub's description documents: it can replace it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stateFixtureFromStacks } from "../engine/githubStateFixture";
import { GitHubStateStandIn, idOf } from "../engine/githubState";
import { MissingTagError, tagCommit } from "../../src/pipeline";
import { call, field, fixture, startStandIn } from "./client";

let github: GitHubStateStandIn;
const repo = `/repos/${fixture.owner}/${fixture.repository}`;

beforeAll(async () => {
  github = await startStandIn();
});

afterAll(async () => {
  await github.stop();
});

describe("the reads a preview makes", () => {
  it("answers the organization, its plan, teams and users, with the old stand-in's ids", async () => {
    const org = await call(github, "GET", "/orgs/acme");
    expect(org.status).toBe(200);
    expect(field(org.body, "id")).toBe(idOf("acme"));
    expect(field(org.body, "plan", "name")).toBe("enterprise");
    expect(field((await call(github, "GET", "/orgs/acme/teams/release-managers")).body, "id")).toBe(idOf("team:release-managers"));
    expect(field((await call(github, "GET", "/users/octocat")).body, "id")).toBe(idOf("user:octocat"));
    expect((await call(github, "GET", "/users/octocat/gpg_keys")).body).toEqual([]);
    expect((await call(github, "GET", "/users/octocat/keys")).body).toEqual([]);
  });

  it("answers 404 for who does not exist", async () => {
    expect((await call(github, "GET", "/orgs/other")).status).toBe(404);
    expect((await call(github, "GET", "/orgs/acme/teams/nobody")).status).toBe(404);
    expect((await call(github, "GET", "/users/nobody")).status).toBe(404);
    expect((await call(github, "GET", "/repos/acme/other")).status).toBe(404);
  });

  it("answers the repository (id, default branch, visibility) and its refs and latest release", async () => {
    const r = await call(github, "GET", repo);
    expect(field(r.body, "id")).toBe(github.repositoryId);
    expect(field(r.body, "default_branch")).toBe("main");
    expect(field(r.body, "private")).toBe(true);
    expect(field((await call(github, "GET", `${repo}/git/ref/heads/main`)).body, "object", "sha")).toBe(fixture.branches["main"]);
    expect(field((await call(github, "GET", `${repo}/git/ref/tags/v1.4.2`)).body, "object", "sha")).toBe(
      "89e6c98d92887913cadf06b2adb97f26cde4849b",
    );
    expect((await call(github, "GET", `${repo}/git/ref/heads/nope`)).status).toBe(404);
    // "latest" skips the pre-release listed first.
    expect(field((await call(github, "GET", `${repo}/releases/latest`)).body, "tag_name")).toBe("v1.4.2");
    expect(field((await call(github, "GET", `${repo}/branches/develop`)).body, "commit", "sha")).toBe(fixture.branches["develop"]);
  });

  it("answers an annotated tag's ref with its tag object, and the tag object with the commit, as tagCommit walks them", async () => {
    const annotated = await startStandIn({
      releases: [{ tag: "v2.0.0", sha: "89e6c98d92887913cadf06b2adb97f26cde4849b", annotated: true }],
    });
    try {
      const ref = await call(annotated, "GET", `${repo}/git/ref/tags/v2.0.0`);
      expect(field(ref.body, "object", "type")).toBe("tag");
      const object = String(field(ref.body, "object", "sha"));
      expect(object).toMatch(/^[0-9a-f]{40}$/);
      expect(object).not.toBe("89e6c98d92887913cadf06b2adb97f26cde4849b");
      const tag = await call(annotated, "GET", `${repo}/git/tags/${object}`);
      expect(tag.body).toMatchObject({
        tag: "v2.0.0",
        sha: object,
        object: { type: "commit", sha: "89e6c98d92887913cadf06b2adb97f26cde4849b" },
      });
      expect((await call(annotated, "GET", `${repo}/git/tags/${"0".repeat(40)}`)).status).toBe(404);
      // The program's own walk, through the REST answers as the provider's getRestApi hands them over.
      const read = async (endpoint: string) => {
        const answer = await call(annotated, "GET", `/${endpoint}`);
        return { code: answer.status, body: JSON.stringify(answer.body) };
      };
      expect(await tagCommit("v2.0.0", fixture.owner, fixture.repository, read)).toBe("89e6c98d92887913cadf06b2adb97f26cde4849b");
      await expect(tagCommit("v9.9.9", fixture.owner, fixture.repository, read)).rejects.toBeInstanceOf(MissingTagError);
      expect(annotated.violations).toEqual([]);
    } finally {
      await annotated.stop();
    }
  });

  it("answers a release by tag (a pre-release says so) and by id, 404 for a tag that is no release", async () => {
    const rc = await call(github, "GET", `${repo}/releases/tags/v1.5.0-rc.1`);
    expect(rc.body).toMatchObject({ tag_name: "v1.5.0-rc.1", prerelease: true, draft: false });
    const id = field((await call(github, "GET", `${repo}/releases/tags/v1.4.2`)).body, "id") as number;
    expect(field((await call(github, "GET", `${repo}/releases/${String(id)}`)).body, "prerelease")).toBe(false);
    expect((await call(github, "GET", `${repo}/releases/tags/v9.9.9`)).status).toBe(404);
  });

  it("is case-insensitive in owner and repository names, as GitHub is", async () => {
    expect((await call(github, "GET", "/repos/ACME/Learning-Voice-Agent")).status).toBe(200);
  });

  it("answers a conditional read 304 when nothing changed, as GitHub does (the provider sends If-None-Match for rulesets)", async () => {
    const first = await call(github, "GET", "/orgs/acme");
    const etag = first.headers.get("etag") ?? "";
    expect(etag).toMatch(/^W\/"/);
    expect((await call(github, "GET", "/orgs/acme", undefined, { "if-none-match": etag })).status).toBe(304);
  });

  it("records every call with its documented operation and the token it carried", () => {
    expect(github.calls.length).toBeGreaterThan(10);
    expect(github.calls.every((c) => c.authorization === "Bearer test-token")).toBe(true);
    expect(github.calls.find((c) => c.path === "/api/v3/orgs/acme")?.operation).toBe("GET /orgs/{org}");
  });

  it("gave only answers GitHub's description allows, and was asked nothing it does not model", () => {
    expect(github.violations).toEqual([]);
    expect(github.unexpected).toEqual([]);
  });
});

describe("a personal account as owner", () => {
  it("has no organization: GET /orgs answers 404 and GET /users the owner, as the provider's configure expects", async () => {
    const personal = await startStandIn({ ownerType: "User", plan: "pro" });
    try {
      expect((await call(personal, "GET", "/orgs/acme")).status).toBe(404);
      expect(field((await call(personal, "GET", "/users/acme")).body, "type")).toBe("User");
      expect((await call(personal, "GET", "/orgs/acme/teams/release-managers")).status).toBe(404);
      expect(personal.violations).toEqual([]);
    } finally {
      await personal.stop();
    }
  });
});

describe("the fixture from the committed stacks", () => {
  it("takes owner, repository, branches, reviewers, visibility, plan and the delivery App from the stack files", () => {
    const f = stateFixtureFromStacks();
    expect(`${f.owner}/${f.repository}`).toBe("acme/learning-voice-agent");
    expect(Object.keys(f.branches)).toEqual(expect.arrayContaining(["main", "develop"]));
    expect(f.visibility).toBe("private");
    expect(f.plan).toBe("enterprise");
    expect(f.users).toContain("octocat");
    expect(f.teams).toContain("release-managers");
    expect(f.tokenActor).toEqual({ type: "Integration", id: 1234567 });
  });
});
