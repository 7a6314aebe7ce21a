/**
 * One evaluation of the program under Pulumi's mocks, in its own process (the
 * runtime keeps global state): settings as JSON on stdin, a summary as JSON on
 * stdout. Secret values never leave: each resource carries its redacted inputs
 * and a hash of its plain inputs, so a change to a secret shows as a changed
 * hash on exactly the resources that consume it. Used by tests and the benchmark.
 */
import { createHash } from "node:crypto";
import { projectName } from "../../src/config";
import { runProgram } from "../plan/harness";
import { planInvokeMock, planResourceMock } from "../plan/invokes";
import type { StackSettings } from "../../src/config/stackFiles";

export interface EvaluationSummary {
  readonly resources: readonly {
    type: string;
    name: string;
    inputs: Readonly<Record<string, unknown>>;
    secretPaths: readonly string[];
    plainHash: string;
  }[];
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly elapsedMs: number;
  readonly maxRssKb: number;
}

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const { stack, settings, preview } = JSON.parse(Buffer.concat(chunks).toString()) as {
    stack: string;
    settings: StackSettings;
    preview?: boolean;
  };
  const started = performance.now();
  const run = await runProgram({
    project: projectName,
    stack,
    settings,
    allowMissingSecrets: false,
    invoke: planInvokeMock,
    resource: planResourceMock,
    preview: preview ?? false,
    load: () => import("../../infra/index.js"),
  });
  const summary: EvaluationSummary = {
    resources: run.resources.map((r) => ({
      type: r.type,
      name: r.name,
      inputs: r.inputs,
      secretPaths: r.secretPaths,
      plainHash: createHash("sha256").update(JSON.stringify(r.plainInputs)).digest("hex"),
    })),
    outputs: run.outputs,
    elapsedMs: Math.round(performance.now() - started),
    maxRssKb: process.resourceUsage().maxRSS,
  };
  process.stdout.write(JSON.stringify(summary));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
