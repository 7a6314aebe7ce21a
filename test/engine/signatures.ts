/**
 * What staging's earlier deploys left in the registry, for suites where staging builds nothing: a signature
 * of each verified digest, made with the tests' key (test/fixtures/signing/) the way staging's sign command
 * makes it (src/signing/cosign.ts), so production's verify command meets what it meets in real use.
 */
import { signedAnnotations } from "../../src/shipping";
import { pushSignature } from "../../src/signing/cosign";
import { RegistryClient } from "../../src/signing/registryClient";
import { fixtureSigningKey } from "../helpers/stacks";
import type { RegistryStandIn } from "./registry";

export async function signAsStaging(
  registry: RegistryStandIn,
  login: { readonly username: string; readonly password: string },
  image: { readonly repository: string; readonly tag: string; readonly sha: string; readonly appRepository: string },
): Promise<void> {
  // The test process trusts the stand-in's certificate the way the engine's processes do.
  const previous = process.env["SSL_CERT_FILE"];
  process.env["SSL_CERT_FILE"] = registry.certFile;
  try {
    const client = new RegistryClient({ host: registry.host, repository: image.repository }, login);
    const digest = registry.digestOf(image.repository, image.tag);
    const claims = {
      digest,
      dockerReference: `${registry.host}/${image.repository}`,
      annotations: signedAnnotations(image.appRepository, image.sha),
    };
    await pushSignature(client, claims, fixtureSigningKey);
  } finally {
    if (previous === undefined) delete process.env["SSL_CERT_FILE"];
    else process.env["SSL_CERT_FILE"] = previous;
  }
}
