/**
 * A few lines of HTTP client for the GitHub stand-in's own tests: requests
 * shaped as the provider's go-github client sends them (paths under /api/v3/,
 * JSON bodies as go-github marshals them).
 */
import { afterEach, expect } from "vitest";
import { GitHubStateStandIn, type GitHubStateFixture } from "../engine/githubState";

export interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Headers;
}

export const fixture: GitHubStateFixture = {
  owner: "acme",
  repository: "learning-voice-agent",
  branches: { main: "3f786850e387550fdab836ed7e6dc881de23001b", develop: "3f786850e387550fdab836ed7e6dc881de23001b" },
  releases: [
    { tag: "v1.5.0-rc.1", sha: "3f786850e387550fdab836ed7e6dc881de23001b", prerelease: true },
    { tag: "v1.4.2", sha: "89e6c98d92887913cadf06b2adb97f26cde4849b" },
  ],
  users: ["octocat", "hubot"],
  teams: ["release-managers"],
  visibility: "private",
  plan: "enterprise",
  // A write holds its branch for no time beyond a turn of the event loop: the tests here await each write,
  // and the one about overlapping writes sets the time it needs itself.
  contentWriteMs: 0,
};

export async function startStandIn(overrides: Partial<GitHubStateFixture> = {}): Promise<GitHubStateStandIn> {
  return new GitHubStateStandIn({ ...fixture, ...overrides }).start();
}

/** One request to the stand-in, as go-github sends it. */
export async function call(
  standIn: GitHubStateStandIn,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const response = await fetch(`${standIn.baseUrl}api/v3${path}`, {
    method,
    headers: {
      accept: "application/vnd.github.v3+json",
      authorization: "Bearer test-token",
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    redirect: "manual",
  });
  const text = await response.text();
  return { status: response.status, body: text === "" ? undefined : (JSON.parse(text) as unknown), headers: response.headers };
}

export function field(value: unknown, ...path: (string | number)[]): unknown {
  let node = value;
  for (const key of path) node = typeof node === "object" && node !== null ? (node as Record<string | number, unknown>)[key] : undefined;
  return node;
}

/**
 * A stand-in per test. After each test, every request and answer stayed inside
 * GitHub's description and nothing went unmodelled; then it stops.
 */
export function useStandIn(): (overrides?: Partial<GitHubStateFixture>) => Promise<GitHubStateStandIn> {
  let github: GitHubStateStandIn | undefined;
  afterEach(async () => {
    expect(github?.violations).toEqual([]);
    expect(github?.unexpected).toEqual([]);
    await github?.stop();
    github = undefined;
  });
  return async (overrides = {}) => {
    github = await startStandIn(overrides);
    return github;
  };
}

/** The pull request rule the program's rulesets send (one approval, stale reviews dismissed, threads resolved). */
export const pullRequestRule = {
  type: "pull_request",
  parameters: {
    dismiss_stale_reviews_on_push: true,
    require_code_owner_review: false,
    require_last_push_approval: true,
    required_approving_review_count: 1,
    required_review_thread_resolution: true,
  },
};
