// Both stacks' `pulumi up` commit their workflow files to the default branch, and nothing stops them
// running at once (staging on a push to main, production on a release). GitHub takes one contents write
// per branch at a time; a write that overlaps another gets 409 "is at <new head> but expected <old head>"
// (GitHub's docs: "the concurrent requests will conflict and you will receive errors"), which the GitHub
// stand-in models. The program's provider retries a 409 (infra/githubProvider.ts): the same request, which
// GitHub applies to the new head. Two overlapping ups of a small program with that provider both land.
import { cpSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { sentinel } from "../helpers/stacks";
import { GitHubStateStandIn } from "./githubState";
import { stateFixtureFromStacks } from "./githubStateFixture";
import { EngineWorkspace } from "./workspace";

const program = join("test", "engine", "programs", "concurrentCommits");
const stacks = ["stack-a", "stack-b"] as const;
const count = 3;
let github: GitHubStateStandIn;
let ws: EngineWorkspace;

beforeAll(async () => {
  // Each write holds the branch long enough that the two stacks' writes overlap.
  const fixture = stateFixtureFromStacks(undefined, { contentWriteMs: 1500 });
  github = await new GitHubStateStandIn(fixture).start();
  ws = EngineWorkspace.create(github.baseUrl);
  cpSync(resolve(__dirname, "..", "..", program), join(ws.dir, program), { recursive: true });
  for (const stack of stacks) {
    const cwd = ["--cwd", program, "--stack", stack];
    expect((await ws.pulumi(["stack", "init", ...cwd, "--secrets-provider", "passphrase"])).code).toBe(0);
    const settings: [string, string][] = [
      ["owner", fixture.owner],
      ["repository", fixture.repository],
      ["branch", fixture.defaultBranch ?? "main"],
      ["count", String(count)],
    ];
    for (const [key, value] of settings) expect((await ws.pulumi(["config", "set", key, value, ...cwd])).code).toBe(0);
    expect((await ws.pulumi(["config", "set", "--secret", "githubToken", ...cwd], { input: sentinel("githubToken") })).code).toBe(0);
  }
}, 300_000);

afterAll(async () => {
  await github.stop();
  ws.remove();
});

it("two overlapping ups both land every file: GitHub's 409 on the moved head is retried", async () => {
  const runs = await Promise.all(
    stacks.map((stack) => ws.pulumi(["up", "--yes", "--cwd", program, "--stack", stack], { timeoutMs: 300_000 })),
  );
  for (const run of runs) expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
  // The writes did overlap: GitHub (the stand-in) refused some with 409, and the retries landed.
  const conflicts = github.calls.filter((c) => c.method === "PUT" && c.path.includes("/contents/") && c.status === 409);
  expect(conflicts.length).toBeGreaterThan(0);
  for (const stack of stacks)
    for (let i = 1; i <= count; i++) expect(github.file(`.github/delivery/${stack}-${String(i)}.txt`)).toBe(`${stack} ${String(i)}\n`);
  expect(github.violations).toEqual([]);
}, 600_000);
