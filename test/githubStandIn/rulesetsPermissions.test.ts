// Branch rulesets and Actions permissions, in the bodies the provider sends
// (go-github RepositoryRuleset, ActionsPermissionsRepository, ActionsAllowed).
import { describe, expect, it } from "vitest";
import { call, field, fixture, useStandIn, pullRequestRule } from "./client";

const repo = `/repos/${fixture.owner}/${fixture.repository}`;

/** The ruleset the governing stack declares for main, as go-github marshals it. */
const mainRuleset = {
  name: "main",
  target: "branch",
  source_type: "Repository",
  source: fixture.repository,
  enforcement: "active",
  bypass_actors: [{ actor_id: 1234567, actor_type: "Integration", bypass_mode: "always" }],
  conditions: { ref_name: { include: ["refs/heads/main"], exclude: [] } },
  rules: [
    { type: "deletion" },
    { type: "non_fast_forward" },
    pullRequestRule,
    {
      type: "required_status_checks",
      parameters: {
        do_not_enforce_on_create: false,
        required_status_checks: [{ context: "lint" }, { context: "pytest (3.12)" }],
        strict_required_status_checks_policy: true,
      },
    },
  ],
};

const standIn = useStandIn();

describe("rulesets", () => {
  it("creates (201) with GitHub's defaults filled in, reads with an ETag and 304, updates (200), deletes (204)", async () => {
    const gh = await standIn();
    const created = await call(gh, "POST", `${repo}/rulesets`, mainRuleset);
    expect(created.status).toBe(201);
    const id = field(created.body, "id") as number;
    expect(created.body).toMatchObject({
      name: "main",
      source_type: "Repository",
      source: `${fixture.owner}/${fixture.repository}`,
      enforcement: "active",
    });
    const pullRequest = (field(created.body, "rules") as { type: string }[]).find((r) => r.type === "pull_request");
    // The provider leaves allowed_merge_methods out when unset (it is Computed); GitHub answers all three.
    expect(field(pullRequest, "parameters", "allowed_merge_methods")).toEqual(["merge", "squash", "rebase"]);

    const path = `${repo}/rulesets/${String(id)}?includes_parents=false`;
    const read = await call(gh, "GET", path);
    expect(read.status).toBe(200);
    expect(field(read.body, "bypass_actors")).toEqual(mainRuleset.bypass_actors);
    expect(field(read.body, "conditions")).toEqual(mainRuleset.conditions);
    const etag = read.headers.get("etag") ?? "";
    expect((await call(gh, "GET", path, undefined, { "if-none-match": etag })).status).toBe(304);

    const updated = await call(gh, "PUT", `${repo}/rulesets/${String(id)}`, { ...mainRuleset, enforcement: "evaluate" });
    expect(updated.status).toBe(200);
    expect(field(updated.body, "enforcement")).toBe("evaluate");
    // Changed, so the old ETag no longer matches.
    expect((await call(gh, "GET", path, undefined, { "if-none-match": etag })).status).toBe(200);

    expect((await call(gh, "DELETE", `${repo}/rulesets/${String(id)}`)).status).toBe(204);
    expect((await call(gh, "GET", path)).status).toBe(404);
    expect(gh.leftovers()).toEqual([]);
  });

  it("refuses a second ruleset of the same name and a ref pattern outside refs/heads/", async () => {
    const gh = await standIn();
    await call(gh, "POST", `${repo}/rulesets`, mainRuleset);
    expect((await call(gh, "POST", `${repo}/rulesets`, mainRuleset)).status).toBe(422);
    const badRef = { ...mainRuleset, name: "develop", conditions: { ref_name: { include: ["develop"], exclude: [] } } };
    expect((await call(gh, "POST", `${repo}/rulesets`, badRef)).status).toBe(422);
    expect(gh.snapshot().rulesets.map((r) => r.name)).toEqual(["main"]);
  });

  it("are not available on a private repository on GitHub Free (403)", async () => {
    const gh = await standIn({ plan: "free" });
    expect((await call(gh, "POST", `${repo}/rulesets`, mainRuleset)).status).toBe(403);
  });
});

describe("Actions permissions", () => {
  it("starts as a new repository's (all actions allowed), then takes the program's hardening", async () => {
    const gh = await standIn();
    expect((await call(gh, "GET", `${repo}/actions/permissions`)).body).toMatchObject({
      enabled: true,
      allowed_actions: "all",
      sha_pinning_required: false,
    });
    expect(
      (await call(gh, "PUT", `${repo}/actions/permissions`, { enabled: true, allowed_actions: "selected", sha_pinning_required: true }))
        .status,
    ).toBe(204);
    const allowed = { github_owned_allowed: true, verified_allowed: false, patterns_allowed: ["docker/*", "astral-sh/setup-uv@*"] };
    expect((await call(gh, "PUT", `${repo}/actions/permissions/selected-actions`, allowed)).status).toBe(204);
    expect((await call(gh, "GET", `${repo}/actions/permissions`)).body).toMatchObject({
      enabled: true,
      allowed_actions: "selected",
      sha_pinning_required: true,
    });
    expect((await call(gh, "GET", `${repo}/actions/permissions/selected-actions`)).body).toEqual(allowed);
  });

  it("changes only what a PUT names: the provider's delete leaves SHA pinning and the allow-list behind", async () => {
    const gh = await standIn();
    await call(gh, "PUT", `${repo}/actions/permissions`, { enabled: true, allowed_actions: "selected", sha_pinning_required: true });
    await call(gh, "PUT", `${repo}/actions/permissions/selected-actions`, {
      github_owned_allowed: true,
      verified_allowed: false,
      patterns_allowed: ["docker/*"],
    });
    // resourceGithubActionsRepositoryPermissionsDelete: {allowed_actions: all, enabled: true}, nothing else.
    await call(gh, "PUT", `${repo}/actions/permissions`, { allowed_actions: "all", enabled: true });
    expect(gh.snapshot().actionsPermissions).toMatchObject({
      allowedActions: "all",
      shaPinningRequired: true,
      selectedActions: { patternsAllowed: ["docker/*"] },
    });
    expect(gh.leftovers()).toEqual([
      "actions permissions: sha_pinning_required true (was false)",
      'actions permissions: selected actions {"github_owned_allowed":true,"verified_allowed":false,"patterns_allowed":["docker/*"]} (was github-owned only)',
    ]);
  });

  it("refuses the selected-actions list unless allowed_actions is selected (409)", async () => {
    const gh = await standIn();
    expect((await call(gh, "GET", `${repo}/actions/permissions/selected-actions`)).status).toBe(409);
    expect((await call(gh, "PUT", `${repo}/actions/permissions/selected-actions`, { github_owned_allowed: true })).status).toBe(409);
  });
});

describe("workflow permissions (github.token's default, and whether workflows may approve pull requests)", () => {
  it("starts as a repository made before GitHub's 2023 default, takes the program's read-only setting, and lists it as left behind", async () => {
    const gh = await standIn();
    expect((await call(gh, "GET", `${repo}/actions/permissions/workflow`)).body).toEqual({
      default_workflow_permissions: "write",
      can_approve_pull_request_reviews: true,
    });
    // Nothing changed yet: nothing to list.
    expect(gh.leftovers()).toEqual([]);
    const put = { default_workflow_permissions: "read", can_approve_pull_request_reviews: false };
    expect((await call(gh, "PUT", `${repo}/actions/permissions/workflow`, put)).status).toBe(204);
    expect((await call(gh, "GET", `${repo}/actions/permissions/workflow`)).body).toEqual(put);
    expect(gh.snapshot().workflowPermissions).toEqual({ defaultWorkflowPermissions: "read", canApprovePullRequestReviews: false });
    expect(gh.leftovers()).toEqual(["workflow permissions: read, can approve pull requests false (was write, true)"]);
  });

  it("changes only what a PUT names", async () => {
    const gh = await standIn();
    expect((await call(gh, "PUT", `${repo}/actions/permissions/workflow`, { can_approve_pull_request_reviews: false })).status).toBe(204);
    expect((await call(gh, "GET", `${repo}/actions/permissions/workflow`)).body).toEqual({
      default_workflow_permissions: "write",
      can_approve_pull_request_reviews: false,
    });
  });
});
