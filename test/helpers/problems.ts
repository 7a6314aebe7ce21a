/** The problems validation reports for a raw config (none when it is valid). */
import { ConfigError, validateStackConfig, type Problem, type RawStackConfig } from "../../src/config";

export function problemsOf(raw: RawStackConfig): readonly Problem[] {
  try {
    validateStackConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}
