// The stand-in checks every request against GitHub's OpenAPI description: a
// request GitHub would reject as malformed is refused as GitHub would and
// recorded, so the engine suite can assert there were none.
import { afterEach, describe, expect, it } from "vitest";
import type { GitHubStateStandIn } from "../engine/githubState";
import { call, field, fixture, startStandIn } from "./client";

const repo = `/repos/${fixture.owner}/${fixture.repository}`;

let github: GitHubStateStandIn | undefined;
async function standIn(overrides: Parameters<typeof startStandIn>[0] = {}): Promise<GitHubStateStandIn> {
  github = await startStandIn(overrides);
  return github;
}

afterEach(async () => {
  await github?.stop();
  github = undefined;
});

describe("a malformed request", () => {
  it("is refused 422 with GitHub's validation error, changes nothing, and is recorded as a request violation", async () => {
    const gh = await standIn();
    const reply = await call(gh, "PUT", `${repo}/environments/production`, { wait_timer: "5", reviewers: null, colour: "blue" });
    expect(reply.status).toBe(422);
    expect(field(reply.body, "message")).toMatch(/^Invalid request\./);
    expect(gh.environment("production")).toBeUndefined();
    expect(gh.violations).toHaveLength(1);
    expect(gh.violations[0]).toMatchObject({
      kind: "request",
      method: "PUT",
      operation: "PUT /repos/{owner}/{repo}/environments/{environment_name}",
    });
    expect(gh.violations[0]?.message).toMatch(/colour/);
  });

  it("with a body that is not JSON is refused 400 'Problems parsing JSON'", async () => {
    const gh = await standIn();
    const reply = await call(gh, "POST", `${repo}/actions/variables`, "{name: ");
    expect(reply.status).toBe(400);
    expect(field(reply.body, "message")).toBe("Problems parsing JSON");
    expect(gh.violations.map((v) => v.kind)).toEqual(["request"]);
  });

  it("missing what GitHub requires (a file write without a message) is refused", async () => {
    const gh = await standIn();
    expect((await call(gh, "PUT", `${repo}/contents/README.md`, { content: "eA==" })).status).toBe(422);
    expect(gh.violations[0]?.message).toMatch(/message/);
    expect(gh.file("README.md")).toBeUndefined();
  });

  it("to a path GitHub does not have is answered 404 and recorded", async () => {
    const gh = await standIn();
    expect((await call(gh, "POST", `${repo}/environments/production`, {})).status).toBe(404);
    expect(gh.violations).toEqual([expect.objectContaining({ kind: "request", operation: undefined })]);
  });
});

describe("what the stand-in does not model", () => {
  it("a documented operation it does not model is answered 501 and listed in unexpected, not a violation", async () => {
    const gh = await standIn();
    expect((await call(gh, "GET", `${repo}/pulls`)).status).toBe(501);
    expect(gh.unexpected.map((c) => c.operation)).toEqual(["GET /repos/{owner}/{repo}/pulls"]);
    expect(gh.violations).toEqual([]);
  });

  it("a path outside /api/v3 (not GitHub Enterprise) is answered 501", async () => {
    const gh = await standIn();
    const response = await fetch(`${gh.baseUrl}repos/acme/learning-voice-agent`);
    expect(response.status).toBe(501);
    expect(gh.unexpected).toHaveLength(1);
  });
});

describe("the description it checks against", () => {
  it("can be api.github.com's instead of GHES 3.19's, with the same paths", async () => {
    const gh = await standIn({ description: "api.github.com" });
    expect(
      (
        await call(gh, "PUT", `${repo}/environments/staging`, {
          wait_timer: 0,
          reviewers: null,
          can_admins_bypass: true,
          deployment_branch_policy: null,
          prevent_self_review: false,
        })
      ).status,
    ).toBe(200);
    expect((await call(gh, "GET", repo)).status).toBe(200);
    expect(gh.violations).toEqual([]);
  });
});
