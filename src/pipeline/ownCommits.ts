/**
 * The pipeline's own commits, and the revision that ships past them. Each
 * stack commits its generated files to the default branch, which moves the
 * branch head; a revision made only of those commits is not new code and must
 * not be built and deployed again. Pure: `infra/revision.ts` reads the commits
 * from GitHub and hands them in.
 */
import { z } from "zod";

/** The message every generated-file commit carries; "[skip ci]": GitHub starts no workflow run for it. */
export function generatedFileCommitMessage(path: string): string {
  return `chore(delivery): update ${path} [skip ci]`;
}

const ownMessage = /^chore\(delivery\): update \S+ \[skip ci\]$/;

export interface CommitSummary {
  readonly sha: string;
  readonly message: string;
  readonly parents: readonly string[];
}

/**
 * A commit this pipeline made (either stack: both commit to the default
 * branch): exactly the generated-file message, and one parent. A merge or any
 * other message is someone's work, and ships.
 */
export function isOwnCommit(commit: CommitSummary): boolean {
  return commit.parents.length === 1 && ownMessage.test(commit.message.trim());
}

export type BranchHeadDecision =
  /** `skipped`: the pipeline's own commits between the head and what ships, newest first. */
  | { readonly kind: "ship"; readonly sha: string; readonly skipped: readonly string[] }
  /** A commit on the first-parent chain is not known yet: read the history from it. */
  | { readonly kind: "read-more"; readonly from: string; readonly skipped: readonly string[] };

/**
 * What ships for a branch head: walking first parents from the head past the
 * pipeline's own commits, the first commit that is not one. A root commit
 * ships even when it is one of ours: there is nothing older.
 */
export function shippableCommit(head: string, known: ReadonlyMap<string, CommitSummary>): BranchHeadDecision {
  const skipped: string[] = [];
  const seen = new Set<string>();
  for (let sha = head; ;) {
    const commit = known.get(sha);
    if (commit === undefined) return { kind: "read-more", from: sha, skipped };
    const parent = commit.parents[0];
    if (!isOwnCommit(commit) || parent === undefined || seen.has(parent)) return { kind: "ship", sha, skipped };
    seen.add(sha);
    skipped.push(sha);
    sha = parent;
  }
}

const commitList = z.array(
  z.object({
    sha: z.string().regex(/^[0-9a-f]{40}$/),
    commit: z.object({ message: z.string() }),
    parents: z.array(z.object({ sha: z.string() })),
  }),
);

/** GitHub's answer to `GET /repos/{owner}/{repo}/commits` (a JSON array of commits), as summaries. */
export function parseCommitList(body: string): CommitSummary[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new Error(`GitHub's commit list is not JSON: ${body.slice(0, 200)}`);
  }
  const parsed = commitList.safeParse(json);
  if (!parsed.success)
    throw new Error(
      `GitHub's commit list is not a list of commits: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  return parsed.data.map((c) => ({ sha: c.sha, message: c.commit.message, parents: c.parents.map((p) => p.sha) }));
}

/** How many pages of history (100 commits each) the walk reads before it gives up. */
export const maxHistoryPages = 5;

/** GitHub's answer to a GET, as the provider's REST data source returns it. */
export interface RestAnswer {
  readonly code?: number;
  readonly body?: string;
}

/** The user's to fix: nothing but the pipeline's own commits within the history read. */
export class OnlyOwnCommitsError extends Error {}

/** The user's to fix: the branch the stack ships does not exist in the repository. */
export class MissingBranchError extends Error {}

/**
 * The commit a branch ships: reads `GET /repos/{owner}/{repo}/commits?sha=<branch>`
 * (its first commit is the head: one request, no separate branch look-up), then
 * walks first parents from the head past the pipeline's own commits, reading
 * on from where a page ends (`read` sends each request through the provider,
 * with its base URL and token). Undefined when the answer carries no status:
 * the offline plan has no GitHub.
 */
export async function shippableBranchCommit(
  branch: string,
  owner: string,
  repository: string,
  read: (endpoint: string) => Promise<RestAnswer>,
): Promise<string | undefined> {
  const known = new Map<string, CommitSummary>();
  let head: string | undefined;
  let from = branch;
  for (let page = 0; ; page++) {
    if (head !== undefined) {
      const decision = shippableCommit(head, known);
      if (decision.kind === "ship") return decision.sha;
      if (page === maxHistoryPages) {
        throw new OnlyOwnCommitsError(
          `The last ${String(decision.skipped.length)} commits on ${owner}/${repository} from ${head} are all the pipeline's own generated-file commits: ` +
            "no commit of the app's to ship. Pin one: pulumi config set appRevision <commit sha>",
        );
      }
      from = decision.from;
    }
    const endpoint = `repos/${owner}/${repository}/commits?sha=${encodeURIComponent(from)}&per_page=100`;
    const answer = await read(endpoint);
    if (answer.code === undefined && answer.body === undefined) return undefined;
    if (answer.code === 404 && head === undefined) {
      throw new MissingBranchError(
        `${owner}/${repository} has no branch ${branch} to ship from (GitHub: ${(answer.body ?? "").slice(0, 200)}). ` +
          `Push it, or name the branch this stack ships: pulumi config set defaultBranch <branch>`,
      );
    }
    if (answer.code !== 200 || answer.body === undefined)
      throw new Error(`GET ${endpoint} answered ${String(answer.code)}: ${(answer.body ?? "").slice(0, 300)}`);
    const before = known.size;
    const listed = parseCommitList(answer.body);
    for (const commit of listed) known.set(commit.sha, commit);
    if (known.size === before) throw new Error(`GET ${endpoint} listed no commit it had not listed before`);
    head ??= listed[0]?.sha;
  }
}
