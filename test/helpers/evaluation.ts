/**
 * The program evaluated in this test's process, summarised (tools/plan/evaluation.ts). One evaluation at a
 * time: the Pulumi runtime is global, so callers await each before starting the next.
 */
import { useStacksDirForSiblings, type StackSettings } from "../../src/config/stackFiles";
import { evaluateSummary, type EvaluationSummary } from "../../tools/plan/evaluation";
import { fixtureStacksDir } from "./stacks";

export type { EvaluationSummary };

/** `preview`: as `pulumi preview` evaluates it (Pulumi's dry run); otherwise as `pulumi up`. */
export function evaluated(stack: string, settings: StackSettings, preview = false): Promise<EvaluationSummary> {
  // The other stack the program checks is the tests' own, never the user's stacks/.
  useStacksDirForSiblings(fixtureStacksDir);
  return evaluateSummary(stack, settings, preview);
}
