/**
 * `npm run bench`: prints, as tables, the wall time and peak memory of the
 * offline plan and of one program evaluation under mocks for each stack, and
 * how evaluation grows with the size of the config. Measures; asserts nothing.
 * Each figure is the median of several runs, each in a fresh process.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { projectName, requiredSecrets, secretKeys, type SecretKey } from "../config";
import { readStackSettings, type StackSettings } from "../plan/stackFiles";
import type { EvaluationSummary } from "./evaluate";

const projectDir = resolve(__dirname, "..", "..");
const runs = Number(process.env["BENCH_RUNS"] ?? 3);

interface Usage {
  readonly wallMs: number;
  readonly maxRssKb: number;
}

function node(script: string, args: readonly string[], input?: string): { usage: Usage; stdout: string } {
  const usageFile = join(mkdtempSync(join(tmpdir(), "bench-")), "usage.json");
  const result = spawnSync(process.execPath, ["--import", "tsx", "--import", pathToFileURL(join(projectDir, "src/cli/reportUsage.ts")).href, join(projectDir, script), ...args], {
    cwd: projectDir,
    input,
    encoding: "utf8",
    env: { ...process.env, BENCH_USAGE_FILE: usageFile },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`${script} failed: ${result.stderr}`);
  return { usage: JSON.parse(readFileSync(usageFile, "utf8")) as Usage, stdout: result.stdout };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const mb = (kb: number): string => (kb / 1024).toFixed(0);

/** The committed stack file with every secret set to a placeholder, plus overrides. */
function settingsFor(stack: string, overrides: Readonly<Record<string, string>>, secrets: readonly SecretKey[]): StackSettings {
  const base = readStackSettings(projectDir, stack);
  const config: Record<string, string> = { ...base.config };
  for (const key of secrets) config[`${projectName}:${key}`] = `bench-${key}`;
  for (const [key, value] of Object.entries(overrides)) config[`${projectName}:${key}`] = value;
  return { config, secretKeys: secrets.map((k) => `${projectName}:${k}`) };
}

function evaluation(
  stack: string,
  overrides: Readonly<Record<string, string>> = {},
  secrets: readonly SecretKey[] = secretKeys,
): { wallMs: number; evalMs: number; maxRssKb: number; resources: number } {
  const samples = Array.from({ length: runs }, () => {
    const { usage, stdout } = node("src/cli/evaluate.ts", [], JSON.stringify({ stack, settings: settingsFor(stack, overrides, secrets) }));
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

function plan(stack: string): Usage {
  const out = mkdtempSync(join(tmpdir(), "bench-plan-"));
  const samples = Array.from({ length: runs }, () => node("src/cli/plan.ts", ["--stack", stack, "--out", out]).usage);
  return { wallMs: median(samples.map((s) => s.wallMs)), maxRssKb: median(samples.map((s) => s.maxRssKb)) };
}

const table = (header: readonly string[], rows: readonly (readonly (string | number)[])[]): string =>
  [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");

function main(): void {
  process.stdout.write(`delivery-pipeline benchmark: Node ${process.version}, ${String(cpus().length)} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; median of ${String(runs)} runs, each a fresh process\n\n`);

  const perStack = ["staging", "production"].map((stack) => {
    const p = plan(stack);
    const e = evaluation(stack);
    return [stack, p.wallMs, mb(p.maxRssKb), e.wallMs, e.evalMs, mb(e.maxRssKb), e.resources];
  });
  process.stdout.write(`${table(["stack", "offline plan wall ms", "plan peak MB", "evaluation wall ms", "program ms", "evaluation peak MB", "resources"], perStack)}\n\n`);

  const versions = ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.7", "3.6", "3.5"];
  const users = ["octocat", "hubot", "monalisa", "defunkt", "mojombo", "pjhyett"];
  const platforms = ["linux/amd64", "linux/arm64", "linux/arm", "linux/386", "linux/ppc64le", "linux/s390x", "linux/riscv64"];
  const growth: (readonly (string | number)[])[] = [];
  const measure = (axis: string, size: number, stack: string, overrides: Record<string, string>): void => {
    const e = evaluation(stack, overrides);
    growth.push([axis, size, e.resources, e.evalMs, e.wallMs, mb(e.maxRssKb)]);
  };
  for (const n of [1, 5, 10]) measure("Python versions (workflow matrix, checks)", n, "staging", { pythonVersions: JSON.stringify(versions.slice(0, n)) });
  for (const n of [1, 3, 5]) measure("reviewers (GitHub lookups)", n + 1, "production", { reviewerUsers: JSON.stringify(users.slice(0, n)), reviewerTeams: '["release-managers"]' });
  for (const n of [1, 4, 7]) measure("platforms", n, "staging", { platforms: JSON.stringify(platforms.slice(0, n)) });
  const required = requiredSecrets(readStackSettings(projectDir, "staging").config[`${projectName}:stateBackendUrl`]);
  for (const secrets of [required, secretKeys]) {
    const e = evaluation("staging", {}, secrets);
    growth.push(["secrets set (optional ones publish more)", secrets.length, e.resources, e.evalMs, e.wallMs, mb(e.maxRssKb)]);
  }
  process.stdout.write(`How evaluation grows with the config (secrets and variables are fixed by the catalog):\n\n${table(["axis", "size", "resources", "program ms", "wall ms", "peak MB"], growth)}\n`);
}

main();
