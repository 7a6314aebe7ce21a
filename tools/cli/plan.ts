/**
 * `npm run plan -- --stack <name> [--out <dir>]`: the offline plan. Runs the
 * real program under Pulumi's mock runtime with the committed stack file; no
 * Pulumi CLI, credentials or network. Exit 0 with the plan, 2 on invalid config.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, missingSecretCommands, projectName, toRawStackConfig, validateStackConfig } from "../../src/config";
import { buildPipelineSpec, planNotes } from "../../src/pipeline";
import { formatPlan } from "../plan/format";
import { runProgram } from "../plan/harness";
import { planInvokeMock, planResourceMock } from "../plan/invokes";
import { readSiblingConfig, readStackSettings, useStacksDirForSiblings } from "../../src/config/stackFiles";

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

async function main(): Promise<number> {
  const projectDir = resolve(__dirname, "..", "..");
  let args: PlanArgs;
  try {
    args = parsePlanArgs(process.argv.slice(2), projectDir);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 64;
  }
  try {
    const code = await runPlan(args, projectDir);
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

async function runPlan(args: PlanArgs, projectDir: string): Promise<number> {
  let settings;
  try {
    settings = readStackSettings(projectDir, args.stack, args.stacksDir);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  const sibling = readSiblingConfig(projectDir, args.stack, args.stacksDir);
  const raw = {
    ...toRawStackConfig(args.stack, settings.config, (key) => settings.secretKeys.includes(key)),
    ...(sibling === undefined ? {} : { sibling }),
  };
  // The program checks the same sibling: the one in the folder this plan reads.
  useStacksDirForSiblings(args.stacksDir);
  let missing: string[];
  let diagram: string;
  let notes: string[];
  try {
    const validation = validateStackConfig(raw);
    missing = missingSecretCommands(validation);
    const spec = buildPipelineSpec(validation.config);
    diagram = spec.diagram;
    notes = planNotes(spec);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const run = await runProgram({
    project: projectName,
    stack: args.stack,
    settings,
    allowMissingSecrets: true,
    invoke: planInvokeMock,
    resource: planResourceMock,
    load: () => import("../../infra/index.js"),
  });

  // The folder holds exactly what this run produced: stale files from an earlier run would mislead.
  rmSync(args.outDir, { recursive: true, force: true });
  const written: string[] = [];
  const write = (path: string, content: string): void => {
    const target = join(args.outDir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
    written.push(path);
  };
  for (const resource of run.resources) {
    if (resource.type === "github:index/repositoryFile:RepositoryFile") {
      write(join("app-repository", String(resource.inputs["file"])), String(resource.inputs["content"]));
    }
  }
  write("pipeline.md", `# Pipeline of stack ${args.stack}\n\n\`\`\`mermaid\n${diagram}\`\`\`\n`);
  write(
    "resources.json",
    JSON.stringify(
      run.resources.map((r) => ({ type: r.type, name: r.name, inputs: r.inputs, secretInputs: r.secretPaths })),
      null,
      2,
    ) + "\n",
  );
  const report = formatPlan({
    stack: args.stack,
    run,
    missingSecretCommands: missing,
    notes,
    outDir: relative(process.cwd(), args.outDir) || ".",
    writtenFiles: written,
  });
  write("plan.txt", report);
  process.stdout.write(report);
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
