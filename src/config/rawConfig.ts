/**
 * What the program reads from Pulumi before validation: this project's plain
 * values, the names of its secret keys (never their values) and keys in
 * unknown namespaces, split out of Pulumi's flat config.
 */
import type { SecretFacts } from "./identities";

export const projectName = "delivery-pipeline";
export const stackNames = ["staging", "production"] as const;
export type StackName = (typeof stackNames)[number];

export function isStackName(stack: string): stack is StackName {
  return (stackNames as readonly string[]).includes(stack);
}

/** What the program reads from Pulumi before validation. */
export interface RawStackConfig {
  readonly stack: string;
  /** Non-secret config of this project, keys without the `delivery-pipeline:` prefix, values as Pulumi gives them (strings). */
  readonly values: Readonly<Record<string, string>>;
  /** Keys (without prefix) whose values Pulumi holds as secrets. */
  readonly secretKeys: readonly string[];
  /**
   * Keys in a namespace that is neither this project's nor a provider's the
   * program uses (`delivery-pipline:waitTimerMinutes`): fully qualified, with
   * the value (`undefined` for a secret, whose value is never read).
   */
  readonly foreignKeys?: readonly { readonly key: string; readonly value: string | undefined }[];
  /** The other stack's settings, when its stack file can be read: the cross-stack rules need them. */
  readonly sibling?: RawStackConfig;
  /** What the program derived from the secret values (equal credentials, the signing key's public half); absent offline. */
  readonly secretFacts?: SecretFacts;
}

/**
 * Config namespaces a stack file may hold besides this project's: the
 * providers the program uses (`@pulumi/github`, `@pulumi/docker`,
 * `@pulumi/docker-build`, `@pulumi/command`) and Pulumi's own (`pulumi:tags`).
 */
export const providerNamespaces = ["github", "docker", "docker-build", "command", "pulumi"] as const;

/**
 * Splits Pulumi's flat config (fully qualified keys) into this project's plain
 * values and the names of its secret keys. Secret values are dropped here.
 */
export function toRawStackConfig(
  stack: string,
  allConfig: Readonly<Record<string, string>>,
  isSecret: (fullKey: string) => boolean,
): RawStackConfig {
  const prefix = `${projectName}:`;
  const values: Record<string, string> = {};
  const secretKeys: string[] = [];
  const foreignKeys: { key: string; value: string | undefined }[] = [];
  for (const [fullKey, value] of Object.entries(allConfig)) {
    if (!fullKey.startsWith(prefix)) {
      // Providers' namespaces are theirs to check (the program's explicit GitHub provider ignores github:*); any other is a typo.
      const namespace = fullKey.slice(0, fullKey.indexOf(":"));
      if (!(providerNamespaces as readonly string[]).includes(namespace))
        foreignKeys.push({ key: fullKey, value: isSecret(fullKey) ? undefined : value });
      continue;
    }
    const key = fullKey.slice(prefix.length);
    if (isSecret(fullKey)) secretKeys.push(key);
    else values[key] = value;
  }
  return { stack, values, secretKeys, ...(foreignKeys.length > 0 ? { foreignKeys } : {}) };
}
