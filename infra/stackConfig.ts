/**
 * Reads this stack's config from the Pulumi runtime, once. Secret values never
 * leave Pulumi here: validation sees their names, and facts derived from a few
 * (two credentials that are one, the signing key's public half), never a value;
 * each is read later, with `requireSecret`, where it is used. The other stack's committed file is
 * read too, when it exists, so the cross-stack rules can be checked.
 */
import { resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import { projectName, secretKeys, toRawStackConfig, type RawStackConfig, type SecretKey } from "../src/config";
import { secretFacts } from "../src/config/identities";
import { readSiblingConfig, unreadSecretValue, unsetSecretPlaceholder } from "../src/config/stackFiles";

/**
 * `isConfigSecret` is how the SDK itself tells secret keys apart; it is marked
 * internal, so it is typed here and checked at run time: if an SDK upgrade
 * removed it, every secret would silently count as plain text (and a secret
 * set in plain text would no longer be caught), so the program stops instead.
 */
export function configSecretTest(module: object = runtimeConfig): (key: string) => boolean {
  const isConfigSecret: unknown = (module as { isConfigSecret?: unknown }).isConfigSecret;
  if (typeof isConfigSecret !== "function") {
    throw new Error(
      "@pulumi/pulumi/runtime/config no longer exports isConfigSecret, which this program uses to tell secret config from plain: " +
        "pin @pulumi/pulumi to the version in package-lock.json, or adapt infra/stackConfig.ts to the new SDK.",
    );
  }
  return (key) => (isConfigSecret as (key: string) => unknown)(key) === true;
}

/**
 * The secret values the identity rules judge (src/config/identities.ts), by key: only those the program was
 * given for real. The offline plan reads the stack file, whose secrets are ciphertext it hands over as a mark
 * (or a placeholder for one not set): nothing can be learned from those.
 */
export function secretValuesForFacts(
  all: Readonly<Record<string, string>>,
  isSecret: (key: string) => boolean,
): Partial<Record<SecretKey, string>> {
  const values: Partial<Record<SecretKey, string>> = {};
  for (const key of secretKeys) {
    const full = `${projectName}:${key}`;
    const value = all[full];
    if (value === undefined || !isSecret(full) || value === unreadSecretValue || value === unsetSecretPlaceholder) continue;
    values[key] = value;
  }
  return values;
}

export function readStackConfig(): RawStackConfig {
  const stack = pulumi.getStack();
  const all = pulumi.runtime.allConfig();
  const isSecret = configSecretTest();
  const own = { ...toRawStackConfig(stack, all, isSecret), secretFacts: secretFacts(secretValuesForFacts(all, isSecret)) };
  const sibling = readSiblingConfig(resolve(__dirname, ".."), stack);
  return sibling === undefined ? own : { ...own, sibling };
}
