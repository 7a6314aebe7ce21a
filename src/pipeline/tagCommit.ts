/**
 * The commit a release tag names. A lightweight tag's ref points at the commit;
 * an annotated tag's ref points at a tag object, which points at the commit (or,
 * rarely, at another tag object). GitHub's `git/ref` answers the object the ref
 * points at and its type, so the walk follows tag objects until it meets a commit.
 */
import { z } from "zod";
import type { RestAnswer } from "./ownCommits";

/** The user's to fix: the tag the stack ships does not exist. */
export class MissingTagError extends Error {}

/** The user's to fix: the tag no longer names the commit the workflow ran for. */
export class MovedTagError extends Error {}

const gitObject = z.object({ object: z.object({ type: z.string(), sha: z.string().regex(/^[0-9a-f]{40}$/) }) });

/** Tag objects pointing at tag objects: git allows it; a chain this long is no release. */
const maxTagDepth = 5;

function parseObject(endpoint: string, answer: RestAnswer): { type: string; sha: string } {
  if (answer.code !== 200 || answer.body === undefined)
    throw new Error(`GET ${endpoint} answered ${String(answer.code)}: ${(answer.body ?? "").slice(0, 300)}`);
  let json: unknown;
  try {
    json = JSON.parse(answer.body);
  } catch {
    throw new Error(`GET ${endpoint} is not JSON: ${answer.body.slice(0, 200)}`);
  }
  const parsed = gitObject.safeParse(json);
  if (!parsed.success) throw new Error(`GET ${endpoint} names no git object: ${answer.body.slice(0, 200)}`);
  return parsed.data.object;
}

/**
 * The commit `tag` names; `undefined` where GitHub cannot be asked (the
 * offline plan, whose data sources answer nothing).
 */
export async function tagCommit(
  tag: string,
  owner: string,
  repository: string,
  read: (endpoint: string) => Promise<RestAnswer>,
): Promise<string | undefined> {
  const refEndpoint = `repos/${owner}/${repository}/git/ref/tags/${encodeURIComponent(tag)}`;
  const answer = await read(refEndpoint);
  if (answer.code === undefined && answer.body === undefined) return undefined;
  if (answer.code === 404) {
    throw new MissingTagError(
      `${owner}/${repository} has no tag ${tag} (GitHub: ${(answer.body ?? "").slice(0, 200)}). Push the tag, or ship one that exists.`,
    );
  }
  let object = parseObject(refEndpoint, answer);
  for (let depth = 0; object.type === "tag"; depth++) {
    if (depth === maxTagDepth) throw new Error(`tag ${tag} of ${owner}/${repository} is a chain of more than ${maxTagDepth} tag objects`);
    const endpoint = `repos/${owner}/${repository}/git/tags/${object.sha}`;
    object = parseObject(endpoint, await read(endpoint));
  }
  if (object.type !== "commit") throw new Error(`tag ${tag} of ${owner}/${repository} names a ${object.type}, not a commit`);
  return object.sha;
}

/**
 * A deploy workflow hands over the tag and the commit it ran for
 * (`github.sha`): the tag must still name that commit, or what ships would not
 * be what was tested and approved.
 */
export function requireSameCommit(tag: string, resolved: string | undefined, handedOver: string | undefined): void {
  if (resolved === undefined || handedOver === undefined || resolved === handedOver) return;
  throw new MovedTagError(
    `Tag ${tag} names commit ${resolved}, but the workflow ran for ${handedOver}: the tag moved after the run started, ` +
      "so what would ship is not what was tested and approved. Nothing was changed. Find out who moved it (only the delivery App and " +
      `admins may, by the release-tag ruleset), then run the workflow on the tag again: gh workflow run deploy-production.yml --ref ${tag} -f version=${tag}`,
  );
}
