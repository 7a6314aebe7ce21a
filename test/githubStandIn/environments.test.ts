// Deployment environments and their branch/tag policies, as the provider
// writes them (go-github CreateUpdateEnvironment always sends wait_timer,
// reviewers, can_admins_bypass, deployment_branch_policy, prevent_self_review),
// and what GitHub refuses.
import { afterEach, describe, expect, it } from "vitest";
import { idOf, type GitHubStateStandIn } from "../engine/githubState";
import { call, field, fixture, startStandIn } from "./client";

const repo = `/repos/${fixture.owner}/${fixture.repository}`;
const octocat = idOf("user:octocat");
const hubot = idOf("user:hubot");
const releaseManagers = idOf("team:release-managers");

/** The body go-github marshals for the production environment of the shipped stack. */
const production = {
  wait_timer: 5,
  reviewers: [
    { type: "Team", id: releaseManagers },
    { type: "User", id: octocat },
  ],
  can_admins_bypass: false,
  deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
  prevent_self_review: true,
};
/** And for staging: no reviewers (null), no wait timer (0), no policy (null). */
const staging = { wait_timer: 0, reviewers: null, can_admins_bypass: true, deployment_branch_policy: null, prevent_self_review: false };

let github: GitHubStateStandIn | undefined;
async function standIn(overrides: Parameters<typeof startStandIn>[0] = {}): Promise<GitHubStateStandIn> {
  github = await startStandIn(overrides);
  return github;
}

afterEach(async () => {
  // Every answer of every test stayed inside GitHub's description.
  expect(github?.violations).toEqual([]);
  await github?.stop();
  github = undefined;
});

describe("environments", () => {
  it("creates one with reviewers, wait timer and custom policies, and reads it back as GitHub does", async () => {
    const gh = await standIn();
    const put = await call(gh, "PUT", `${repo}/environments/production`, production);
    expect(put.status).toBe(200);
    const got = await call(gh, "GET", `${repo}/environments/production`);
    expect(got.status).toBe(200);
    expect(field(got.body, "can_admins_bypass")).toBe(false);
    expect(field(got.body, "deployment_branch_policy")).toEqual({ protected_branches: false, custom_branch_policies: true });
    const rules = field(got.body, "protection_rules") as { type: string }[];
    expect(rules.map((r) => r.type)).toEqual(["wait_timer", "required_reviewers", "branch_policy"]);
    expect(field(rules[0], "wait_timer")).toBe(5);
    expect(field(rules[1], "prevent_self_review")).toBe(true);
    // What the provider's read decodes: reviewer type and the reviewer's id.
    expect((field(rules[1], "reviewers") as unknown[]).map((r) => [field(r, "type"), field(r, "reviewer", "id")])).toEqual([
      ["Team", releaseManagers],
      ["User", octocat],
    ]);
    expect(gh.environment("production")).toMatchObject({ waitTimer: 5, canAdminsBypass: false, preventSelfReview: true });
  });

  it("lists no protection rule GitHub would not show (no wait timer at 0, no reviewers, all branches)", async () => {
    const gh = await standIn();
    expect((await call(gh, "PUT", `${repo}/environments/staging`, staging)).status).toBe(200);
    const got = await call(gh, "GET", `${repo}/environments/staging`);
    expect(field(got.body, "protection_rules")).toEqual([]);
    expect(field(got.body, "deployment_branch_policy")).toBeNull();
  });

  it("updates in place, and deletes (404 after, 404 for what never existed)", async () => {
    const gh = await standIn();
    await call(gh, "PUT", `${repo}/environments/production`, production);
    const id = gh.environment("production")?.id;
    expect((await call(gh, "PUT", `${repo}/environments/production`, { ...production, wait_timer: 10 })).status).toBe(200);
    expect(gh.environment("production")).toMatchObject({ id, waitTimer: 10 });
    expect((await call(gh, "DELETE", `${repo}/environments/production`)).status).toBe(204);
    expect((await call(gh, "GET", `${repo}/environments/production`)).status).toBe(404);
    expect((await call(gh, "DELETE", `${repo}/environments/production`)).status).toBe(404);
    expect(gh.leftovers()).toEqual([]);
  });

  describe("refuses what GitHub refuses", () => {
    it("required reviewers and wait timers on a private repository below Enterprise (422), then takes go-github's fallback body", async () => {
      const gh = await standIn({ plan: "team" });
      const refused = await call(gh, "PUT", `${repo}/environments/production`, production);
      expect(refused.status).toBe(422);
      expect(field(refused.body, "message")).toMatch(
        /^Failed to create the environment protection rule\. Please ensure the billing plan supports the required reviewers protection rule\./,
      );
      // Even at their defaults: go-github then retries with the branch policy alone.
      expect((await call(gh, "PUT", `${repo}/environments/staging`, staging)).status).toBe(422);
      expect((await call(gh, "PUT", `${repo}/environments/staging`, { deployment_branch_policy: null })).status).toBe(200);
      expect(gh.environment("production")).toBeUndefined();
    });

    it("allows them on a public repository on any plan", async () => {
      const gh = await standIn({ plan: "free", visibility: "public" });
      expect((await call(gh, "PUT", `${repo}/environments/production`, production)).status).toBe(200);
    });

    it("has no environments at all on a private repository on GitHub Free (404)", async () => {
      const gh = await standIn({ plan: "free" });
      expect((await call(gh, "PUT", `${repo}/environments/staging`, { deployment_branch_policy: null })).status).toBe(404);
    });

    it("a wait timer above 43200 minutes", async () => {
      const gh = await standIn();
      expect((await call(gh, "PUT", `${repo}/environments/production`, { ...production, wait_timer: 43200 })).status).toBe(200);
      const refused = await call(gh, "PUT", `${repo}/environments/production`, { ...production, wait_timer: 43201 });
      expect(refused.status).toBe(422);
      expect(gh.environment("production")?.waitTimer).toBe(43200);
    });

    it("more than 6 reviewers, users and teams together (the provider checks 6 of each only)", async () => {
      const gh = await standIn({ users: ["u1", "u2", "u3", "u4"], teams: ["t1", "t2", "t3"] });
      const reviewers = [
        ...["u1", "u2", "u3", "u4"].map((u) => ({ type: "User", id: idOf(`user:${u}`) })),
        ...["t1", "t2", "t3"].map((t) => ({ type: "Team", id: idOf(`team:${t}`) })),
      ];
      expect((await call(gh, "PUT", `${repo}/environments/production`, { ...production, reviewers: reviewers.slice(0, 6) })).status).toBe(
        200,
      );
      const refused = await call(gh, "PUT", `${repo}/environments/production`, { ...production, reviewers });
      expect(refused.status).toBe(422);
      expect(field(refused.body, "message")).toMatch(/maximum of 6 reviewers/);
    });

    it("a reviewer who does not exist", async () => {
      const gh = await standIn();
      expect(
        (await call(gh, "PUT", `${repo}/environments/production`, { ...production, reviewers: [{ type: "User", id: 1 }] })).status,
      ).toBe(422);
      expect(
        (await call(gh, "PUT", `${repo}/environments/production`, { ...production, reviewers: [{ type: "User", id: hubot }] })).status,
      ).toBe(200);
    });

    it("protected_branches and custom_branch_policies with the same value", async () => {
      const gh = await standIn();
      const both = { ...staging, deployment_branch_policy: { protected_branches: true, custom_branch_policies: true } };
      expect((await call(gh, "PUT", `${repo}/environments/staging`, both)).status).toBe(422);
    });
  });
});

describe("deployment branch and tag policies", () => {
  it("creates, reads, renames and deletes a tag policy on an environment with custom policies", async () => {
    const gh = await standIn();
    await call(gh, "PUT", `${repo}/environments/production`, production);
    const created = await call(gh, "POST", `${repo}/environments/production/deployment-branch-policies`, { name: "v*", type: "tag" });
    expect(created.status).toBe(200);
    const id = field(created.body, "id") as number;
    expect(created.body).toMatchObject({ name: "v*", type: "tag" });
    const path = `${repo}/environments/production/deployment-branch-policies/${String(id)}`;
    expect((await call(gh, "GET", path)).body).toMatchObject({ id, name: "v*", type: "tag" });
    // The provider's update sends the name alone.
    expect((await call(gh, "PUT", path, { name: "v[0-9]*" })).body).toMatchObject({ id, name: "v[0-9]*", type: "tag" });
    expect(gh.environment("production")?.deploymentPolicies).toEqual([{ id, name: "v[0-9]*", type: "tag" }]);
    expect((await call(gh, "DELETE", path)).status).toBe(204);
    expect((await call(gh, "GET", path)).status).toBe(404);
  });

  it("answers 303 for a pattern the environment already has", async () => {
    const gh = await standIn();
    await call(gh, "PUT", `${repo}/environments/production`, production);
    await call(gh, "POST", `${repo}/environments/production/deployment-branch-policies`, { name: "main", type: "branch" });
    const again = await call(gh, "POST", `${repo}/environments/production/deployment-branch-policies`, { name: "main", type: "branch" });
    expect(again.status).toBe(303);
    expect(again.headers.get("location")).toMatch(/\/deployment-branch-policies\/\d+$/);
  });

  it("refuses a policy unless the environment uses custom policies (404), and drops them when it stops", async () => {
    const gh = await standIn();
    await call(gh, "PUT", `${repo}/environments/staging`, staging);
    expect((await call(gh, "POST", `${repo}/environments/staging/deployment-branch-policies`, { name: "main" })).status).toBe(404);
    await call(gh, "PUT", `${repo}/environments/production`, production);
    await call(gh, "POST", `${repo}/environments/production/deployment-branch-policies`, { name: "v*", type: "tag" });
    await call(gh, "PUT", `${repo}/environments/production`, { ...production, deployment_branch_policy: null });
    expect(gh.environment("production")?.deploymentPolicies).toEqual([]);
  });
});
