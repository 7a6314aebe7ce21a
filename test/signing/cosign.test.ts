// Image signatures in cosign's format, pushed to and read back from the registry stand-in (the Distribution
// spec's rules): staging's signature verifies for its digest and revision, and every way production could be
// fooled (no signature, another key, another digest, another revision, a tampered payload) is refused.
import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pushSignature, signatureTag, simpleSigningPayload, verifySignature } from "../../src/signing/cosign";
import { RegistryClient, type RegistryLogin } from "../../src/signing/registryClient";
import { RegistryStandIn } from "../engine/registry";

const repository = "acme/learning-voice-agent";
const login: RegistryLogin = { username: "acmebot", password: "registry-test-token" };
const fixtures = join(__dirname, "..", "fixtures", "signing");
const privateKey = readFileSync(join(fixtures, "image-signing.pem"), "utf8");
const publicKey = readFileSync(join(fixtures, "image-signing.pub"), "utf8");
const otherKeys = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
const otherPrivate = otherKeys.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const otherPublic = otherKeys.publicKey.export({ type: "spki", format: "pem" }).toString();
const revision = "0123456789abcdef0123456789abcdef01234567";

let registry: RegistryStandIn;
let digest: string;
let client: RegistryClient;

beforeAll(async () => {
  registry = await new RegistryStandIn([{ repository, tag: "sha-0123456", platforms: ["linux/amd64", "linux/arm64"] }], login).start();
  digest = registry.digestOf(repository, "sha-0123456");
  // The setup file restores the environment after this file.
  process.env["SSL_CERT_FILE"] = registry.certFile;
  client = new RegistryClient({ host: registry.host, repository }, login);
});
afterAll(async () => {
  await registry.stop();
});

const claims = (annotations: Record<string, string>, of = digest) => ({
  digest: of,
  dockerReference: `${registry.host}/${repository}`,
  annotations,
});

describe("cosign-format signatures", () => {
  it("writes the payload cosign signs: the digest and identity under critical, annotations under optional", () => {
    const payload = JSON.parse(simpleSigningPayload(claims({ revision, b: "2", a: "1" })).toString()) as Record<string, unknown>;
    expect(payload).toEqual({
      critical: {
        identity: { "docker-reference": `${registry.host}/${repository}` },
        image: { "docker-manifest-digest": digest },
        type: "cosign container image signature",
      },
      optional: { a: "1", b: "2", revision },
    });
    expect(signatureTag(`sha256:${"ab".repeat(32)}`)).toBe(`sha256-${"ab".repeat(32)}.sig`);
  });

  it("round-trips: a pushed signature verifies for its digest and revision, with the staging key only", async () => {
    const pushed = await pushSignature(client, claims({ revision, verifiedBy: "staging" }), privateKey);
    expect(pushed).toEqual({ tag: signatureTag(digest), signatures: 1 });
    expect(registry.tagsOf(repository)).toContain(signatureTag(digest));
    expect(await verifySignature(client, digest, publicKey, { revision, verifiedBy: "staging" })).toMatchObject({ verified: true });
    expect(await verifySignature(client, digest, otherPublic, { revision })).toEqual({
      verified: false,
      reason: "found only a signature that does not verify with imageSigningPublicKey",
    });
    expect(await verifySignature(client, digest, publicKey, { revision: "f".repeat(40) })).toEqual({
      verified: false,
      reason: `found only a valid signature whose revision is "${revision}", not "${"f".repeat(40)}"`,
    });
  });

  it("appends a second signature of the digest, as cosign does, and signing the same claim again adds none", async () => {
    const other = "89abcdef0123456789abcdef0123456789abcdef";
    expect((await pushSignature(client, claims({ revision: other, verifiedBy: "staging" }), privateKey)).signatures).toBe(2);
    expect((await pushSignature(client, claims({ revision: other, verifiedBy: "staging" }), privateKey)).signatures).toBe(2);
    expect(await verifySignature(client, digest, publicKey, { revision: other })).toMatchObject({ verified: true });
    expect(await verifySignature(client, digest, publicKey, { revision })).toMatchObject({ verified: true });
  });

  it("refuses a digest nobody signed, and a signature of another digest moved under this digest's tag", async () => {
    const unsigned = `sha256:${"1".repeat(64)}`;
    expect(await verifySignature(client, unsigned, publicKey, { revision })).toEqual({
      verified: false,
      reason: `no signature: the registry has no ${signatureTag(unsigned)}`,
    });
    // Whoever holds the registry token copies a valid signature manifest to another digest's tag.
    const source = await client.manifest(signatureTag(digest));
    if (source === undefined) throw new Error("no signature pushed");
    await client.pushManifest(signatureTag(unsigned), source.mediaType, source.body);
    expect(await verifySignature(client, unsigned, publicKey, { revision })).toMatchObject({
      verified: false,
      reason: expect.stringContaining(`a valid signature of another digest (${digest})`) as unknown,
    });
  });

  it("keeps another key's signature of the very same claims, as cosign does (a rotated key, or cosign by hand)", async () => {
    // The same digest, reference and annotations make the same payload bytes, so the same layer digest:
    // only the signature tells the two apart. Replacing it would drop the other key's signature.
    const both = `sha256:${"2".repeat(64)}`;
    expect((await pushSignature(client, claims({ revision }, both), otherPrivate)).signatures).toBe(1);
    expect((await pushSignature(client, claims({ revision }, both), privateKey)).signatures).toBe(2);
    expect((await pushSignature(client, claims({ revision }, both), privateKey)).signatures).toBe(2);
    expect(await verifySignature(client, both, otherPublic, { revision })).toMatchObject({ verified: true });
    expect(await verifySignature(client, both, publicKey, { revision })).toMatchObject({ verified: true });
  });

  it("refuses a signature made with another key, even with the right claims", async () => {
    const fresh = registry.digestOf(repository, "sha-0123456").replace(/.$/, "0");
    await pushSignature(client, claims({ revision }, fresh), otherPrivate);
    expect(await verifySignature(client, fresh, publicKey, { revision })).toMatchObject({ verified: false });
  });

  it("says the registry refused the credentials when the token is wrong", async () => {
    const wrong = new RegistryClient({ host: registry.host, repository }, { username: "acmebot", password: "wrong" });
    await expect(pushSignature(wrong, claims({ revision }), privateKey)).rejects.toThrow(/HTTP 401 \(the registry refused the credentials/);
  });
});
