import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import type { ImageSpec } from "../src/pipeline";

/** The commands that sign and verify (src/signing/); every input they need is in their environment. */
export const signCommand = "npx --no-install tsx src/signing/signCli.ts";
export const verifyCommand = "npx --no-install tsx src/signing/verifyCli.ts";

export interface SignatureArgs {
  readonly image: ImageSpec;
  /** `<registry>/<repo>@sha256:...`: the digest that passed the health check. */
  readonly imageRef: pulumi.Output<string>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly signingKey: pulumi.Output<string>;
  readonly registryToken: pulumi.Output<string>;
}

/**
 * Staging's signature of a digest that passed its deploy, in cosign's format,
 * pushed beside the image: what production checks before it promotes. Signs
 * again only when the digest or the revision changes; deleting it leaves the
 * signature in the registry (a registry keeps what it was given).
 */
export function imageSignature(name: string, args: SignatureArgs, opts: pulumi.CustomResourceOptions): command.local.Command {
  const annotations = JSON.stringify(args.annotations);
  return new command.local.Command(
    name,
    {
      create: signCommand,
      environment: {
        IMAGE_REF: args.imageRef,
        SIGNED_ANNOTATIONS: annotations,
        SIGNING_KEY: args.signingKey,
        REGISTRY_USERNAME: args.image.username,
        REGISTRY_PASSWORD: args.registryToken,
      },
      // Errors (redacted) are logged; stdout is the JSON result.
      logging: command.types.enums.local.Logging.Stderr,
      triggers: [args.imageRef, annotations],
    },
    opts,
  );
}

/** The verdict of the verify command: staging's signature of the digest, for this revision, checks out or not. */
export type SignatureVerdict =
  | { readonly verified: true }
  | { readonly verified: false; readonly reason: string }
  | { readonly verified: "offline" };

/**
 * Asks the verify command whether staging signed `imageRef` for the revision
 * shipped. A `run` invoke, so it runs in every `pulumi preview` and `up`
 * before anything is declared. Under Pulumi's mock runtime (the offline plan)
 * the invoke answers nothing, and the verdict says so.
 */
export async function verifySignature(
  imageRef: string,
  image: ImageSpec,
  publicKey: string,
  expected: Readonly<Record<string, string>>,
  registryToken: pulumi.Output<string>,
): Promise<SignatureVerdict> {
  const result = command.local.runOutput({
    command: verifyCommand,
    environment: {
      IMAGE_REF: imageRef,
      SIGNING_PUBLIC_KEY: publicKey,
      EXPECTED_ANNOTATIONS: JSON.stringify(expected),
      REGISTRY_USERNAME: image.username,
      REGISTRY_PASSWORD: registryToken,
    },
    logging: command.types.enums.local.Logging.Stderr,
    addPreviousOutputInEnv: false,
  });
  // The token made the answer secret; the verdict itself holds none.
  const stdout = await new Promise<string | undefined>((resolve) => {
    pulumi.unsecret(result.stdout).apply((out: string | undefined) => {
      resolve(out);
      return out;
    });
  });
  if (stdout === undefined || stdout === "") return { verified: "offline" };
  const verdict = JSON.parse(stdout) as { verified?: unknown; reason?: unknown };
  return verdict.verified === true ? { verified: true } : { verified: false, reason: String(verdict.reason) };
}
