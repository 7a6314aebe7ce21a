/** Evaluates the program in a child process (one per evaluation), returning its summary. */
import { spawn } from "node:child_process";
import { join } from "node:path";
import type { EvaluationSummary } from "../../tools/cli/evaluate";
import type { StackSettings } from "../../src/config/stackFiles";
import { projectDir } from "./stacks";

/** `preview`: evaluate as `pulumi preview` does (Pulumi's dry run); default as `pulumi up`. */
export function evaluateInChild(stack: string, settings: StackSettings, preview = false): Promise<EvaluationSummary> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(projectDir, "node_modules", "tsx", "dist", "cli.mjs"), join(projectDir, "tools", "cli", "evaluate.ts")],
      { cwd: projectDir },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("close", (code) => {
      if (code === 0) resolve(JSON.parse(out) as EvaluationSummary);
      else reject(new Error(`evaluation failed (${String(code)}): ${err}`));
    });
    child.stdin.end(JSON.stringify({ stack, settings, preview }));
  });
}
