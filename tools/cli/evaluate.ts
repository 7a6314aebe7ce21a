/**
 * One evaluation of the program under Pulumi's mocks, in a fresh process, for
 * the benchmark: settings as JSON on stdin, the summary (tools/plan/evaluation.ts)
 * as JSON on stdout.
 */
import type { StackSettings } from "../../src/config/stackFiles";
import { evaluateSummary } from "../plan/evaluation";

export type { EvaluationSummary } from "../plan/evaluation";

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const { stack, settings, preview } = JSON.parse(Buffer.concat(chunks).toString()) as {
    stack: string;
    settings: StackSettings;
    preview?: boolean;
  };
  process.stdout.write(JSON.stringify(await evaluateSummary(stack, settings, preview ?? false)));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
