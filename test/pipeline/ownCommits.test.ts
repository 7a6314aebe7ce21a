import { describe, expect, it } from "vitest";
import {
  generatedFileCommitMessage,
  isOwnCommit,
  maxHistoryPages,
  OnlyOwnCommitsError,
  parseCommitList,
  shippableBranchCommit,
  MissingBranchError,
  shippableCommit,
  type CommitSummary,
  type RestAnswer,
} from "../../src/pipeline";

const sha = (c: string): string => c.repeat(40);
const own = (s: string, parent: string, path = ".github/workflows/test.yml"): CommitSummary => ({
  sha: s,
  message: generatedFileCommitMessage(path),
  parents: [parent],
});
const app = (s: string, parents: string[], message = "Add the pronunciation drill"): CommitSummary => ({ sha: s, message, parents });
const known = (...commits: CommitSummary[]): Map<string, CommitSummary> => new Map(commits.map((c) => [c.sha, c]));

describe("the pipeline's own commits", () => {
  it("are the generated-file commits, of either stack, with one parent", () => {
    expect(isOwnCommit(own(sha("a"), sha("b")))).toBe(true);
    expect(isOwnCommit(own(sha("a"), sha("b"), ".github/dependabot.yml"))).toBe(true);
    expect(isOwnCommit(own(sha("a"), sha("b"), ".github/workflows/deploy-production.yml"))).toBe(true);
  });

  it("are not a merge with that message, another message, or one that only starts like it", () => {
    expect(isOwnCommit({ ...own(sha("a"), sha("b")), parents: [sha("b"), sha("c")] })).toBe(false);
    expect(isOwnCommit(app(sha("a"), [sha("b")], "chore(delivery): update .github/workflows/test.yml"))).toBe(false);
    expect(isOwnCommit(app(sha("a"), [sha("b")], `${generatedFileCommitMessage("x.yml")}\n\nand a fix to the app`))).toBe(false);
    expect(isOwnCommit(app(sha("a"), [sha("b")], "fix: parse lessons [skip ci]"))).toBe(false);
  });
});

describe("what a branch head ships", () => {
  it("the head, when it is the app's commit", () => {
    expect(shippableCommit(sha("a"), known(app(sha("a"), [sha("b")])))).toEqual({ kind: "ship", sha: sha("a"), skipped: [] });
  });

  it("past the pipeline's own commits, the first commit that is not one", () => {
    const history = known(
      own(sha("a"), sha("b")),
      own(sha("b"), sha("c"), ".github/workflows/deploy-production.yml"),
      app(sha("c"), [sha("d")]),
      own(sha("d"), sha("e")),
    );
    expect(shippableCommit(sha("a"), history)).toEqual({ kind: "ship", sha: sha("c"), skipped: [sha("a"), sha("b")] });
  });

  it("follows first parents only: a merge is the app's, whatever its second parent", () => {
    expect(
      shippableCommit(sha("a"), known(own(sha("a"), sha("b")), app(sha("b"), [sha("c"), sha("d")], "Merge pull request #7"))),
    ).toMatchObject({ kind: "ship", sha: sha("b") });
  });

  it("asks for more history where the chain leaves what is known, keeping what it skipped", () => {
    expect(shippableCommit(sha("a"), known())).toEqual({ kind: "read-more", from: sha("a"), skipped: [] });
    expect(shippableCommit(sha("a"), known(own(sha("a"), sha("b"))))).toEqual({ kind: "read-more", from: sha("b"), skipped: [sha("a")] });
  });

  it("ships a root commit even when it is the pipeline's own (nothing is older), and stops on a cycle", () => {
    expect(shippableCommit(sha("a"), known({ sha: sha("a"), message: generatedFileCommitMessage("a.yml"), parents: [] }))).toMatchObject({
      kind: "ship",
      sha: sha("a"),
    });
    expect(shippableCommit(sha("a"), known(own(sha("a"), sha("b")), own(sha("b"), sha("a"))))).toMatchObject({ kind: "ship" });
  });
});

describe("GitHub's commit list", () => {
  it("becomes summaries: sha, message, parents in order", () => {
    const body = JSON.stringify([
      { sha: sha("a"), node_id: "C_1", commit: { message: "m", tree: {} }, parents: [{ sha: sha("b"), url: "u" }, { sha: sha("c") }] },
    ]);
    expect(parseCommitList(body)).toEqual([{ sha: sha("a"), message: "m", parents: [sha("b"), sha("c")] }]);
  });

  it("refuses what is not one, saying what it got", () => {
    expect(() => parseCommitList("<html>")).toThrow(/not JSON: <html>/);
    expect(() => parseCommitList(JSON.stringify({ message: "Not Found" }))).toThrow(/not a list of commits/);
    expect(() => parseCommitList(JSON.stringify([{ sha: "main", commit: { message: "m" }, parents: [] }]))).toThrow(/0\.sha/);
  });
});

describe("reading the history from GitHub", () => {
  /** GitHub's commit list from a sha or the branch `main` (whose head is the first commit): first parents, newest first, `perPage` at a time. */
  const github = (commits: readonly CommitSummary[], perPage = 100) => {
    const endpoints: string[] = [];
    const byShaMap = new Map(commits.map((c) => [c.sha, c]));
    const read = (endpoint: string): Promise<RestAnswer> => {
      endpoints.push(endpoint);
      const ref = /sha=([^&]+)/.exec(endpoint)?.[1] ?? "";
      const from = ref === "main" ? (commits[0]?.sha ?? "") : ref;
      if (!byShaMap.has(from)) return Promise.resolve({ code: 404, body: `{"message":"No commit found for SHA: ${ref}"}` });
      const page: unknown[] = [];
      for (let c = byShaMap.get(from); c !== undefined && page.length < perPage; c = byShaMap.get(c.parents[0] ?? "")) {
        page.push({ sha: c.sha, commit: { message: c.message }, parents: c.parents.map((p) => ({ sha: p })) });
      }
      return Promise.resolve({ code: 200, body: JSON.stringify(page) });
    };
    return { read, endpoints };
  };

  it("reads one page when the app's commit is on it, from the head", async () => {
    const gh = github([own(sha("a"), sha("b")), app(sha("b"), [sha("c")])]);
    expect(await shippableBranchCommit("main", "acme", "app", gh.read)).toBe(sha("b"));
    expect(gh.endpoints).toEqual(["repos/acme/app/commits?sha=main&per_page=100"]);
  });

  it("reads on from where the chain left the last page", async () => {
    const gh = github([own(sha("a"), sha("b")), own(sha("b"), sha("c")), app(sha("c"), [])], 2);
    expect(await shippableBranchCommit("main", "acme", "app", gh.read)).toBe(sha("c"));
    expect(gh.endpoints).toEqual(["repos/acme/app/commits?sha=main&per_page=100", `repos/acme/app/commits?sha=${sha("c")}&per_page=100`]);
  });

  it("gives up after a bounded number of pages with a message that says how to pin a revision", async () => {
    const chain = Array.from({ length: maxHistoryPages + 2 }, (_, i) => own(String(i).padStart(40, "1"), String(i + 1).padStart(40, "1")));
    const gh = github(chain, 1);
    const walk = shippableBranchCommit("main", "acme", "app", gh.read);
    await expect(walk).rejects.toBeInstanceOf(OnlyOwnCommitsError);
    await expect(walk).rejects.toThrow(/all the pipeline's own generated-file commits[\s\S]*pulumi config set appRevision/);
    expect(gh.endpoints).toHaveLength(maxHistoryPages);
  });

  it("a branch the repository lacks: the user's to fix, with the setting that names the branch", async () => {
    const walk = shippableBranchCommit("mian", "acme", "app", github([app(sha("a"), [])]).read);
    await expect(walk).rejects.toBeInstanceOf(MissingBranchError);
    await expect(walk).rejects.toThrow(/acme\/app has no branch mian[\s\S]*pulumi config set defaultBranch <branch>/);
  });

  it("the offline plan (an answer without a status): nothing resolved, nothing read further", async () => {
    const endpoints: string[] = [];
    const offline = (endpoint: string): Promise<RestAnswer> => {
      endpoints.push(endpoint);
      return Promise.resolve({});
    };
    expect(await shippableBranchCommit("main", "acme", "app", offline)).toBeUndefined();
    expect(endpoints).toEqual(["repos/acme/app/commits?sha=main&per_page=100"]);
  });

  it("stops on an answer that is not a commit list, or one that lists nothing new", async () => {
    const history = github([own(sha("a"), sha("b"))]);
    const failLater = (answer: RestAnswer) => (endpoint: string) =>
      endpoint.includes("sha=main") ? history.read(endpoint) : Promise.resolve(answer);
    await expect(shippableBranchCommit("main", "acme", "app", failLater({ code: 404, body: '{"message":"Not Found"}' }))).rejects.toThrow(
      /answered 404: \{"message":"Not Found"\}/,
    );
    await expect(shippableBranchCommit("main", "acme", "app", () => Promise.resolve({ code: 200 }))).rejects.toThrow(/answered 200/);
    await expect(shippableBranchCommit("main", "acme", "app", () => Promise.resolve({ code: 200, body: "[]" }))).rejects.toThrow(
      /listed no commit it had not listed before/,
    );
  });
});
