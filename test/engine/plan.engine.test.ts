// A production approval bound to its plan, on the real engine, run the way deploy-production.yml runs it:
// the plan job's `pulumi preview --save-plan` (the policy pack on, the release tag and its commit handed
// over), its record step (sha256 and the reviewers' summary, by the same `npm run plan-summary`), then the
// deploy job's hash check and `pulumi up --plan`, from a fresh checkout. What the reviewer saw is what runs,
// or nothing runs: a setting edited, a secret rotated, another release's commit, a moved tag are each refused
// with zero writes to the GitHub stand-in and zero requests to Railway's. The stand-ins: GitHub (stateful),
// the registry holding staging's signed verified tags, Railway (executing its schema). Production builds
// nothing: it promotes.
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSavedPlan } from "../../src/plans/savedPlan";
import { planHashCheck } from "../../src/workflows/planJob";
import type { FakeRailway } from "../railway/fakeRailway";
import { allSentinels } from "../helpers/stacks";
import { olderReleaseSha, olderReleaseTag, releaseSha, releaseTag, stackConfigs } from "./fixture";
import type { GitHubStateStandIn } from "./githubState";
import { promotionStage, type PromotionStage } from "./promotionStage";
import type { RegistryStandIn } from "./registry";
import type { EngineWorkspace, RunOptions, RunResult } from "./workspace";

let github: GitHubStateStandIn;
let registry: RegistryStandIn;
let railway: FakeRailway;
let ws: EngineWorkspace;
let stage: PromotionStage;
const outputs: string[] = [];
const plans: string[] = [];

function ok(result: RunResult): RunResult {
  outputs.push(result.stdout, result.stderr);
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
  return result;
}
const pulumi = async (args: readonly string[], options: RunOptions = {}): Promise<RunResult> => {
  const result = await ws.pulumi(args, { timeoutMs: 600_000, ...options });
  outputs.push(result.stdout, result.stderr);
  return result;
};
const writes = (): number => github.calls.filter((c) => c.method !== "GET").length;
const sha256 = (file: string): string => createHash("sha256").update(readFileSync(file)).digest("hex");
/** What the workflow hands the program: the release tag the run is for, and the commit the run is on. */
const release = (tag: string, sha: string): Record<string, string> => ({ DELIVERY_APP_REVISION: tag, DELIVERY_APP_REVISION_SHA: sha });
const pack = (): string[] => ["--policy-pack", join(ws.dir, "infra", "policy")];

/** The plan job: preview --save-plan, then its record step's hash and summary. */
async function planJob(env: Record<string, string>, file: string): Promise<{ sha: string; summary: string }> {
  ok(await pulumi(["preview", "--stack", "production", "--diff", ...pack(), "--save-plan", file], { env }));
  plans.push(file);
  const summary = ok(await ws.run("npm", ["run", "--silent", "plan-summary", "--", "--plan", file]));
  return { sha: sha256(file), summary: summary.stdout };
}

/** The deploy job: the hash check as the step runs it, then `pulumi up --plan`. */
async function deployJob(env: Record<string, string>, file: string, sha: string, cwd?: string): Promise<RunResult> {
  const temp = join(file, "..", "..");
  const check = await ws.run("bash", ["-e", "-c", planHashCheck], { env: { RUNNER_TEMP: temp, PLAN_SHA256: sha } });
  expect(check.code, check.stdout + check.stderr).toBe(0);
  return pulumi(["up", "--yes", "--stack", "production", ...pack(), "--plan", file], { env, ...(cwd === undefined ? {} : { cwd }) });
}

/** The image a Railway deployment started with. */
const imageOf = (id: string | undefined): string | undefined => railway.deployments.find((d) => d.id === id)?.image;
const verifiedDigest = (sha: string): string => registry.digestOf(stackConfigs()[0]?.dockerhubRepository ?? "", `verified-sha-${sha}`);

const planPath = (name: string): string => join(ws.dir, "..", `runner-temp-${name}`, "production-plan", "plan.json");

beforeAll(async () => {
  stage = await promotionStage((result) => ok(result));
  ({ github, registry, railway, ws } = stage);
  for (const name of ["first", "edited", "rotated", "other", "moved", "rollback"])
    mkdirSync(join(planPath(name), ".."), { recursive: true });
}, 600_000);

afterAll(async () => {
  await stage.stop();
});

describe("a production approval bound to its plan", () => {
  it("applies the approved plan from a fresh checkout with an empty PULUMI_HOME: exactly the planned resources, the promoted digest deployed once", async () => {
    const file = planPath("first");
    const { sha, summary } = await planJob(release(releaseTag, releaseSha), file);
    const digest = verifiedDigest(releaseSha);
    // The reviewers' summary names the release, its commit and the digest that will run.
    expect(summary).toContain(`| release | \`${releaseTag}\` |`);
    expect(summary).toContain(`| commit | \`${releaseSha}\` |`);
    expect(summary).toContain(`@${digest}\` |`);
    expect(summary).toContain(`| plan sha256 | \`${sha}\` |`);
    const checkout = ws.freshCheckout("deploy");
    const copied = join(checkout.dir, "..", "runner-temp-deploy", "production-plan", "plan.json");
    mkdirSync(join(copied, ".."), { recursive: true });
    copyFileSync(file, copied);
    ok(await deployJob({ ...release(releaseTag, releaseSha), ...checkout.env }, copied, sha, checkout.dir));
    expect(sha256(file)).toBe(sha);
    expect(railway.started).toHaveLength(1);
    expect(imageOf(railway.started[0])).toContain(digest);
    expect(github.violations).toEqual([]);
    // What the state now holds is what the plan listed, no more and no fewer.
    const exported = JSON.parse(ok(await pulumi(["stack", "export", "--stack", "production"])).stdout) as {
      deployment: { resources: { urn: string }[] };
    };
    const planned = parseSavedPlan(readFileSync(file, "utf8"));
    const inState = exported.deployment.resources.map((r) => r.urn).filter((u) => !u.includes("::pulumi:pulumi:Stack::"));
    expect(inState.sort()).toEqual(planned.changes.map((c) => c.urn).sort());
  });

  it("a setting edited after the plan was saved is refused before anything is written", async () => {
    const file = planPath("edited");
    const { sha } = await planJob(release(releaseTag, releaseSha), file);
    ok(await pulumi(["config", "set", "healthCheckTimeoutSeconds", "301", "--stack", "production"]));
    const before = { github: writes(), railway: railway.requests.length };
    const refused = await deployJob(release(releaseTag, releaseSha), file, sha);
    expect(refused.code).not.toBe(0);
    // The engine's own check, on the deploy command whose environment the setting feeds.
    expect(`${refused.stdout}\n${refused.stderr}`).toMatch(/delivery-railway-deploy violates plan: properties changed/);
    expect(writes()).toBe(before.github);
    expect(railway.requests.length).toBe(before.railway);
  });

  it("a secret rotated after the plan was saved is refused before anything is written", async () => {
    const file = planPath("rotated");
    const { sha } = await planJob(release(releaseTag, releaseSha), file);
    ok(await pulumi(["config", "set", "--secret", "openaiApiKey", "--stack", "production"], { input: "rotated-after-the-plan-77ab" }));
    const before = { github: writes(), railway: railway.requests.length };
    const refused = await deployJob(release(releaseTag, releaseSha), file, sha);
    expect(refused.code).not.toBe(0);
    expect(`${refused.stdout}\n${refused.stderr}`).toMatch(/violates plan: properties changed/);
    expect(writes()).toBe(before.github);
    expect(railway.requests.length).toBe(before.railway);
  });

  it("a plan applied for another release's commit is refused before anything is written", async () => {
    const file = planPath("other");
    const { sha } = await planJob(release(releaseTag, releaseSha), file);
    const before = { github: writes(), railway: railway.requests.length };
    const refused = await deployJob(release(olderReleaseTag, olderReleaseSha), file, sha);
    expect(refused.code).not.toBe(0);
    // The promoted digest (and the version tag it is pushed under) differ from the plan's.
    expect(`${refused.stdout}\n${refused.stderr}`).toMatch(/violates plan: properties changed/);
    expect(writes()).toBe(before.github);
    expect(railway.requests.length).toBe(before.railway);
  });

  it("a release tag moved after the plan was saved is refused by the program before anything is written", async () => {
    const file = planPath("moved");
    const { sha } = await planJob(release(releaseTag, releaseSha), file);
    github.moveTag(releaseTag, olderReleaseSha);
    try {
      const before = { github: writes(), railway: railway.requests.length };
      const refused = await deployJob(release(releaseTag, releaseSha), file, sha);
      expect(refused.code).not.toBe(0);
      expect(`${refused.stdout}\n${refused.stderr}`).toMatch(
        new RegExp(`Tag ${releaseTag} names commit ${olderReleaseSha}, but the workflow ran for ${releaseSha}: the tag moved`),
      );
      expect(writes()).toBe(before.github);
      expect(railway.requests.length).toBe(before.railway);
    } finally {
      github.moveTag(releaseTag, releaseSha);
    }
  });

  it("rolling back (a dispatch on an older tag) goes through the same plan: the summary names the older digest, and its apply deploys it", async () => {
    const file = planPath("rollback");
    const { sha, summary } = await planJob(release(olderReleaseTag, olderReleaseSha), file);
    const older = verifiedDigest(olderReleaseSha);
    expect(summary).toContain(`| release | \`${olderReleaseTag}\` |`);
    expect(summary).toContain(`@${older}\` |`);
    // A new digest replaces the deploy command (its triggers are the digest) and the version tag's index.
    expect(summary).toMatch(/\| replace \| `delivery-railway-deploy` \| `command:local:Command` \| `environment`, `triggers` \|/);
    expect(summary).toMatch(/\| replace \| `delivery-app-version-tag` \| `docker-build:index:Index` \| `sources`, `tag` \|/);
    const started = railway.started.length;
    ok(await deployJob(release(olderReleaseTag, olderReleaseSha), file, sha));
    expect(railway.started).toHaveLength(started + 1);
    expect(imageOf(railway.started.at(-1))).toContain(older);
  });

  it("no plan file, summary or output holds a secret in plain text (the engine's refusals print the changed properties)", () => {
    const text = [...plans.map((f) => readFileSync(f, "utf8")), ...outputs].join("\n");
    expect(text).toContain("violates plan");
    for (const value of [...allSentinels, "rotated-after-the-plan-77ab"]) expect(text).not.toContain(value);
  });
});
