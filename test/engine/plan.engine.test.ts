// `pulumi preview --save-plan` then `pulumi up --plan` of production on the real engine: what the reviewer
// saw is what runs, or nothing runs. The ground a plan-bound production approval stands on (the workflows do
// not use plans yet): the program applies under a saved plan, outputs included, and the engine refuses any
// change made after it before writing anything. The stand-ins: GitHub (stateful), the registry holding
// staging's signed verified tag, Railway (executing its schema). Production builds nothing: it promotes.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeRailway } from "../railway/fakeRailway";
import { allSentinels } from "../helpers/stacks";
import type { GitHubStateStandIn } from "./githubState";
import { promotionStage, type PromotionStage } from "./promotionStage";
import type { EngineWorkspace, RunResult } from "./workspace";

let github: GitHubStateStandIn;
let railway: FakeRailway;
let ws: EngineWorkspace;
let stage: PromotionStage;
const outputs: string[] = [];

function ok(result: RunResult): RunResult {
  outputs.push(result.stdout, result.stderr);
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
  return result;
}
const pulumi = async (args: readonly string[], input?: string): Promise<RunResult> => {
  const result = await ws.pulumi(args, { timeoutMs: 600_000, ...(input === undefined ? {} : { input }) });
  outputs.push(result.stdout, result.stderr);
  return result;
};
const writes = (): number => github.calls.filter((c) => c.method !== "GET").length;
const sha256 = (file: string): string => createHash("sha256").update(readFileSync(file)).digest("hex");

beforeAll(async () => {
  stage = await promotionStage((result) => ok(result));
  ({ github, railway, ws } = stage);
}, 600_000);

afterAll(async () => {
  await stage.stop();
});

describe("pulumi up --plan of production", () => {
  const planFile = (): string => join(ws.dir, "production.plan.json");

  it("applies the saved plan of a stack from nothing, outputs included: Railway deploys the promoted digest once", async () => {
    ok(await pulumi(["preview", "--stack", "production", "--save-plan", planFile()]));
    const digest = sha256(planFile());
    if (process.env["KEEP_PLAN"] !== undefined) (await import("node:fs")).copyFileSync(planFile(), process.env["KEEP_PLAN"]);
    const applied = ok(await pulumi(["up", "--yes", "--stack", "production", "--plan", planFile()]));
    expect(applied.stdout).not.toMatch(/error/i);
    expect(sha256(planFile())).toBe(digest);
    expect(railway.started).toHaveLength(1);
    expect(github.violations).toEqual([]);
  });

  it("a setting edited after the plan was saved is refused before anything is written", async () => {
    ok(await pulumi(["preview", "--stack", "production", "--save-plan", planFile()]));
    ok(await pulumi(["config", "set", "healthCheckTimeoutSeconds", "301", "--stack", "production"]));
    const before = { github: writes(), railway: railway.requests.length };
    const refused = await pulumi(["up", "--yes", "--stack", "production", "--plan", planFile()]);
    expect(refused.code).not.toBe(0);
    // The engine's own check, on the deploy command whose environment the setting feeds.
    expect(`${refused.stdout}\n${refused.stderr}`).toMatch(/delivery-railway-deploy violates plan: properties changed/);
    expect(writes()).toBe(before.github);
    expect(railway.requests.length).toBe(before.railway);
  });

  it("a secret rotated after the plan was saved is refused before anything is written", async () => {
    ok(await pulumi(["preview", "--stack", "production", "--save-plan", planFile()]));
    ok(await pulumi(["config", "set", "--secret", "openaiApiKey", "--stack", "production"], "rotated-after-the-plan-77ab"));
    const before = { github: writes(), railway: railway.requests.length };
    const refused = await pulumi(["up", "--yes", "--stack", "production", "--plan", planFile()]);
    expect(refused.code).not.toBe(0);
    expect(`${refused.stdout}\n${refused.stderr}`).toMatch(/violates plan: properties changed/);
    expect(writes()).toBe(before.github);
    expect(railway.requests.length).toBe(before.railway);
  });

  it("the plan file, and every output (the engine's refusals print the changed properties), hold no secret in plain text", () => {
    const text = [readFileSync(planFile(), "utf8"), ...outputs].join("\n");
    expect(text).toContain("violates plan");
    for (const value of [...allSentinels, "rotated-after-the-plan-77ab"]) expect(text).not.toContain(value);
  });
});
