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
import { readSiblingConfig } from "../src/plan/stackFiles";

// `isConfigSecret` is how the SDK itself tells secret keys apart; it is marked internal, so type it here.
const internal = runtimeConfig as typeof runtimeConfig & { isConfigSecret?: (key: string) => boolean };

export function readStackConfig(): RawStackConfig {
  const stack = pulumi.getStack();
  const own = toRawStackConfig(stack, pulumi.runtime.allConfig(), (key) => internal.isConfigSecret?.(key) === true);
  const sibling = readSiblingConfig(resolve(__dirname, ".."), stack);
  return sibling === undefined ? own : { ...own, sibling };
}
