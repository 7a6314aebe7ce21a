/**
 * What the offline plan answers for GitHub data sources. There is no GitHub
 * here: ids are stand-ins derived from the name, marked as such in the plan.
 */
import { supportedPlatforms } from "../../src/formats";
import type { InvokeMock, ResourceMock } from "./harness";

/** A stable stand-in id, so two plans of one config are identical. */
export function standInId(name: string): number {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) % 1_000_000;
  return 900_000_000 + hash;
}

/** A digest that is visibly not real: the plan builds nothing and reaches no registry. */
export const standInDigest = `sha256:${"0".repeat(64)}`;

/** Every platform a stack may configure: offline, staging's verified image is assumed to hold them all. */
const anyPlatform = supportedPlatforms.map((platform) => platform.slice("linux/".length));

export const planInvokeMock: InvokeMock = (token, inputs) => {
  // Offline there is no registry: the plan shows production promoting a stand-in verified digest.
  if (token === "docker:index/getRegistryImage:getRegistryImage") return { ...inputs, id: standInDigest, sha256Digest: standInDigest };
  if (token === "docker:index/getRegistryImageManifests:getRegistryImageManifests") {
    return {
      ...inputs,
      id: standInDigest,
      manifests: anyPlatform.map((architecture) => ({
        architecture,
        os: "linux",
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        sha256Digest: standInDigest,
      })),
    };
  }
  if (token === "github:index/getUser:getUser") {
    const login = String(inputs["username"]);
    return { ...inputs, id: String(standInId(`user:${login}`)), login };
  }
  if (token === "github:index/getTeam:getTeam") {
    const slug = String(inputs["slug"]);
    return { ...inputs, id: String(standInId(`team:${slug}`)), slug };
  }
  return undefined;
};

export const planResourceMock: ResourceMock = (type, _name, inputs) => {
  if (type === "docker-build:index:Image")
    return { ...inputs, digest: standInDigest, ref: `${String((inputs["tags"] as string[] | undefined)?.[0])}@${standInDigest}` };
  if (type === "docker-build:index:Index") return { ...inputs, ref: `${String(inputs["tag"])}@${standInDigest}` };
  return undefined;
};
