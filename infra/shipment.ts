import type * as github from "@pulumi/github";
import type * as pulumi from "@pulumi/pulumi";
import { promotion, signedAnnotations, unresolved, unsignedReason, type PipelineSpec, type Revision } from "../src/pipeline";
import { verifySignature } from "./imageSignature";
import { findVerifiedImage, registryProvider } from "./registry";
import { resolveRevision } from "./revision";
import { userError } from "./userError";

/** What this update ships: the revision, and the image by digest when it is not built here. */
export interface Shipment {
  readonly revision: Revision;
  /** A digest to deploy instead of building: staging's verified image, or `deployImage`. */
  readonly existingImage: string | undefined;
}

/**
 * Resolve what ships, before the image and the deploy are declared (an update
 * waits for it before declaring anything): the revision (from the workflow, a
 * pin, or GitHub), then where its image comes from. Production looks up the
 * digest staging verified for that commit in the registry; it never reads
 * staging's state. Refusals are the user's to fix, so they stop the run with a
 * message of their own.
 */
export async function resolveShipment(
  spec: PipelineSpec,
  provider: github.Provider,
  registryToken: pulumi.Output<string>,
): Promise<Shipment> {
  const { revisionSource, imageSource, image } = spec.ship;
  const revision = await resolveRevision(revisionSource, spec.repository.owner, spec.repository.name, provider);
  switch (imageSource.kind) {
    case "build":
      return { revision, existingImage: undefined };
    case "given":
      return { revision, existingImage: imageSource.imageRef };
    case "promote-verified": {
      const registry = registryProvider("delivery-registry", image, registryToken);
      const verified = await findVerifiedImage(image, revision.sha ?? unresolved, registry);
      const decision = promotion(image, revision, verified, imageSource.buildWhenUnverified);
      const what = revision.version ?? revision.sha ?? "this revision";
      if (decision.kind === "refuse") throw userError(`Stack "${spec.stack}" will not ship ${what}: ${decision.reason}`);
      if (decision.kind === "build") return { revision, existingImage: undefined };
      const expected = signedAnnotations(spec.repository.fullName, revision.sha ?? unresolved);
      const verdict = await verifySignature(decision.imageRef, image, imageSource.signingPublicKey, expected, registryToken);
      if (verdict.verified === false)
        throw userError(`Stack "${spec.stack}" will not ship ${what}: ${unsignedReason(decision.imageRef, verdict.reason)}`);
      return { revision, existingImage: decision.imageRef };
    }
  }
}
