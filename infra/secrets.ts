import * as pulumi from "@pulumi/pulumi";
import type { SecretKey } from "../src/config";

/** Stands in for a secret that is not set yet, in the offline plan only; still a Pulumi secret. */
export const unsetSecretPlaceholder = "<not set>";

/**
 * Reads each secret with `requireSecret`. A key in `missing` is only allowed
 * by the offline plan, which shows the commands to set it instead of failing.
 */
export function readSecrets(
  keys: readonly SecretKey[],
  missing: readonly SecretKey[],
): Partial<Record<SecretKey, pulumi.Output<string>>> {
  const config = new pulumi.Config();
  const values: Partial<Record<SecretKey, pulumi.Output<string>>> = {};
  for (const key of new Set(keys)) {
    values[key] = missing.includes(key) ? pulumi.secret(unsetSecretPlaceholder) : config.requireSecret(key);
  }
  return values;
}
