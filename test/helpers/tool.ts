/**
 * A command of tools/cli run as `npm run <script>` runs it, without npm in
 * between: npm's own start-up cost about half a second per call, and the tests
 * call the CLIs dozens of times. The script's definition in package.json is
 * read, not assumed, so the tests run exactly what a user's `npm run` runs.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { SpawnSyncOptionsWithStringEncoding, SpawnSyncReturns } from "node:child_process";
import { plan } from "../../tools/cli/plan";
import { runSync } from "./runSync";
import { projectDir } from "./stacks";

const scripts = (JSON.parse(readFileSync(join(projectDir, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
const tsxDist = join(projectDir, "node_modules", "tsx", "dist");

/**
 * The process `tsx <file> <args>` runs the file in: Node with tsx's preflight and loader. tsx's own command
 * line is a Node process of its own that only starts this one and passes its exit code on; starting this one
 * directly saves a Node start per child (about 0.25 s of CPU).
 */
export function tsxProcess(file: string, args: readonly string[] = []): { command: string; args: string[] } {
  return {
    command: process.execPath,
    args: ["--require", join(tsxDist, "preflight.cjs"), "--import", pathToFileURL(join(tsxDist, "loader.mjs")).href, file, ...args],
  };
}

/** The program and arguments `npm run <script> -- <args>` starts: Node with the project's require hook (tools/register.cjs). */
export function toolCommand(script: string, args: readonly string[] = []): { command: string; args: string[] } {
  const definition = scripts[script];
  const match =
    definition === undefined ? undefined : /^node --require (\.\/tools\/register\.cjs) (tools\/cli\/[A-Za-z]+\.ts)$/.exec(definition);
  const [hook, entry] = [match?.[1], match?.[2]];
  if (hook === undefined || entry === undefined)
    throw new Error(`npm script ${script} is ${String(definition)}, not "node --require ./tools/register.cjs tools/cli/<name>.ts"`);
  return { command: process.execPath, args: ["--require", join(projectDir, hook), join(projectDir, entry), ...args] };
}

/** `npm run --silent <script> -- <args>`, run to completion within runSync's limit, from the project folder. */
export function runTool(
  script: string,
  args: readonly string[],
  options: Omit<SpawnSyncOptionsWithStringEncoding, "encoding"> = {},
): SpawnSyncReturns<string> {
  const { command, args: argv } = toolCommand(script, args);
  return runSync(command, argv, { cwd: projectDir, ...options });
}

/** The offline plan run in this process (tools/cli/plan.ts), as `npm run plan -- <args>` would run it. */
export async function planInProcess(args: readonly string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const status = await plan(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { status, stdout, stderr };
}
