// The commit a release tag names, read through GitHub's git refs (annotated tags through their tag objects), and the
// refusal of a tag that no longer names the commit its workflow ran for.
import { describe, expect, it } from "vitest";
import { MissingTagError, MovedTagError, requireSameCommit, tagCommit, type RestAnswer } from "../../src/pipeline";

const sha = (c: string): string => c.repeat(40);
const commit = sha("c");
const refEndpoint = "repos/acme/app/git/ref/tags/v1.2.0";
const tagEndpoint = (object: string): string => `repos/acme/app/git/tags/${object}`;
const ok = (object: { type: string; sha: string }): RestAnswer => ({ code: 200, body: JSON.stringify({ object }) });

/** GitHub as a table of endpoints; anything else is a 404. Records what was asked. */
function github(answers: Readonly<Record<string, RestAnswer>>): { read: (endpoint: string) => Promise<RestAnswer>; asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    read: (endpoint) => {
      asked.push(endpoint);
      return Promise.resolve(answers[endpoint] ?? { code: 404, body: '{"message":"Not Found"}' });
    },
  };
}

describe("tagCommit", () => {
  it("reads a lightweight tag's commit straight from its ref", async () => {
    const gh = github({ [refEndpoint]: ok({ type: "commit", sha: commit }) });
    expect(await tagCommit("v1.2.0", "acme", "app", gh.read)).toBe(commit);
    expect(gh.asked).toEqual([refEndpoint]);
  });

  it("follows an annotated tag's tag object to its commit", async () => {
    const gh = github({ [refEndpoint]: ok({ type: "tag", sha: sha("a") }), [tagEndpoint(sha("a"))]: ok({ type: "commit", sha: commit }) });
    expect(await tagCommit("v1.2.0", "acme", "app", gh.read)).toBe(commit);
    expect(gh.asked).toEqual([refEndpoint, tagEndpoint(sha("a"))]);
  });

  it("follows a tag object that names another tag object", async () => {
    const gh = github({
      [refEndpoint]: ok({ type: "tag", sha: sha("a") }),
      [tagEndpoint(sha("a"))]: ok({ type: "tag", sha: sha("b") }),
      [tagEndpoint(sha("b"))]: ok({ type: "commit", sha: commit }),
    });
    expect(await tagCommit("v1.2.0", "acme", "app", gh.read)).toBe(commit);
    expect(gh.asked).toEqual([refEndpoint, tagEndpoint(sha("a")), tagEndpoint(sha("b"))]);
  });

  it("gives up on a chain of more than five tag objects, and on a tag that names no commit", async () => {
    const chain: Record<string, RestAnswer> = { [refEndpoint]: ok({ type: "tag", sha: sha("0") }) };
    for (let i = 0; i < 9; i++) chain[tagEndpoint(sha(String(i)))] = ok({ type: "tag", sha: sha(String(i + 1)) });
    await expect(tagCommit("v1.2.0", "acme", "app", github(chain).read)).rejects.toThrow(
      "tag v1.2.0 of acme/app is a chain of more than 5 tag objects",
    );
    const tree = github({ [refEndpoint]: ok({ type: "tree", sha: sha("e") }) });
    await expect(tagCommit("v1.2.0", "acme", "app", tree.read)).rejects.toThrow("tag v1.2.0 of acme/app names a tree, not a commit");
  });

  it("says a tag GitHub does not know is missing, with the fix, as the user's to fix", async () => {
    const missing = tagCommit("v9.9.9", "acme", "app", github({}).read);
    await expect(missing).rejects.toBeInstanceOf(MissingTagError);
    await expect(tagCommit("v9.9.9", "acme", "app", github({}).read)).rejects.toThrow(
      'acme/app has no tag v9.9.9 (GitHub: {"message":"Not Found"}). Push the tag, or ship one that exists.',
    );
  });

  it("answers nothing where GitHub cannot be asked (the offline plan's data sources answer nothing)", async () => {
    const gh = github({ [refEndpoint]: {} });
    expect(await tagCommit("v1.2.0", "acme", "app", gh.read)).toBeUndefined();
    expect(gh.asked).toEqual([refEndpoint]);
  });

  it("encodes the tag in the endpoint", async () => {
    const gh = github({ "repos/acme/app/git/ref/tags/v1.2.0%2Bbuild.1": ok({ type: "commit", sha: commit }) });
    expect(await tagCommit("v1.2.0+build.1", "acme", "app", gh.read)).toBe(commit);
  });

  it("refuses an answer that is no git object, saying which request and what came back", async () => {
    const cases: [RestAnswer, string][] = [
      [{ code: 500, body: "boom" }, `GET ${refEndpoint} answered 500: boom`],
      [{ code: 200 }, `GET ${refEndpoint} answered 200: `],
      [{ code: 200, body: "<html>" }, `GET ${refEndpoint} is not JSON: <html>`],
      [{ code: 200, body: JSON.stringify({ object: { type: "commit", sha: "short" } }) }, `GET ${refEndpoint} names no git object`],
    ];
    for (const [answer, message] of cases) {
      await expect(tagCommit("v1.2.0", "acme", "app", github({ [refEndpoint]: answer }).read)).rejects.toThrow(message);
    }
    // A tag object that cannot be read stops the walk there, naming that request.
    const broken = github({
      [refEndpoint]: ok({ type: "tag", sha: sha("a") }),
      [tagEndpoint(sha("a"))]: { code: 403, body: "rate limited" },
    });
    await expect(tagCommit("v1.2.0", "acme", "app", broken.read)).rejects.toThrow(
      `GET ${tagEndpoint(sha("a"))} answered 403: rate limited`,
    );
  });
});

describe("requireSameCommit", () => {
  it("accepts a tag that still names the commit the workflow ran for", () => {
    expect(() => {
      requireSameCommit("v1.2.0", commit, commit);
    }).not.toThrow();
  });

  it("has nothing to compare offline (no resolved commit) or run by hand (no handed-over commit)", () => {
    expect(() => {
      requireSameCommit("v1.2.0", undefined, commit);
    }).not.toThrow();
    expect(() => {
      requireSameCommit("v1.2.0", commit, undefined);
    }).not.toThrow();
  });

  it("refuses a tag that moved after the run started, naming both commits and how to run again", () => {
    const moved = (): void => {
      requireSameCommit("v1.2.0", commit, sha("d"));
    };
    expect(moved).toThrow(MovedTagError);
    expect(moved).toThrow(
      `Tag v1.2.0 names commit ${commit}, but the workflow ran for ${sha("d")}: the tag moved after the run started, ` +
        "so what would ship is not what was tested and approved. Nothing was changed. Find out who moved it (only the delivery App and " +
        "admins may, by the release-tag ruleset), then run the workflow on the tag again: gh workflow run deploy-production.yml --ref v1.2.0 -f version=v1.2.0",
    );
  });
});
