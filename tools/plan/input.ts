/** What the offline plan reads before it runs the program: the stack file, its sibling, and the validated config. */
import { ConfigError, missingSecretCommands, toRawStackConfig, validateStackConfig, type StackConfig } from "../../src/config";
import { readSiblingConfig, readStackSettings, useStacksDirForSiblings, type StackSettings } from "../../src/config/stackFiles";

export type PlanInput =
  | {
      readonly kind: "valid";
      readonly settings: StackSettings;
      readonly config: StackConfig;
      /** The `pulumi config set --secret` command for each secret still to set. */
      readonly missingSecretCommands: string[];
    }
  /** A stack file that is absent or unreadable, or config that fails validation: the message says every problem. */
  | { readonly kind: "refused"; readonly message: string };

/**
 * Reads and validates the stack's settings (from `stacksDir`, or stacks/), with
 * the other stack's for the cross-stack rules. Refuses what the program would
 * refuse, before it runs; missing secrets are listed, not refused (the plan
 * hands the program placeholders).
 */
export function readPlanInput(projectDir: string, stack: string, stacksDir: string | undefined): PlanInput {
  let settings: StackSettings;
  try {
    settings = readStackSettings(projectDir, stack, stacksDir);
  } catch (error) {
    return { kind: "refused", message: (error as Error).message };
  }
  const sibling = readSiblingConfig(projectDir, stack, stacksDir);
  const raw = {
    ...toRawStackConfig(stack, settings.config, (key) => settings.secretKeys.includes(key)),
    ...(sibling === undefined ? {} : { sibling }),
  };
  // The program checks the same sibling: the one in the folder this plan reads.
  useStacksDirForSiblings(stacksDir);
  try {
    const validation = validateStackConfig(raw);
    return { kind: "valid", settings, config: validation.config, missingSecretCommands: missingSecretCommands(validation) };
  } catch (error) {
    if (error instanceof ConfigError) return { kind: "refused", message: error.message };
    throw error;
  }
}
