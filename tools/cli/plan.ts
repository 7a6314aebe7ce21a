/**
 * `npm run plan -- --stack <name> [--out <dir>]`: the offline plan. Runs the
 * real program under Pulumi's mock runtime with the committed stack file; no
 * Pulumi CLI, credentials or network. Exit 0 with the plan, 2 on invalid config.
 */
import { existsSync, rmSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { planNotes } from "../../src/pipeline";
import { formatPlan } from "../plan/format";
import { readPlanInput } from "../plan/input";
import { planFiles, writePlanFile, writePlanFolder } from "../plan/output";
import type { runPlanProgram as RunPlanProgram } from "../plan/planProgram";

const usage = "usage: npm run plan -- --stack <staging|production> [--out <dir>] [--stacks-dir <dir>]";

export interface PlanArgs {
  readonly stack: string;
  readonly outDir: string;
  /** Read Pulumi.<stack>.yaml from here instead of stacks/. */
  readonly stacksDir: string | undefined;
}

export function parsePlanArgs(argv: readonly string[], projectDir: string): PlanArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { stack: { type: "string", short: "s" }, out: { type: "string" }, "stacks-dir": { type: "string" } },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    // parseArgs names the flag: unknown, missing its value, or followed by another flag where the value belongs.
    throw new Error(`${(error as Error).message}\n${usage}`);
  }
  const { stack, out } = parsed.values;
  const stacksDir = parsed.values["stacks-dir"];
  for (const [flag, value] of [
    ["--stack", stack],
    ["--out", out],
    ["--stacks-dir", stacksDir],
  ] as const) {
    if (value !== undefined && value.trim() === "") throw new Error(`${flag} needs a value, got an empty one\n${usage}`);
  }
  if (stack === undefined) throw new Error(`--stack is required\n${usage}`);
  return {
    stack,
    outDir: resolve(projectDir, out ?? join("plan-out", stack)),
    stacksDir: stacksDir === undefined ? undefined : resolve(stacksDir),
  };
}

/** Where the plan writes its report and its refusals: the process's streams, or a test's. */
export interface PlanOutput {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const processOutput: PlanOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** The command: its exit code (0 planned, 2 invalid config, 64 bad arguments); anything else it throws. */
export async function plan(argv: readonly string[], out: PlanOutput = processOutput): Promise<number> {
  const projectDir = resolve(__dirname, "..", "..");
  let args: PlanArgs;
  try {
    args = parsePlanArgs(argv, projectDir);
  } catch (error) {
    out.stderr(`${(error as Error).message}\n`);
    return 64;
  }
  try {
    const code = await runPlan(args, projectDir, out);
    if (code !== 0) discardStalePlan(args.outDir);
    return code;
  } catch (error) {
    discardStalePlan(args.outDir);
    throw error;
  }
}

/**
 * A failed run removes the previous plan in its folder: left there, it reads
 * as the plan of the config that just failed. Only a folder a plan wrote (it
 * holds plan.txt) is removed.
 */
function discardStalePlan(outDir: string): void {
  if (existsSync(join(outDir, "plan.txt"))) rmSync(outDir, { recursive: true, force: true });
}

async function runPlan(args: PlanArgs, projectDir: string, out: PlanOutput): Promise<number> {
  const input = readPlanInput(projectDir, args.stack, args.stacksDir);
  if (input.kind === "refused") {
    out.stderr(`${input.message}\n`);
    return 2;
  }
  // The program and the Pulumi SDK load only for a config that validated: a refusal answers at once.
  const { runPlanProgram }: { runPlanProgram: typeof RunPlanProgram } = await import("../plan/planProgram.js");
  const { run, spec } = await runPlanProgram(args.stack, input.settings);
  const files = planFiles(run, input.config, spec);
  writePlanFolder(args.outDir, files);
  const report = formatPlan({
    stack: args.stack,
    run,
    missingSecretCommands: input.missingSecretCommands,
    notes: planNotes(spec),
    outDir: relative(process.cwd(), args.outDir) || ".",
    writtenFiles: files.map((f) => f.path),
  });
  writePlanFile(args.outDir, { path: "plan.txt", content: report });
  out.stdout(report);
  return 0;
}

if (require.main === module) {
  plan(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
