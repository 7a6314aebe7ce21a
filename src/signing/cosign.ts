/**
 * Image signatures in cosign's format, so `cosign verify --key` checks what
 * staging signs and production's own check reads what cosign writes:
 *
 * - the signed payload is a "simple signing" JSON document naming the image's
 *   manifest digest (and annotations: here the revision and the repository);
 * - the signature is ECDSA P-256 over SHA-256 of the payload bytes, DER, base64;
 * - both live in the image's repository under the tag `sha256-<hex>.sig`, as an
 *   OCI manifest whose layers are the payloads, each carrying its signature in
 *   the annotation `dev.cosignproject.cosign/signature`. A second signature of
 *   the same digest is appended as another layer, as cosign does.
 *
 * Keyless signing (Fulcio, Rekor) needs the internet; a key held by staging's
 * deploy environment signs instead, and verification skips the transparency log.
 */
import { createPrivateKey, createPublicKey, sign, verify } from "node:crypto";
import { ociManifestType, sha256Digest, type RegistryClient } from "./registryClient";

export const simpleSigningType = "application/vnd.dev.cosign.simplesigning.v1+json";
export const signatureAnnotation = "dev.cosignproject.cosign/signature";
const configType = "application/vnd.oci.image.config.v1+json";

/** What staging vouches for: this digest, built from this commit of this repository, passed its health check. */
export interface SignedClaims {
  /** `sha256:<hex>` of the image's manifest or index. */
  readonly digest: string;
  /** `<registry>/<repository>`, without tag or digest. */
  readonly dockerReference: string;
  /** Plain annotations (cosign's `-a key=value`): `revision`, `repository`, `verifiedBy`. */
  readonly annotations: Readonly<Record<string, string>>;
}

/** The tag cosign keeps a digest's signatures under. */
export function signatureTag(digest: string): string {
  return digest.replace(":", "-") + ".sig";
}

/** The payload cosign signs, byte for byte as cosign's `payload.Cosign` marshals it (Go's JSON, keys sorted). */
export function simpleSigningPayload(claims: SignedClaims): Buffer {
  const optional = Object.fromEntries(Object.entries(claims.annotations).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return Buffer.from(
    JSON.stringify({
      critical: {
        identity: { "docker-reference": claims.dockerReference },
        image: { "docker-manifest-digest": claims.digest },
        type: "cosign container image signature",
      },
      optional,
    }),
  );
}

export function signPayload(payload: Buffer, privateKeyPem: string): string {
  return sign("sha256", payload, createPrivateKey(privateKeyPem)).toString("base64");
}

export function signatureVerifies(payload: Buffer, signature: string, publicKeyPem: string): boolean {
  try {
    return verify("sha256", payload, createPublicKey(publicKeyPem), Buffer.from(signature, "base64"));
  } catch {
    return false;
  }
}

interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly annotations?: Readonly<Record<string, string>>;
}

interface SignatureManifest {
  readonly schemaVersion: 2;
  readonly mediaType: string;
  readonly config: Descriptor;
  readonly layers: readonly Descriptor[];
}

/** cosign's config blob for a signature image: one layer per payload, nothing to run. */
function configBlob(layers: readonly Descriptor[]): Buffer {
  const created = "0001-01-01T00:00:00Z";
  return Buffer.from(
    JSON.stringify({
      architecture: "",
      created,
      history: layers.map(() => ({ created })),
      os: "",
      rootfs: { type: "layers", diff_ids: layers.map((l) => l.digest) },
      config: {},
    }),
  );
}

function parseSignatureManifest(body: Buffer): SignatureManifest {
  const parsed = JSON.parse(body.toString("utf8")) as Partial<SignatureManifest>;
  return { schemaVersion: 2, mediaType: ociManifestType, config: parsed.config as Descriptor, layers: parsed.layers ?? [] };
}

/** Signs the claims and adds the signature to the digest's signature manifest (pushed whole, as cosign does). */
export async function pushSignature(
  client: RegistryClient,
  claims: SignedClaims,
  privateKeyPem: string,
): Promise<{ tag: string; signatures: number }> {
  const payload = simpleSigningPayload(claims);
  const signature = signPayload(payload, privateKeyPem);
  const tag = signatureTag(claims.digest);
  const existing = await client.manifest(tag);
  const previous = existing === undefined ? [] : parseSignatureManifest(existing.body).layers;
  const layer: Descriptor = {
    mediaType: simpleSigningType,
    digest: await client.pushBlob(payload),
    size: payload.length,
    annotations: { [signatureAnnotation]: signature },
  };
  // As cosign's dupe detector (pkg/cosign/remote/remote.go): the same payload already signed by this
  // key is the same claim, so nothing is added; signed by another key (cosign by hand, or the key
  // before a rotation) it is another signature, and it stays.
  const publicKeyPem = createPublicKey(privateKeyPem).export({ type: "spki", format: "pem" }).toString();
  const same = (l: Descriptor): boolean =>
    l.digest === layer.digest && signatureVerifies(payload, l.annotations?.[signatureAnnotation] ?? "", publicKeyPem);
  if (previous.some(same)) return { tag, signatures: previous.length };
  const layers = [...previous, layer];
  const config = configBlob(layers);
  const manifest: SignatureManifest = {
    schemaVersion: 2,
    mediaType: ociManifestType,
    config: { mediaType: configType, digest: await client.pushBlob(config), size: config.length },
    layers,
  };
  await client.pushManifest(tag, ociManifestType, Buffer.from(JSON.stringify(manifest)));
  return { tag, signatures: layers.length };
}

export type Verdict = { readonly verified: true; readonly claims: SignedClaims } | { readonly verified: false; readonly reason: string };

interface Payload {
  readonly critical?: { readonly image?: { readonly "docker-manifest-digest"?: unknown } };
  readonly optional?: Readonly<Record<string, unknown>> | null;
}

/**
 * Whether any signature of `digest` verifies with the public key and claims
 * every expected annotation (the revision production ships, the repository).
 * Each refusal says what was found, so the message can say what to do.
 */
export async function verifySignature(
  client: RegistryClient,
  digest: string,
  publicKeyPem: string,
  expected: Readonly<Record<string, string>>,
): Promise<Verdict> {
  const manifest = await client.manifest(signatureTag(digest));
  if (manifest === undefined) return { verified: false, reason: `no signature: the registry has no ${signatureTag(digest)}` };
  const layers = parseSignatureManifest(manifest.body).layers.filter((l) => l.mediaType === simpleSigningType);
  const reasons: string[] = [];
  for (const layer of layers) {
    const signature = layer.annotations?.[signatureAnnotation];
    if (signature === undefined) continue;
    const payload = await client.blob(layer.digest);
    if (!signatureVerifies(payload, signature, publicKeyPem)) {
      reasons.push("a signature that does not verify with imageSigningPublicKey");
      continue;
    }
    const claims = JSON.parse(payload.toString("utf8")) as Payload;
    if (claims.critical?.image?.["docker-manifest-digest"] !== digest) {
      reasons.push(`a valid signature of another digest (${String(claims.critical?.image?.["docker-manifest-digest"])})`);
      continue;
    }
    const optional = claims.optional ?? {};
    const mismatch = Object.entries(expected).find(([key, value]) => optional[key] !== value);
    if (mismatch !== undefined) {
      reasons.push(
        `a valid signature whose ${mismatch[0]} is ${JSON.stringify(optional[mismatch[0]] ?? null)}, not ${JSON.stringify(mismatch[1])}`,
      );
      continue;
    }
    const annotations = Object.fromEntries(Object.entries(optional).map(([k, v]) => [k, String(v)]));
    return { verified: true, claims: { digest, dockerReference: "", annotations } };
  }
  return {
    verified: false,
    reason: reasons.length === 0 ? `${signatureTag(digest)} holds no signature` : `found only ${reasons.join("; ")}`,
  };
}

export { sha256Digest };
