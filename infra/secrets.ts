import * as pulumi from "@pulumi/pulumi";
import type { SecretKey } from "../src/config";

/** Secret values by config key, each a Pulumi secret: what the entrypoint read for the spec's `secretsRead`. */
export type SecretValues = Readonly<Partial<Record<SecretKey, pulumi.Output<string>>>>;

/** Reads each secret with `requireSecret`; validation has already refused a stack that lacks one. */
export function readSecrets(keys: readonly SecretKey[]): Partial<Record<SecretKey, pulumi.Output<string>>> {
  const config = new pulumi.Config();
  const values: Partial<Record<SecretKey, pulumi.Output<string>>> = {};
  for (const key of new Set(keys)) values[key] = config.requireSecret(key);
  return values;
}

/** One secret's value; the spec lists every key a component uses in `secretsRead`, so a missing one is a bug here. */
export function secretValue(values: SecretValues, key: SecretKey): pulumi.Output<string> {
  const value = values[key];
  if (value === undefined) throw new Error(`secret ${key} was not read by the entrypoint`);
  return value;
}

/**
 * The token the image build clones the app repository with: none for a public
 * repository; otherwise the read-only clone token a deploy workflow hands over
 * (`DELIVERY_CLONE_TOKEN`), else, run by hand, the one the GitHub provider uses
 * (`githubToken`, or `GITHUB_TOKEN`), as a secret.
 */
export function cloneToken(
  visibility: "public" | "private" | "internal",
  values: SecretValues,
  environment: { readonly clone: string | undefined; readonly github: string | undefined },
): pulumi.Output<string> | undefined {
  if (visibility === "public") return undefined;
  const given = (value: string | undefined): value is string => value !== undefined && value !== "";
  if (given(environment.clone)) return pulumi.secret(environment.clone);
  return values.githubToken ?? (given(environment.github) ? pulumi.secret(environment.github) : undefined);
}
