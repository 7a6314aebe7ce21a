/**
 * The stateful GitHub stand-in's fixture for the stacks a suite runs: the
 * read-only fixture (./fixture.ts: owner, repository, branches, releases,
 * reviewers) plus what decides which GitHub features exist, the repository's
 * visibility and the owner's plan, as the stack files declare them, and the
 * token acting as the delivery GitHub App (`deliveryAppId`), as `pulumi up`
 * runs in the deploy workflows: the one actor the rulesets let commit the
 * generated files to a protected branch.
 */
import { validateStackConfig } from "../../src/config";
import { rawConfig, stackWithSecrets } from "../helpers/stacks";
import { fixtureFromStacks } from "./fixture";
import type { GitHubStateFixture } from "./githubState";

export function stateFixtureFromStacks(
  stacks: readonly string[] = ["staging", "production"],
  extras: Partial<GitHubStateFixture> = {},
): GitHubStateFixture {
  const configs = stacks.map((stack) => validateStackConfig(rawConfig(stackWithSecrets(stack), stack)).config);
  const first = configs[0];
  if (first === undefined) throw new Error("no stack to take the fixture from");
  for (const c of configs) {
    if (c.repositoryVisibility !== first.repositoryVisibility || c.githubPlan !== first.githubPlan) {
      throw new Error("the stacks disagree on repositoryVisibility or githubPlan; they share one repository");
    }
  }
  return {
    ...fixtureFromStacks(stacks),
    visibility: first.repositoryVisibility,
    plan: first.githubPlan,
    defaultBranch: first.defaultBranch,
    tokenActor: { type: "Integration", id: first.deliveryAppId },
    ...extras,
  };
}
