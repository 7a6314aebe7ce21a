/**
 * Production's `pulumi preview` and `up` run this (a @pulumi/command `run`
 * invoke) before they promote a digest: does a signature of it verify with
 * staging's public key, for the revision being shipped? Environment:
 * IMAGE_REF, SIGNING_PUBLIC_KEY, EXPECTED_ANNOTATIONS (JSON), REGISTRY_USERNAME,
 * REGISTRY_PASSWORD (secret). Prints the verdict, {"verified": true, ...} or
 * {"verified": false, "reason": ...}; the program turns a refusal into its message.
 */
import { annotations, imageByDigest, registryClient, required, runCommand } from "./cli";
import { verifySignature, type Verdict } from "./cosign";

export async function verify(env: NodeJS.ProcessEnv): Promise<Verdict> {
  const { repository, digest } = imageByDigest(env);
  return verifySignature(
    registryClient(env, repository),
    digest,
    required(env, "SIGNING_PUBLIC_KEY"),
    annotations(env, "EXPECTED_ANNOTATIONS"),
  );
}

if (require.main === module) {
  void runCommand("verify", process.env, ["REGISTRY_PASSWORD"], () => verify(process.env)).then((code) => {
    process.exitCode = code;
  });
}
