import * as pulumi from "@pulumi/pulumi";
import type { SecretKey } from "../src/config";

/** Reads each secret with `requireSecret`; validation has already refused a stack that lacks one. */
export function readSecrets(keys: readonly SecretKey[]): Partial<Record<SecretKey, pulumi.Output<string>>> {
  const config = new pulumi.Config();
  const values: Partial<Record<SecretKey, pulumi.Output<string>>> = {};
  for (const key of new Set(keys)) values[key] = config.requireSecret(key);
  return values;
}
