/**
 * One evaluation of the program under Pulumi's mocks, summarised so that no
 * secret value leaves it: each resource carries its redacted inputs and a hash
 * of its plain inputs, so a change to a secret shows as a changed hash on
 * exactly the resources that consume it. The benchmark runs it in a fresh
 * process (tools/cli/evaluate.ts) to measure one; tests run it in theirs, one
 * evaluation after another (never two at once: the runtime is global).
 */
import { createHash } from "node:crypto";
import { projectName } from "../../src/config";
import type { StackSettings } from "../../src/config/stackFiles";
import { runProgram } from "./harness";
import { planInvokeMock, planResourceMock } from "./invokes";

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

/** `preview`: evaluate as `pulumi preview` does (Pulumi's dry run); otherwise as `pulumi up`. */
export async function evaluateSummary(stack: string, settings: StackSettings, preview = false): Promise<EvaluationSummary> {
  const started = performance.now();
  const run = await runProgram({
    project: projectName,
    stack,
    settings,
    allowMissingSecrets: false,
    invoke: planInvokeMock,
    resource: planResourceMock,
    preview,
    load: () => import("../../infra/index.js"),
  });
  return {
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
}
