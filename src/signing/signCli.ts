/**
 * `pulumi up` of staging runs this (through @pulumi/command) once the deploy of
 * a digest passed its health check: it signs the digest, with the revision it
 * was built from, in cosign's format, and pushes the signature beside the image.
 * Environment: IMAGE_REF, SIGNING_KEY (secret), SIGNED_ANNOTATIONS (JSON),
 * REGISTRY_USERNAME, REGISTRY_PASSWORD (secret). Prints {"signature": <tag>, "signatures": <count>}.
 */
import { annotations, imageByDigest, registryClient, required, runCommand } from "./cli";
import { pushSignature } from "./cosign";

export async function sign(env: NodeJS.ProcessEnv): Promise<{ signature: string; signatures: number }> {
  const { repository, digest } = imageByDigest(env);
  const key = required(env, "SIGNING_KEY");
  const claims = { digest, dockerReference: repository, annotations: annotations(env, "SIGNED_ANNOTATIONS") };
  const pushed = await pushSignature(registryClient(env, repository), claims, key);
  return { signature: `${repository}:${pushed.tag}`, signatures: pushed.signatures };
}

if (require.main === module) {
  void runCommand("sign", process.env, ["SIGNING_KEY", "REGISTRY_PASSWORD"], () => sign(process.env)).then((code) => {
    process.exitCode = code;
  });
}
