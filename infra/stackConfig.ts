/**
 * Reads this stack's config from the Pulumi runtime, once. Secret values never
 * leave Pulumi here: validation sees their names only, and each is read later,
 * with `requireSecret`, where it is used.
 */
import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import { toRawStackConfig, type RawStackConfig } from "../src/config";

// `isConfigSecret` is how the SDK itself tells secret keys apart; it is marked internal, so type it here.
const internal = runtimeConfig as typeof runtimeConfig & { isConfigSecret?: (key: string) => boolean };

export function readStackConfig(): RawStackConfig {
  return toRawStackConfig(pulumi.getStack(), pulumi.runtime.allConfig(), (key) => internal.isConfigSecret?.(key) === true);
}
