// The sealed box the GitHub stand-in opens secrets with, checked against
// boxes made by Go's golang.org/x/crypto/nacl/box (SealAnonymous, the call
// the provider's encryptPlaintext makes) and against BLAKE2b from x/crypto.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { blake2b, boxKeyPairFromSecretKey, generateBoxKeyPair, sealedBoxOpen, sealedBoxSeal } from "../engine/sealedBox";

// Made with golang.org/x/crypto v0.54.0: secret key bytes 1..32, box.SealAnonymous(nil, msg, &pk, rand.Reader).
const goSecretKey = new Uint8Array(32).map((_, i) => i + 1);
const goPublicKey = "B6N8vBQgk8i3VdwbEOhstCY3StFqqFPtC9/AsrhtHHw=";
const goBoxes: readonly { readonly message: string; readonly sealed: string }[] = [
  { message: "", sealed: "aq2ze+zclTLYPxlOfYtDpkibfCEjFtrO06P0+4SI5HQ4Izr0WHxGZi5+PcSpHS1Q" },
  {
    message: "sentinel-githubToken-7f3a",
    sealed: "YE3xymlVhkG8TbJGMQsFyRuF+ppbaKh1rJBTyl7ioUODnuB6ND49IIjubvzb6NSxT1ZUIs/co55DkJGU9U8SDFMtrIfwkJqPgg==",
  },
  {
    message: "\0".repeat(200),
    sealed:
      "lzOxHfzq9ZPNKLoV+qyKoW/YL6c3GNFErrnFe1Euf19EXFS9YqW1KTfg8jM+xYeevaQnCaGSyjgDrXyHfwYWDB4/of8Tx+JMgFuMULkoq1WU8+wTUWUBXhlyM4i6+N/nMzZ4g2o62sSeEPonJJ9k/U3XW98tzgzobttDCRKsmNwpTtnVFVROoUM/IYRBWst4wu4IDe+xsa3XdMtwylwaRRsezH8eqFTr6jae+GICOc4eAga+CLnUI6hdjZwHPtlVrYDFcpnBXU/NwSxeuq7jZhiuGUs/28ejb4RFSdHRRDhOMZ8wrCwaTMRdUDw/2V7FukC7oXphImY=",
  },
];
// Go opened this box, sealed here, back to "sentinel from ts" (box.OpenAnonymous).
const sealedHereOpenedByGo = "4/4r/uqe2Eyia5FHeL/zx4dmyK2Y612H0n+XEbkZvQhXiZk9XjA2WqINWPdM2Nq1WOVFjCvwX+YA3XJjYXNMsg==";

const bytes = (b64: string): Uint8Array => new Uint8Array(Buffer.from(b64, "base64"));

describe("sealed box (libsodium crypto_box_seal)", () => {
  const keys = boxKeyPairFromSecretKey(goSecretKey);

  it("derives the X25519 public key Go derives", () => {
    expect(Buffer.from(keys.publicKey).toString("base64")).toBe(goPublicKey);
  });

  it.each(goBoxes)("opens what Go's SealAnonymous sealed ($message.length bytes)", ({ message, sealed }) => {
    const opened = sealedBoxOpen(bytes(sealed), keys);
    expect(opened === undefined ? undefined : Buffer.from(opened).toString("utf8")).toBe(message);
  });

  it("opens the box Go opened, and refuses it altered or under another key", () => {
    expect(Buffer.from(sealedBoxOpen(bytes(sealedHereOpenedByGo), keys) ?? []).toString("utf8")).toBe("sentinel from ts");
    const altered = bytes(sealedHereOpenedByGo);
    altered[60] = (altered[60] ?? 0) ^ 1;
    expect(sealedBoxOpen(altered, keys)).toBeUndefined();
    expect(sealedBoxOpen(bytes(sealedHereOpenedByGo), generateBoxKeyPair())).toBeUndefined();
    expect(sealedBoxOpen(new Uint8Array(10), keys)).toBeUndefined();
  });

  it("round-trips with fresh keys, 48 bytes of overhead, a new ephemeral key each time", () => {
    const recipient = generateBoxKeyPair();
    const message = Buffer.from("é ✓ a value with some length to cross a 64-byte Salsa20 block ".repeat(3));
    const a = sealedBoxSeal(message, recipient.publicKey);
    const b = sealedBoxSeal(message, recipient.publicKey);
    expect(a.length).toBe(message.length + 48);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    expect(Buffer.from(sealedBoxOpen(a, recipient) ?? []).equals(message)).toBe(true);
  });
});

describe("BLAKE2b", () => {
  it("matches x/crypto/blake2b at 24 bytes (the sealed-box nonce)", () => {
    expect(
      Buffer.from(
        blake2b(
          new Uint8Array(64).map((_, i) => i),
          24,
        ),
      ).toString("base64"),
    ).toBe("qgVFB7SRaDem0rNbHOfFJfrNt4aO1VqK");
    expect(
      Buffer.from(
        blake2b(
          new Uint8Array(300).map((_, i) => (i * 7) & 0xff),
          24,
        ),
      ).toString("base64"),
    ).toBe("v2GUMOKm7wukgdQhnKkWQpi+Zovf6Q3N");
  });

  it.each([0, 1, 127, 128, 129, 300])("matches node's blake2b512 at 64 bytes for %i bytes of input", (length) => {
    const input = new Uint8Array(length).map((_, i) => (i * 13) & 0xff);
    expect(Buffer.from(blake2b(input, 64)).toString("hex")).toBe(createHash("blake2b512").update(input).digest("hex"));
  });

  it("refuses output lengths outside 1..64", () => {
    expect(() => blake2b(new Uint8Array(0), 0)).toThrow();
    expect(() => blake2b(new Uint8Array(0), 65)).toThrow();
  });
});
