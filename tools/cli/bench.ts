/**
 * `npm run bench`: prints, as tables, the wall time and peak memory of the
 * offline plan beside its floor (loading the provider SDKs alone), of a real
 * `pulumi preview` beside its floor (an empty program importing the same SDKs,
 * on the same engine; only when `pulumi` is on PATH), of one program
 * evaluation under mocks for each stack, and how evaluation (and a real
 * preview) grows with the size of the config. Measures; asserts nothing. Each figure is the median of
 * several runs (BENCH_RUNS, default 3), each in a fresh process; BENCH_ENGINE=0
 * leaves the engine part out.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { projectName, requiredSecrets, secretKeys, stackNames, type SecretKey } from "../../src/config";
import { supportedPlatforms } from "../../src/formats";
import { readStackSettings, unsetSecretPlaceholder, type StackSettings } from "../../src/config/stackFiles";
// The engine part drives the CLI against the engine suite's loopback stand-ins.
import { measureEnginePreview } from "../../test/engine/previewBench";
import { measureEngineUp } from "../../test/engine/upBench";
import { measureGrowth } from "../../test/engine/growthBench";
import { kitUnavailable, measureStagingUp, type UpSample } from "../../test/engine/stagingUpBench";
import { findPulumi } from "../../test/engine/workspace";
import type { EvaluationSummary } from "./evaluate";

const projectDir = resolve(__dirname, "..", "..");
const runs = Number(process.env["BENCH_RUNS"] ?? 3);

interface Usage {
  readonly wallMs: number;
  readonly maxRssKb: number;
}

function node(script: string, args: readonly string[], input?: string): { usage: Usage; stdout: string } {
  const usageFile = join(mkdtempSync(join(tmpdir(), "bench-")), "usage.json");
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", "--import", pathToFileURL(join(projectDir, "tools/cli/reportUsage.ts")).href, join(projectDir, script), ...args],
    {
      cwd: projectDir,
      input,
      encoding: "utf8",
      env: { ...process.env, BENCH_USAGE_FILE: usageFile },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (result.status !== 0) throw new Error(`${script} failed: ${result.stderr}`);
  return { usage: JSON.parse(readFileSync(usageFile, "utf8")) as Usage, stdout: result.stdout };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const mb = (kb: number): string => (kb / 1024).toFixed(0);

/** The committed stack file with every secret set to a placeholder, plus overrides. */
function settingsFor(stack: string, overrides: Readonly<Record<string, string>>, secrets: readonly SecretKey[]): StackSettings {
  const base = readStackSettings(projectDir, stack);
  const config: Record<string, string> = { ...base.config };
  // The signing key must be a real key matching the stack's public key, which the bench does not hold:
  // it gets the offline plan's placeholder, which the program takes as "set, not readable".
  for (const key of secrets) config[`${projectName}:${key}`] = key === "imageSigningKey" ? unsetSecretPlaceholder : `bench-${key}`;
  for (const [key, value] of Object.entries(overrides)) config[`${projectName}:${key}`] = value;
  return { config, secretKeys: secrets.map((k) => `${projectName}:${k}`) };
}

function evaluation(
  stack: string,
  overrides: Readonly<Record<string, string>> = {},
  secrets: readonly SecretKey[] = secretKeys,
): { wallMs: number; evalMs: number; maxRssKb: number; resources: number } {
  const samples = Array.from({ length: runs }, () => {
    const { usage, stdout } = node(
      "tools/cli/evaluate.ts",
      [],
      JSON.stringify({ stack, settings: settingsFor(stack, overrides, secrets) }),
    );
    const summary = JSON.parse(stdout) as EvaluationSummary;
    return { ...usage, evalMs: summary.elapsedMs, resources: summary.resources.length };
  });
  return {
    wallMs: median(samples.map((s) => s.wallMs)),
    evalMs: median(samples.map((s) => s.evalMs)),
    maxRssKb: median(samples.map((s) => s.maxRssKb)),
    resources: samples[0]?.resources ?? 0,
  };
}

const medianUsage = (samples: readonly Usage[]): Usage => ({
  wallMs: median(samples.map((s) => s.wallMs)),
  maxRssKb: median(samples.map((s) => s.maxRssKb)),
});

/**
 * A command as a user starts it, timed from outside (start-up included: npm's, Node's, the loader's); its
 * peak memory is the largest of its Node processes' (each reports its own, tools/cli/reportUsage.cjs).
 */
function userCommand(command: string, args: readonly string[], extraEnv: Readonly<Record<string, string>> = {}): Usage {
  const dir = mkdtempSync(join(tmpdir(), "bench-usage-"));
  const preload = `--require ${join(projectDir, "tools", "cli", "reportUsage.cjs")}`;
  const started = performance.now();
  const result = spawnSync(command, args, {
    cwd: projectDir,
    encoding: "utf8",
    env: { ...process.env, ...extraEnv, BENCH_USAGE_DIR: dir, NODE_OPTIONS: `${process.env["NODE_OPTIONS"] ?? ""} ${preload}`.trim() },
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = Math.round(performance.now() - started);
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${result.stderr}`);
  const peaks = readdirSync(dir).map((f) => (JSON.parse(readFileSync(join(dir, f), "utf8")) as { maxRssKb: number }).maxRssKb);
  return { wallMs, maxRssKb: Math.max(0, ...peaks) };
}

/** Plain Node loading the provider SDKs the program loads, and nothing else: no plan can start faster. */
const sdkFloor = `for (const sdk of ${JSON.stringify(["@pulumi/pulumi", "@pulumi/github", "@pulumi/command", "@pulumi/docker-build", "@pulumi/docker"])}) require(sdk);`;

/**
 * `npm run plan` as the README runs it and its floor, alternately, so that a change in the machine's load hits
 * both alike; and the plan with V8's code cache off (tools/compileCache.cjs), which the floor, plain node, does
 * not have either: what the cache saves, and the program's own share.
 */
function planAndFloor(stack: string): { plan: Usage; uncached: Usage; floor: Usage } {
  const out = mkdtempSync(join(tmpdir(), "bench-plan-"));
  const plans: Usage[] = [];
  const uncached: Usage[] = [];
  const floors: Usage[] = [];
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const planArgs = ["run", "--silent", "plan", "--", "--stack", stack, "--out", out];
  // One untimed run fills the code cache, as a user's first plan does.
  userCommand(npm, planArgs);
  for (let i = 0; i < runs; i++) {
    plans.push(userCommand(npm, planArgs));
    floors.push(userCommand(process.execPath, ["-e", sdkFloor]));
    uncached.push(userCommand(npm, planArgs, { DELIVERY_PIPELINE_COMPILE_CACHE: "0" }));
  }
  return { plan: medianUsage(plans), uncached: medianUsage(uncached), floor: medianUsage(floors) };
}

const ratio = (value: number, floor: number): string => `${(value / floor).toFixed(2)}×`;

/** The median wall time of engine samples, and their median peak memory ("n/a" where it could not be measured). */
const wall = (samples: readonly { wallMs: number }[]): number => median(samples.map((s) => s.wallMs));
const rss = (samples: readonly { maxRssKb: number | undefined }[]): string => {
  const known = samples.flatMap((s) => (s.maxRssKb === undefined ? [] : [s.maxRssKb]));
  return known.length === 0 ? "n/a" : mb(median(known));
};

async function enginePreview(): Promise<string> {
  if (process.env["BENCH_ENGINE"] === "0") return "Real-engine preview: skipped (BENCH_ENGINE=0).\n\n";
  if (findPulumi() === undefined) return "Real-engine preview: skipped (no `pulumi` on PATH).\n\n";
  const figures = await measureEnginePreview(runs);
  return `Real-engine \`pulumi preview --stack staging --policy-pack infra/policy\` (as the README runs it; text output, file backend, loopback GitHub stand-in) against its floor, an empty program importing the same SDKs with the same runtime settings, tsconfig.json and policy pack:\n\n${table(
    ["preview wall ms", "floor wall ms", "ratio", "preview peak MB", "floor peak MB"],
    [
      [
        wall(figures.program),
        wall(figures.floor),
        ratio(wall(figures.program), wall(figures.floor)),
        rss(figures.program),
        rss(figures.floor),
      ],
    ],
  )}\n\n`;
}

type Samples = readonly { wallMs: number; maxRssKb: number | undefined }[];

/** One row of an `up` table: a run's median wall time and peak memory beside the floor's. */
const upRow =
  (floorSamples: Samples) =>
  (what: string, samples: Samples): (string | number)[] => [
    what,
    wall(samples),
    wall(floorSamples),
    ratio(wall(samples), wall(floorSamples)),
    rss(samples),
    rss(floorSamples),
  ];

async function engineUp(): Promise<string> {
  if (process.env["BENCH_ENGINE"] === "0") return "Real-engine up: skipped (BENCH_ENGINE=0).\n\n";
  if (findPulumi() === undefined) return "Real-engine up: skipped (no `pulumi` on PATH).\n\n";
  const figures = await measureEngineUp(runs);
  const row = upRow(figures.floor);
  return `Real-engine \`pulumi up --stack production --policy-pack infra/policy\` (it promotes, so no image build; loopback GitHub, registry and Railway stand-ins, Railway's waits shortened) against its floor, an \`up\` of the empty program with the same pack:\n\n${table(
    ["run", "up wall ms", "floor wall ms", "ratio", "up peak MB", "floor peak MB"],
    [
      row("second up, nothing changed", figures.noOp),
      row("one secret changed (its GitHub secret, one Railway deploy)", figures.secretChanged),
    ],
  )}\n\n`;
}

async function stagingUp(): Promise<string> {
  if (process.env["BENCH_ENGINE"] === "0" || process.env["BENCH_BUILD"] === "0")
    return "Real-engine staging up with image builds: skipped (BENCH_ENGINE=0 or BENCH_BUILD=0).\n\n";
  if (findPulumi() === undefined) return "Real-engine staging up with image builds: skipped (no `pulumi` on PATH).\n\n";
  const unavailable = kitUnavailable();
  if (unavailable !== undefined) return `Real-engine staging up with image builds: skipped (${unavailable}).\n\n`;
  const figures = await measureStagingUp(runs);
  const row = upRow(figures.floor);
  // The image's own step and Railway's deploy, from the engine's event log: what of an up is not the program's.
  const seconds = (samples: readonly UpSample[], of: (s: UpSample) => number): string => {
    const value = median(samples.map(of));
    return value === 0 ? "none" : String(value);
  };
  const withBuild = (what: string, samples: readonly UpSample[]): (string | number)[] => [
    ...row(what, samples),
    seconds(samples, (s) => s.buildSeconds),
    seconds(samples, (s) => s.deploySeconds),
  ];
  return `Real-engine \`pulumi up --stack staging --policy-pack infra/policy\` on the container kit (real dockerd, BuildKit and registry; linux/amd64 and linux/arm64, arm64 under QEMU; Railway's stand-in running real containers, its waits shortened; no bake) against the same floor; "image build s" is the image's own step in the engine's event log (build and push of both platforms, whole seconds), "deploy s" Railway's deploy command's (the deploy by digest, the container's start and its health checks):\n\n${table(
    ["run", "up wall ms", "floor wall ms", "ratio", "up peak MB", "floor peak MB", "image build s", "deploy s"],
    [
      withBuild("first up from nothing (both platforms built cold, one deploy)", [figures.first]),
      withBuild("second up, nothing changed", figures.noOp),
      withBuild("one secret changed (its GitHub secret, one redeploy)", figures.secretChanged),
      withBuild("a code change (rebuilt with the registry cache, one deploy)", figures.codeChanged),
    ],
  )}\n\n`;
}

async function previewGrowth(): Promise<string> {
  if (process.env["BENCH_ENGINE"] === "0") return "Real-engine preview growth: skipped (BENCH_ENGINE=0).\n\n";
  if (findPulumi() === undefined) return "Real-engine preview growth: skipped (no `pulumi` on PATH).\n\n";
  const rows = await measureGrowth(runs);
  const base = rows[0];
  const body = rows.map((r) => [
    `${String(r.scale)}x`,
    r.environments,
    r.secrets,
    r.variables,
    r.resources,
    wall(r.samples),
    base === undefined ? "n/a" : ratio(wall(r.samples), wall(base.samples)),
    (wall(r.samples) / r.resources).toFixed(1),
    rss(r.samples),
  ]);
  return `How a real-engine \`pulumi preview\` grows with deployment environments and their secrets and variables (the project's DeploymentEnvironment component and GitHub provider; 1x is as many as both example stacks hold, 10x ten times as many):\n\n${table(
    ["scale", "environments", "secrets", "variables", "resources", "preview wall ms", "vs 1x", "ms per resource", "peak MB"],
    body,
  )}\n\n`;
}

const table = (header: readonly string[], rows: readonly (readonly (string | number)[])[]): string =>
  [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");

/** The offline plan of each stack beside its floor. */
function planTable(): string {
  const plans = stackNames.map((stack) => {
    const { plan, uncached, floor } = planAndFloor(stack);
    return [
      stack,
      plan.wallMs,
      floor.wallMs,
      ratio(plan.wallMs, floor.wallMs),
      uncached.wallMs,
      ratio(uncached.wallMs, floor.wallMs),
      mb(plan.maxRssKb),
      mb(floor.maxRssKb),
    ];
  });
  return (
    `Offline plan (\`npm run plan -- --stack <stack>\`, as the README runs it, npm's start-up included) against its floor, plain \`node\` loading the provider SDKs alone; and the plan with its V8 code cache off (DELIVERY_PIPELINE_COMPILE_CACHE=0):\n\n` +
    `${table(["stack", "plan wall ms", "floor wall ms", "ratio", "uncached plan wall ms", "uncached ratio", "plan peak MB", "floor peak MB"], plans)}\n\n`
  );
}

async function main(): Promise<void> {
  process.stdout.write(
    `delivery-pipeline benchmark: Node ${process.version}, ${String(cpus().length)} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; median of ${String(runs)} runs, each a fresh process\n\n`,
  );

  process.stdout.write(planTable());
  process.stdout.write(await enginePreview());
  process.stdout.write(await engineUp());
  process.stdout.write(await stagingUp());
  process.stdout.write(await previewGrowth());

  const perStack = stackNames.map((stack) => {
    const e = evaluation(stack);
    return [stack, e.wallMs, e.evalMs, mb(e.maxRssKb), e.resources];
  });
  process.stdout.write(
    `One program evaluation under mocks:\n\n${table(["stack", "evaluation wall ms", "program ms", "evaluation peak MB", "resources"], perStack)}\n\n`,
  );

  const versions = ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.7", "3.6", "3.5"];
  const users = ["octocat", "hubot", "monalisa", "defunkt", "mojombo", "pjhyett"];
  const platforms = supportedPlatforms;
  const growth: (readonly (string | number)[])[] = [];
  const measure = (axis: string, size: number, stack: string, overrides: Record<string, string>): void => {
    const e = evaluation(stack, overrides);
    growth.push([axis, size, e.resources, e.evalMs, e.wallMs, mb(e.maxRssKb)]);
  };
  for (const n of [1, 5, 10])
    measure("Python versions (workflow matrix, checks)", n, "staging", { pythonVersions: JSON.stringify(versions.slice(0, n)) });
  for (const n of [1, 3, 5])
    measure("reviewers (GitHub lookups)", n + 1, "production", {
      reviewerUsers: JSON.stringify(users.slice(0, n)),
      reviewerTeams: '["release-managers"]',
    });
  for (const n of [1, 4, 7]) measure("platforms", n, "staging", { platforms: JSON.stringify(platforms.slice(0, n)) });
  // Staging signs what it verified, so its signing key is required there.
  const required = requiredSecrets(readStackSettings(projectDir, "staging").config[`${projectName}:stateBackendUrl`], {
    signsImages: true,
  });
  for (const secrets of [required, secretKeys]) {
    const e = evaluation("staging", {}, secrets);
    growth.push(["secrets set (optional ones publish more)", secrets.length, e.resources, e.evalMs, e.wallMs, mb(e.maxRssKb)]);
  }
  process.stdout.write(
    `How evaluation grows with the config (secrets and variables are fixed by the catalog):\n\n${table(["axis", "size", "resources", "program ms", "wall ms", "peak MB"], growth)}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
