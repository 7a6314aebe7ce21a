import * as github from "@pulumi/github";
import type * as pulumi from "@pulumi/pulumi";
import {
  MissingBranchError,
  MissingTagError,
  MovedTagError,
  OnlyOwnCommitsError,
  requireSameCommit,
  shippableBranchCommit,
  tagCommit,
  type ReleaseRule,
  type Revision,
  type RevisionSource,
} from "../src/pipeline";
import { userError } from "./userError";

/**
 * Asks GitHub which commit ships: the branch head, the latest release, a
 * handed-over or pinned commit, or a tag (for production: a published
 * release, a pre-release only when allowed). Awaited before any resource is
 * declared, because what is built or promoted depends on the answer.
 * Fields are widened to `undefined`: without GitHub (the offline plan) they are absent.
 */
export async function resolveRevision(
  source: RevisionSource,
  owner: string,
  repository: string,
  provider: pulumi.ProviderResource,
): Promise<Revision> {
  const opts = { provider };
  const tagSha = (tag: string): Promise<string | undefined> => tagCommitThroughRest(tag, owner, repository, opts);
  switch (source.kind) {
    case "branch-head": {
      const sha = await pastOwnCommits(source.branch, owner, repository, opts);
      return { sha, version: undefined, gitRef: sha };
    }
    case "latest-release": {
      // GitHub's "latest" is the newest release that is neither a draft nor a pre-release.
      const release: { releaseTag?: string } = await github.getRelease({ owner, repository, retrieveBy: "latest" }, opts);
      const tag = release.releaseTag;
      return { sha: tag === undefined ? undefined : await tagSha(tag), version: tag, gitRef: tag };
    }
    case "pinned-sha":
      return { sha: source.sha, version: undefined, gitRef: source.sha };
    case "pinned-tag": {
      if (source.release !== undefined) await requireRelease(source.tag, source.release, owner, repository, opts);
      const sha = await tagSha(source.tag);
      try {
        requireSameCommit(source.tag, sha, source.expectedSha);
      } catch (error) {
        if (error instanceof MovedTagError) throw userError(error.message, error);
        throw error;
      }
      // BuildKit checks out the commit, not the tag: a tag moved during the build cannot change what is built.
      return { sha, version: source.tag, gitRef: sha ?? source.tag };
    }
  }
}

/**
 * The commit a tag names, annotated tags dereferenced, through the provider's REST data source (the provider's
 * `getRef` answers the tag object of an annotated tag, not its commit).
 */
async function tagCommitThroughRest(
  tag: string,
  owner: string,
  repository: string,
  opts: pulumi.InvokeOptions,
): Promise<string | undefined> {
  try {
    return await tagCommit(tag, owner, repository, (endpoint) => github.getRestApi({ endpoint }, opts));
  } catch (error) {
    if (error instanceof MissingTagError) throw userError(error.message, error);
    throw error;
  }
}

/** The branch's head past the pipeline's own commits, read through the provider's REST data source (same base URL and token). */
async function pastOwnCommits(branch: string, owner: string, repository: string, opts: pulumi.InvokeOptions): Promise<string | undefined> {
  try {
    return await shippableBranchCommit(branch, owner, repository, (endpoint) => github.getRestApi({ endpoint }, opts));
  } catch (error) {
    if (error instanceof OnlyOwnCommitsError || error instanceof MissingBranchError) throw userError(error.message, error);
    throw error;
  }
}

/** Production ships published releases only, and a pre-release only when `allowPrerelease` says so. */
async function requireRelease(
  tag: string,
  rule: ReleaseRule,
  owner: string,
  repository: string,
  opts: pulumi.InvokeOptions,
): Promise<void> {
  let release: { prerelease?: boolean; draft?: boolean };
  try {
    release = await github.getRelease({ owner, repository, retrieveBy: "tag", releaseTag: tag }, opts);
  } catch (error) {
    if (error instanceof Error && /\b404\b|not found/i.test(error.message)) {
      throw userError(
        `${tag} is not a published release of ${owner}/${repository}: production ships releases only. Publish it as a release, or deploy a tag that is one.`,
        error,
      );
    }
    throw error;
  }
  if (release.prerelease === true && !rule.allowPrerelease) {
    throw userError(
      `${tag} is a pre-release of ${owner}/${repository}: production does not ship pre-releases. ` +
        "Publish it as a full release, or allow pre-releases: pulumi config set allowPrerelease true --stack production",
    );
  }
}
