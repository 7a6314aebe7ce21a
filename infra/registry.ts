import * as docker from "@pulumi/docker";
import type * as pulumi from "@pulumi/pulumi";
import { registryAuthAddress, registryLookupName, verifiedTag, type ImageSpec, type VerifiedImage } from "../src/pipeline";

/**
 * The docker provider for registry reads only. A registry read needs no Docker
 * daemon, and without `disableDockerDaemonCheck` the provider refuses to
 * configure on a machine (or CI runner) that has none.
 */
export function registryProvider(name: string, image: ImageSpec, token: pulumi.Output<string>): docker.Provider {
  return new docker.Provider(name, {
    disableDockerDaemonCheck: true,
    registryAuth: [{ address: registryAuthAddress(image), username: image.username, password: token }],
  });
}

/** The registry answers a tag that does not exist with 404; the provider reports it in its message. */
function isNotFound(error: unknown): boolean {
  return error instanceof Error && /\b404\b|not found|MANIFEST_UNKNOWN/i.test(error.message);
}

/**
 * Finds the digest staging verified for a commit, and the platforms in it;
 * undefined when staging never verified that commit.
 */
export async function findVerifiedImage(image: ImageSpec, sha: string, provider: docker.Provider): Promise<VerifiedImage | undefined> {
  const name = registryLookupName(image, verifiedTag(image, sha));
  const opts = { provider };
  let digest: string;
  try {
    digest = (await docker.getRegistryImage({ name }, opts)).sha256Digest;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  const { manifests } = await docker.getRegistryImageManifests({ name }, opts);
  return { digest, platforms: manifests.map((m) => `${m.os}/${m.architecture}`) };
}
