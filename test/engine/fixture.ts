/**
 * What the GitHub stand-in knows, taken from the stack files the suite runs
 * (owner, repository, branches, reviewers): the suite works for whatever
 * stacks a user commits, not only the example's.
 */
import { validateStackConfig } from "../../src/config";
import { rawConfig, stackWithSecrets } from "../helpers/stacks";
import type { GitHubFixture } from "./githubState";

export const headSha = "3f786850e387550fdab836ed7e6dc881de23001b";
export const releaseSha = "89e6c98d92887913cadf06b2adb97f26cde4849b";
export const releaseTag = "v1.4.2";
/** The release before it: what the production workflow rolls back to. */
export const olderReleaseSha = "c1d0a3e7f6b5948372615049382716e5d4c3b2a1";
export const olderReleaseTag = "v1.4.1";
/** A release whose commit has a verified tag in the registry but no signature of staging's: someone else tagged it. */
export const unsignedSha = "5d41402abc4b2a76b9719d911017c592ae1b2c3d";
export const unsignedTag = "v1.3.9";

/** The settings the suite's stand-ins need from the stacks it runs. */
export function stackConfigs(stacks: readonly string[] = ["staging", "production"]) {
  return stacks.map((stack) => validateStackConfig(rawConfig(stackWithSecrets(stack), stack)).config);
}

export function fixtureFromStacks(stacks: readonly string[] = ["staging", "production"]): GitHubFixture {
  const configs = stacks.map((stack) => validateStackConfig(rawConfig(stackWithSecrets(stack), stack)).config);
  const first = configs[0];
  if (first === undefined) throw new Error("no stack to take the fixture from");
  const [owner = "", repository = ""] = first.repository.split("/");
  return {
    owner,
    repository,
    branches: Object.fromEntries(
      configs.flatMap((c) => [
        [c.defaultBranch, headSha],
        [c.developBranch, headSha],
      ]),
    ),
    releases: [
      { tag: "v1.5.0-rc.1", sha: headSha, prerelease: true },
      // Annotated, as `git tag -a` and GitHub's release UI make them: its ref names a tag object, not the commit.
      { tag: releaseTag, sha: releaseSha, annotated: true },
      { tag: olderReleaseTag, sha: olderReleaseSha },
      { tag: unsignedTag, sha: unsignedSha },
    ],
    users: [...new Set(configs.flatMap((c) => [...c.reviewerUsers, ...c.previewReviewerUsers]))],
    teams: [...new Set(configs.flatMap((c) => [...c.reviewerTeams, ...c.previewReviewerTeams]))],
  };
}
