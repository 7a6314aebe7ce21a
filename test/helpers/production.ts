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
/** The tag object an annotated release tag's ref names (it names the commit in turn). */
export const tagObjectSha = "fedcba9876543210fedcba9876543210fedcba98";

/** A failed invoke as the engine reports it: gRPC's `details` carries the provider's message. */
function invokeFailure(message: string): Error {
  return Object.assign(new Error(message), { details: message });
}

/** GitHub's REST data source answering `status` with `body` as JSON, as the provider returns it. */
export function restAnswer(inputs: Record<string, unknown>, code: number, body: unknown): Record<string, unknown> {
  return {
    ...inputs,
    id: "stand-in-request",
    code,
    status: code === 200 ? "200 OK" : `${code}`,
    headers: "{}",
    body: JSON.stringify(body),
  };
}

/** What else the shipping world holds, beyond the verified tags. */
export interface ShippingWorld {
  /** The platforms staging's verified image holds; default amd64 and arm64. */
  readonly platforms?: readonly string[];
  /** The release tags as annotated tags: the ref names a tag object, which names the commit. */
  readonly annotated?: boolean;
  /** The verify command's verdict on staging's signature; unset: no answer, as under the offline plan. */
  readonly verdict?: { readonly verified: boolean; readonly reason?: string };
}

/**
 * GitHub with one release (and one pre-release), both tags on `releaseSha`, and, in the registry, the verified
 * tags of the commits in `verifiedShas`, holding the world's platforms.
 */
export function shippingInvokes(verifiedShas: readonly string[], world: ShippingWorld = {}): InvokeMock {
  const platforms = world.platforms ?? ["amd64", "arm64"];
  return (token, inputs) => {
    if (token === "github:index/getRelease:getRelease") {
      if (inputs["retrieveBy"] === "latest") return { ...inputs, releaseTag, prerelease: false };
      const tag = String(inputs["releaseTag"]);
      if (tag === releaseTag || tag === prereleaseTag) return { ...inputs, releaseTag: tag, prerelease: tag === prereleaseTag };
      throw invokeFailure(`GET /repos/acme/learning-voice-agent/releases/tags/${tag}: 404 Not Found []`);
    }
    if (token === "github:index/getRestApi:getRestApi") {
      const endpoint = String(inputs["endpoint"]);
      const prefix = "repos/acme/learning-voice-agent/git/";
      if (endpoint === `${prefix}ref/tags/${releaseTag}` || endpoint === `${prefix}ref/tags/${encodeURIComponent(prereleaseTag)}`) {
        const object = world.annotated === true ? { type: "tag", sha: tagObjectSha } : { type: "commit", sha: releaseSha };
        return restAnswer(inputs, 200, { ref: `refs/${endpoint.slice(`${prefix}ref/`.length)}`, object });
      }
      if (world.annotated === true && endpoint === `${prefix}tags/${tagObjectSha}`)
        return restAnswer(inputs, 200, { sha: tagObjectSha, tag: releaseTag, object: { type: "commit", sha: releaseSha } });
      return restAnswer(inputs, 404, { message: "Not Found", status: "404" });
    }
    if (token === "command:local:run" && world.verdict !== undefined)
      return { ...inputs, stdout: JSON.stringify(world.verdict), stderr: "" };
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
  world: ShippingWorld = {},
): Promise<string> {
  process.env["DELIVERY_APP_REVISION"] = revision;
  try {
    const error: unknown = await evaluate("production", stackWithSecrets("production", undefined, overrides), false, {
      invoke: shippingInvokes(verifiedShas, world),
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
