/** GitHub and the registry as the program sees them in the shipping tests: releases, their commits, staging's verified digests. */
import type { InvokeMock, ResourceMock } from "../../tools/plan/harness";
import * as pulumi from "@pulumi/pulumi";
import { planInvokeMock, planResourceMock } from "../../tools/plan/invokes";
import { evaluate } from "./program";
import { stackWithSecrets } from "./stacks";

export const releaseTag = "v1.4.2";
export const prereleaseTag = "v1.5.0-rc.1";
export const releaseSha = "89abcdef0123456789abcdef0123456789abcdef";
export const verifiedDigest = `sha256:${"d".repeat(64)}`;
export const verifiedImage = `docker.io/acme/learning-voice-agent@${verifiedDigest}`;
export const builtDigest = `sha256:${"e".repeat(64)}`;

/**
 * GitHub with one release (and one pre-release) and, in the registry, the
 * verified tags of the commits in `verifiedShas`, holding `platforms`.
 */
/** A failed invoke as the engine reports it: gRPC's `details` carries the provider's message. */
function invokeFailure(message: string): Error {
  return Object.assign(new Error(message), { details: message });
}

export function shippingInvokes(verifiedShas: readonly string[], platforms: readonly string[] = ["amd64", "arm64"]): InvokeMock {
  return (token, inputs) => {
    if (token === "github:index/getRelease:getRelease") {
      if (inputs["retrieveBy"] === "latest") return { ...inputs, releaseTag, prerelease: false };
      const tag = String(inputs["releaseTag"]);
      if (tag === releaseTag || tag === prereleaseTag) return { ...inputs, releaseTag: tag, prerelease: tag === prereleaseTag };
      throw invokeFailure(`GET /repos/acme/learning-voice-agent/releases/tags/${tag}: 404 Not Found []`);
    }
    if (token === "github:index/getRef:getRef")
      return { ...inputs, sha: String(inputs["ref"]).startsWith("tags/") ? releaseSha : undefined };
    if (token.startsWith("docker:index/getRegistryImage")) {
      const name = String(inputs["name"]);
      if (!verifiedShas.some((sha) => name.endsWith(`:verified-sha-${sha}`))) {
        throw invokeFailure(
          `Got error when attempting to fetch image version ${name} from registry: got bad response from registry: 404 Not Found`,
        );
      }
      if (token === "docker:index/getRegistryImage:getRegistryImage")
        return { ...inputs, id: verifiedDigest, sha256Digest: verifiedDigest };
      return {
        ...inputs,
        id: verifiedDigest,
        manifests: platforms.map((architecture) => ({
          architecture,
          os: "linux",
          mediaType: "application/vnd.oci.image.manifest.v1+json",
          sha256Digest: verifiedDigest,
        })),
      };
    }
    return planInvokeMock(token, inputs);
  };
}

/** Builds produce `builtDigest`; indexes point at what they join. */
export const builtImages: ResourceMock = (type, name, inputs) => {
  if (type === "docker-build:index:Image")
    return { ...inputs, digest: builtDigest, ref: `${String((inputs["tags"] as string[] | undefined)?.[0])}@${builtDigest}` };
  if (type === "docker-build:index:Index") return { ...inputs, ref: `${String(inputs["tag"])}@${builtDigest}` };
  return planResourceMock(type, name, inputs);
};

/**
 * Evaluates production with `revision` handed over and returns the message it
 * was refused with (a RunError, as Pulumi reports a user's mistake).
 */
export async function productionRefusal(
  revision: string,
  verifiedShas: readonly string[],
  overrides: Record<string, string> = {},
): Promise<string> {
  process.env["DELIVERY_APP_REVISION"] = revision;
  try {
    const error: unknown = await evaluate("production", stackWithSecrets("production", undefined, overrides), false, {
      invoke: shippingInvokes(verifiedShas),
      resource: builtImages,
    }).then(
      () => new Error("production was not refused"),
      (e: unknown) => e,
    );
    if (!pulumi.RunError.isInstance(error)) throw error;
    return error.message;
  } finally {
    delete process.env["DELIVERY_APP_REVISION"];
  }
}
