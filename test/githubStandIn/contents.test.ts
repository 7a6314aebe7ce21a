// File contents as resource_github_repository_file writes and reads them:
// GET the branch, GET contents?ref= (404: a new file), PUT with the blob sha
// when replacing, GET commits/{sha}; every write a commit that moves the
// branch head; one write at a time per branch.
import { describe, expect, it } from "vitest";
import { call, field, fixture, useStandIn, pullRequestRule } from "./client";

const repo = `/repos/${fixture.owner}/${fixture.repository}`;
const path = ".github/workflows/test.yml";
const b64 = (text: string): string => Buffer.from(text).toString("base64");

const standIn = useStandIn();

describe("contents", () => {
  it("creates a file as a commit on the branch (201), whose head, ref and contents then show it", async () => {
    const gh = await standIn();
    const before = gh.head("main");
    expect((await call(gh, "GET", `${repo}/branches/main`)).status).toBe(200);
    expect((await call(gh, "GET", `${repo}/contents/${path}?ref=main`)).status).toBe(404);
    const created = await call(gh, "PUT", `${repo}/contents/${path}`, {
      message: "chore(delivery): update test.yml [skip ci]",
      content: b64("name: test\n"),
      branch: "main",
    });
    expect(created.status).toBe(201);
    const commitSha = String(field(created.body, "commit", "sha"));
    expect(field(created.body, "commit", "parents", 0, "sha")).toBe(before);
    expect(gh.head("main")).toBe(commitSha);
    expect(gh.head("develop")).toBe(before);
    expect(field((await call(gh, "GET", `${repo}/git/ref/heads/main`)).body, "object", "sha")).toBe(commitSha);
    expect(field((await call(gh, "GET", `${repo}/branches/main`)).body, "commit", "sha")).toBe(commitSha);

    const got = await call(gh, "GET", `${repo}/contents/${path}?ref=main`);
    expect(got.body).toMatchObject({ type: "file", encoding: "base64", path, sha: field(created.body, "content", "sha") });
    expect(Buffer.from(String(field(got.body, "content")), "base64").toString()).toBe("name: test\n");
    // The provider reads `ref` back from the url's query.
    expect(new URL(String(field(got.body, "url"))).searchParams.get("ref")).toBe("main");
    const commit = await call(gh, "GET", `${repo}/commits/${commitSha}`);
    expect(field(commit.body, "commit", "message")).toBe("chore(delivery): update test.yml [skip ci]");
    expect(field(commit.body, "commit", "committer", "name")).toBe("GitHub");
    expect(gh.history("main").map((c) => c.message)).toEqual(["chore(delivery): update test.yml [skip ci]", "Initial commit"]);
    expect(gh.file(path)).toBe("name: test\n");
    expect(gh.file(path, "develop")).toBeUndefined();
  });

  it("lists a directory, finds the commits that touched a path (the provider's import), and reads by commit sha", async () => {
    const gh = await standIn();
    const first = await call(gh, "PUT", `${repo}/contents/${path}`, { message: "a", content: b64("1"), branch: "main" });
    await call(gh, "PUT", `${repo}/contents/.github/dependabot.yml`, { message: "b", content: b64("2"), branch: "main" });
    const listing = await call(gh, "GET", `${repo}/contents/.github?ref=main`);
    expect((listing.body as { name: string; type: string }[]).map((e) => [e.name, e.type])).toEqual([
      ["workflows", "dir"],
      ["dependabot.yml", "file"],
    ]);
    const commits = await call(gh, "GET", `${repo}/commits?sha=main&path=${encodeURIComponent(path)}`);
    expect((commits.body as unknown[]).map((c) => field(c, "sha"))).toEqual([field(first.body, "commit", "sha")]);
    expect((await call(gh, "GET", `${repo}/contents/${path}?ref=${String(field(first.body, "commit", "sha"))}`)).status).toBe(200);
  });

  it("lists a branch's history newest first with each commit's parents, paged as GitHub pages it; an unknown sha is 404", async () => {
    const gh = await standIn();
    const root = gh.head("main") ?? "";
    const shas: string[] = [];
    for (const n of [1, 2, 3]) {
      const put = await call(gh, "PUT", `${repo}/contents/f${String(n)}.yml`, {
        message: `chore(delivery): update f${String(n)}.yml [skip ci]`,
        content: b64(String(n)),
        branch: "main",
      });
      shas.unshift(String(field(put.body, "commit", "sha")));
    }
    const all = await call(gh, "GET", `${repo}/commits?sha=main&per_page=100`);
    expect((all.body as unknown[]).map((c) => [field(c, "sha"), field(c, "parents", 0, "sha")])).toEqual([
      [shas[0], shas[1]],
      [shas[1], shas[2]],
      [shas[2], root],
      [root, undefined],
    ]);
    expect(field(all.body, 0, "commit", "message")).toBe("chore(delivery): update f3.yml [skip ci]");
    expect(all.headers.get("link")).toBeNull();
    expect(all.headers.get("x-github-request-id")).toMatch(/\S/);
    // From a given commit, two at a time, with a Link to the next page.
    const first = await call(gh, "GET", `${repo}/commits?sha=${shas[1] ?? ""}&per_page=2`);
    expect((first.body as unknown[]).map((c) => field(c, "sha"))).toEqual([shas[1], shas[2]]);
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get("link") ?? "")?.[1] ?? "";
    const second = await call(gh, "GET", next.slice(next.indexOf("/api/v3") + "/api/v3".length));
    expect((second.body as unknown[]).map((c) => field(c, "sha"))).toEqual([root]);
    const unknown = await call(gh, "GET", `${repo}/commits?sha=${"e".repeat(40)}`);
    expect(unknown.status).toBe(404);
    expect(field(unknown.body, "message")).toBe(`No commit found for SHA: ${"e".repeat(40)}`);
  });

  it("replaces a file only with its current blob sha: 422 without one, 409 with a stale one, 200 with the right one", async () => {
    const gh = await standIn();
    const created = await call(gh, "PUT", `${repo}/contents/${path}`, { message: "add", content: b64("v1"), branch: "main" });
    const sha = String(field(created.body, "content", "sha"));
    const missing = await call(gh, "PUT", `${repo}/contents/${path}`, { message: "update", content: b64("v2"), branch: "main" });
    expect(missing.status).toBe(422);
    expect(field(missing.body, "message")).toBe('Invalid request.\n\n"sha" wasn\'t supplied.');
    const stale = await call(gh, "PUT", `${repo}/contents/${path}`, {
      message: "update",
      content: b64("v2"),
      branch: "main",
      sha: "0".repeat(40),
    });
    expect(stale.status).toBe(409);
    expect(field(stale.body, "message")).toBe(`${path} does not match ${"0".repeat(40)}`);
    expect((await call(gh, "PUT", `${repo}/contents/${path}`, { message: "update", content: b64("v2"), branch: "main", sha })).status).toBe(
      200,
    );
    expect(gh.file(path)).toBe("v2");
  });

  it("takes one write at a time per branch: a concurrent write gets GitHub's 409 'is at <new> but expected <old>'", async () => {
    const gh = await standIn({ contentWriteMs: 80 });
    const before = gh.head("main") ?? "";
    const [a, b] = await Promise.all([
      call(gh, "PUT", `${repo}/contents/.github/workflows/a.yml`, { message: "a", content: b64("a"), branch: "main" }),
      call(gh, "PUT", `${repo}/contents/.github/workflows/b.yml`, { message: "b", content: b64("b"), branch: "main" }),
    ]);
    expect([a.status, b.status].sort((x, y) => x - y)).toEqual([201, 409]);
    const refused = a.status === 409 ? a : b;
    const landed = a.status === 409 ? b : a;
    expect(field(refused.body, "message")).toBe(`is at ${String(field(landed.body, "commit", "sha"))} but expected ${before}`);
    expect(gh.history("main")).toHaveLength(2);
    // Another branch is another ref: writes to it do not collide.
    const [c, d] = await Promise.all([
      call(gh, "PUT", `${repo}/contents/c.yml`, { message: "c", content: b64("c"), branch: "main" }),
      call(gh, "PUT", `${repo}/contents/d.yml`, { message: "d", content: b64("d"), branch: "develop" }),
    ]);
    expect([c.status, d.status]).toEqual([201, 201]);
  });

  it("deletes with the blob sha (200, content null), and refuses a stale sha (409) or a missing file (404)", async () => {
    const gh = await standIn();
    const created = await call(gh, "PUT", `${repo}/contents/${path}`, { message: "add", content: b64("x"), branch: "main" });
    const sha = String(field(created.body, "content", "sha"));
    expect((await call(gh, "DELETE", `${repo}/contents/${path}`, { message: "rm", sha: "1".repeat(40), branch: "main" })).status).toBe(409);
    const deleted = await call(gh, "DELETE", `${repo}/contents/${path}`, { message: "rm", sha, branch: "main" });
    expect(deleted.status).toBe(200);
    expect(field(deleted.body, "content")).toBeNull();
    expect((await call(gh, "DELETE", `${repo}/contents/${path}`, { message: "rm", sha, branch: "main" })).status).toBe(404);
    expect(gh.file(path)).toBeUndefined();
    expect(gh.leftovers()).toEqual([]);
    expect(gh.history("main").map((c) => c.changed)).toEqual([[{ path, status: "removed" }], [{ path, status: "added" }], []]);
  });

  it("refuses a branch that does not exist (404)", async () => {
    const gh = await standIn();
    expect((await call(gh, "GET", `${repo}/branches/nope`)).status).toBe(404);
    expect((await call(gh, "PUT", `${repo}/contents/${path}`, { message: "m", content: b64("x"), branch: "nope" })).status).toBe(404);
  });

  it("starts from the fixture's files, and lists what differs from them", async () => {
    const gh = await standIn({ files: { main: { [path]: "hand-written\n" }, develop: { [path]: "hand-written\n" } } });
    const existing = await call(gh, "GET", `${repo}/contents/${path}?ref=main`);
    expect(existing.status).toBe(200);
    // overwrite_on_create: the provider PUTs with the existing file's sha.
    await call(gh, "PUT", `${repo}/contents/${path}`, {
      message: "take over",
      content: b64("generated\n"),
      branch: "main",
      sha: field(existing.body, "sha"),
    });
    expect(gh.leftovers()).toEqual([`file ${path} on main (changed)`]);
    const now = await call(gh, "GET", `${repo}/contents/${path}?ref=main`);
    await call(gh, "DELETE", `${repo}/contents/${path}`, { message: "destroy", sha: field(now.body, "sha"), branch: "main" });
    expect(gh.leftovers()).toEqual([`file ${path} on main (deleted)`]);
  });

  describe("rulesets on the branch", () => {
    const ruleset = (enforcement: string, include = ["refs/heads/main"]) => ({
      name: "main",
      target: "branch",
      enforcement,
      bypass_actors: [{ actor_id: 1234567, actor_type: "Integration", bypass_mode: "always" }],
      conditions: { ref_name: { include, exclude: [] } },
      rules: [
        pullRequestRule,
        {
          type: "required_status_checks",
          parameters: { required_status_checks: [{ context: "lint" }], strict_required_status_checks_policy: true },
        },
      ],
    });
    const write = { message: "m", content: b64("x"), branch: "main" };

    it("stop a direct commit by an actor who may not bypass them (409, GitHub's rule-violation message)", async () => {
      const gh = await standIn({ tokenActor: { type: "User" } });
      await call(gh, "POST", `${repo}/rulesets`, ruleset("active"));
      const refused = await call(gh, "PUT", `${repo}/contents/${path}`, write);
      expect(refused.status).toBe(409);
      expect(field(refused.body, "message")).toBe(
        'Repository rule violations found\n\nChanges must be made through a pull request.\n\nRequired status check "lint" is expected.\n\n',
      );
      expect(gh.file(path)).toBeUndefined();
      // Another branch is not covered.
      expect((await call(gh, "PUT", `${repo}/contents/${path}`, { ...write, branch: "develop" })).status).toBe(201);
    });

    it("let the GitHub App in the bypass list commit (the deploy workflows' token)", async () => {
      const gh = await standIn({ tokenActor: { type: "Integration", id: 1234567 } });
      await call(gh, "POST", `${repo}/rulesets`, ruleset("active", ["~DEFAULT_BRANCH"]));
      expect((await call(gh, "PUT", `${repo}/contents/${path}`, write)).status).toBe(201);
    });

    it("do not stop anything while evaluated or disabled, or where their patterns do not reach", async () => {
      const gh = await standIn({ tokenActor: { type: "User" } });
      await call(gh, "POST", `${repo}/rulesets`, ruleset("evaluate"));
      expect((await call(gh, "PUT", `${repo}/contents/a.yml`, write)).status).toBe(201);
      await call(gh, "POST", `${repo}/rulesets`, { ...ruleset("active", ["refs/heads/release/*"]), name: "release" });
      expect((await call(gh, "PUT", `${repo}/contents/b.yml`, write)).status).toBe(201);
    });
  });
});
