import * as github from "@pulumi/github";
import type * as pulumi from "@pulumi/pulumi";
import type { Revision, RevisionSource } from "../src/pipeline";

/**
 * Asks GitHub which commit ships: the branch head, the latest release, or the
 * pinned revision. Awaited before any resource is declared, because whether
 * production builds or promotes depends on the answer.
 * Fields are widened to `undefined`: without GitHub (the offline plan) they are absent.
 */
export async function resolveRevision(source: RevisionSource, owner: string, repository: string, provider: pulumi.ProviderResource): Promise<Revision> {
  const opts = { provider };
  const tagSha = async (tag: string): Promise<string | undefined> => {
    const ref: { sha?: string } = await github.getRef({ owner, repository, ref: `tags/${tag}` }, opts);
    return ref.sha;
  };
  switch (source.kind) {
    case "branch-head": {
      const branch: { sha?: string } = await github.getBranch({ repository, branch: source.branch }, opts);
      return { sha: branch.sha, version: undefined, gitRef: branch.sha };
    }
    case "latest-release": {
      const release: { releaseTag?: string } = await github.getRelease({ owner, repository, retrieveBy: "latest" }, opts);
      const tag = release.releaseTag;
      return { sha: tag === undefined ? undefined : await tagSha(tag), version: tag, gitRef: tag };
    }
    case "pinned-sha":
      return { sha: source.sha, version: undefined, gitRef: source.sha };
    case "pinned-tag":
      return { sha: await tagSha(source.tag), version: source.tag, gitRef: source.tag };
  }
}
