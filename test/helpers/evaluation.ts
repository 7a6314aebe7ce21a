/**
 * The program evaluated in this test's process, summarised (tools/plan/evaluation.ts). One evaluation at a
 * time: the Pulumi runtime is global, so callers await each before starting the next.
 */
import { useStacksDirForSiblings, type StackSettings } from "../../src/config/stackFiles";
import { evaluateSummary, type EvaluationSummary } from "../../tools/plan/evaluation";
import { fixtureStacksDir } from "./stacks";

export type { EvaluationSummary };

/**
 * `preview`: as `pulumi preview` evaluates it (Pulumi's dry run); otherwise as `pulumi up`. `siblingsDir`: where
 * the other stack's file is read from (the fixture's, unless a test changed both stacks).
 */
export function evaluated(
  stack: string,
  settings: StackSettings,
  preview = false,
  siblingsDir = fixtureStacksDir,
): Promise<EvaluationSummary> {
  // The other stack the program checks is the tests' own, never the user's stacks/.
  useStacksDirForSiblings(siblingsDir);
  return evaluateSummary(stack, settings, preview);
}
