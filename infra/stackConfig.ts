/**
 * Reads this stack's config from the Pulumi runtime, once. Secret values never
 * leave Pulumi here: validation sees their names only, and each is read later,
 * with `requireSecret`, where it is used. The other stack's committed file is
 * read too, when it exists, so the cross-stack rules can be checked.
 */
import { resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import { toRawStackConfig, type RawStackConfig } from "../src/config";
import { readSiblingConfig } from "../src/config/stackFiles";

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

export function readStackConfig(): RawStackConfig {
  const stack = pulumi.getStack();
  const own = toRawStackConfig(stack, pulumi.runtime.allConfig(), configSecretTest());
  const sibling = readSiblingConfig(resolve(__dirname, ".."), stack);
  return sibling === undefined ? own : { ...own, sibling };
}
