/**
 * Which secrets a stack must set (they depend on its state backend and image
 * settings), and the command that sets each.
 */
import { stateBackendKind } from "./backend";
import { secretDefinitions, type SecretKey } from "./catalog";

/** Which secrets a stack must set, given its backend (and whether Railway pulls a private image, and whether the stack signs images). */
export function requiredSecrets(
  stateBackendUrl: string | undefined,
  options: { readonly privateImageRepository?: boolean; readonly signsImages?: boolean } = {},
): SecretKey[] {
  // A file:// backend needs no credentials (and the workflows refuse it).
  const backend = stateBackendUrl === undefined ? undefined : stateBackendKind(stateBackendUrl);
  return secretDefinitions
    .filter((d) => {
      switch (d.requirement) {
        case "always":
          return true;
        case "optional":
          return false;
        case "pulumi-cloud-backend":
          return backend === "pulumi-cloud";
        case "s3-backend":
          return backend === "s3";
        case "gs-backend":
          return backend === "gs";
        case "azblob-backend":
          return backend === "azblob";
        case "private-image":
          return options.privateImageRepository === true;
        case "image-signer":
          return options.signsImages === true;
      }
    })
    .map((d) => d.key);
}

export function setSecretCommand(key: SecretKey, stack: string): string {
  return `pulumi config set --secret ${key} --stack ${stack}`;
}

/** The command for each secret a validation found missing, in catalog order. */
export function missingSecretCommands(result: {
  readonly missingSecrets: readonly SecretKey[];
  readonly config: { readonly stack: string };
}): string[] {
  return result.missingSecrets.map((key) => setSecretCommand(key, result.config.stack));
}

/**
 * The secrets of `required` not in `present`, in catalog order. Half of a
 * credential pair is no credential: the other half is reported missing (a
 * preview would otherwise log in with mixed keys).
 */
export function missingSecretKeys(required: readonly SecretKey[], present: readonly SecretKey[]): SecretKey[] {
  return secretDefinitions
    .filter((d) => required.includes(d.key) || (d.pairedWith !== undefined && present.includes(d.pairedWith)))
    .map((d) => d.key)
    .filter((k) => !present.includes(k));
}
