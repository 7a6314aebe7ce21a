/**
 * Reads this stack's config from the Pulumi runtime, once, and splits it: plain
 * values go to validation, secret keys go by name only. A secret value never
 * leaves Pulumi here; it is read later, with `requireSecret`, where it is used.
 */
import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import { projectName, type RawStackConfig } from "../src/config";

// `isConfigSecret` is how the SDK itself tells secret keys apart; it is marked internal, so type it here.
const internal = runtimeConfig as typeof runtimeConfig & { isConfigSecret?: (key: string) => boolean };

export function readStackConfig(): RawStackConfig {
  const prefix = `${projectName}:`;
  const values: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [fullKey, value] of Object.entries(pulumi.runtime.allConfig())) {
    // Other namespaces configure providers; this program's explicit provider ignores them.
    if (!fullKey.startsWith(prefix)) continue;
    const key = fullKey.slice(prefix.length);
    if (internal.isConfigSecret?.(fullKey) === true) secretKeys.push(key);
    else values[key] = value;
  }
  return { stack: pulumi.getStack(), values, secretKeys };
}
