/**
 * libsodium's sealed box (crypto_box_seal / crypto_box_seal_open), the
 * encryption GitHub requires for Actions secrets: X25519 key agreement with an
 * ephemeral key, XSalsa20-Poly1305, nonce = BLAKE2b-192(ephemeral pk || recipient pk).
 * The provider seals with golang.org/x/crypto/nacl/box.SealAnonymous; this is
 * the same construction, so the GitHub stand-in can hand out a real public key
 * and open what the provider stores. X25519 comes from node:crypto; Salsa20,
 * Poly1305 and BLAKE2b (which node:crypto lacks at these parameters) are
 * implemented here from their specifications, and checked against vectors made
 * with Go's nacl/box (test/githubStandIn/sealedBox.test.ts).
 * Test code only: not constant-time.
 */
import { createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, type KeyObject } from "node:crypto";

export interface BoxKeyPair {
  /** 32 raw bytes, what GitHub hands out base64-encoded as `key`. */
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

const sealOverhead = 32 + 16;

// --- X25519 -----------------------------------------------------------------

function b64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64url");
}

function publicKeyObject(publicKey: Uint8Array): KeyObject {
  return createPublicKey({ key: { kty: "OKP", crv: "X25519", x: b64url(publicKey) }, format: "jwk" });
}

function privateKeyObject(publicKey: Uint8Array, secretKey: Uint8Array): KeyObject {
  return createPrivateKey({ key: { kty: "OKP", crv: "X25519", x: b64url(publicKey), d: b64url(secretKey) }, format: "jwk" });
}

function rawKeys(privateKey: KeyObject): BoxKeyPair {
  const jwk = privateKey.export({ format: "jwk" });
  if (jwk.x === undefined || jwk.d === undefined) throw new Error("X25519 key without x or d");
  return { publicKey: new Uint8Array(Buffer.from(jwk.x, "base64url")), secretKey: new Uint8Array(Buffer.from(jwk.d, "base64url")) };
}

export function generateBoxKeyPair(): BoxKeyPair {
  return rawKeys(generateKeyPairSync("x25519").privateKey);
}

/** The key pair whose secret key is these 32 bytes (clamped by X25519 as NaCl does). */
export function boxKeyPairFromSecretKey(secretKey: Uint8Array): BoxKeyPair {
  if (secretKey.length !== 32) throw new Error("an X25519 secret key is 32 bytes");
  const privateKey = createPrivateKey({
    key: Buffer.concat([Buffer.from("302e020100300506032b656e04220420", "hex"), secretKey]),
    format: "der",
    type: "pkcs8",
  });
  return rawKeys(privateKey);
}

function sharedSecret(secretKey: Uint8Array, ownPublicKey: Uint8Array, theirPublicKey: Uint8Array): Uint8Array {
  return new Uint8Array(
    diffieHellman({ privateKey: privateKeyObject(ownPublicKey, secretKey), publicKey: publicKeyObject(theirPublicKey) }),
  );
}

// --- Salsa20 ----------------------------------------------------------------

const sigma = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574] as const;

function u32(bytes: Uint8Array, offset: number): number {
  return (
    ((bytes[offset] ?? 0) | ((bytes[offset + 1] ?? 0) << 8) | ((bytes[offset + 2] ?? 0) << 16) | ((bytes[offset + 3] ?? 0) << 24)) >>> 0
  );
}

function put32(out: Uint8Array, offset: number, value: number): void {
  out[offset] = value & 0xff;
  out[offset + 1] = (value >>> 8) & 0xff;
  out[offset + 2] = (value >>> 16) & 0xff;
  out[offset + 3] = (value >>> 24) & 0xff;
}

function rotl(v: number, c: number): number {
  return ((v << c) | (v >>> (32 - c))) >>> 0;
}

/** The Salsa20 state for a 32-byte key and 16 bytes of input (nonce || counter). */
function salsaState(key: Uint8Array, input: Uint8Array): number[] {
  return [
    sigma[0],
    u32(key, 0),
    u32(key, 4),
    u32(key, 8),
    u32(key, 12),
    sigma[1],
    u32(input, 0),
    u32(input, 4),
    u32(input, 8),
    u32(input, 12),
    sigma[2],
    u32(key, 16),
    u32(key, 20),
    u32(key, 24),
    u32(key, 28),
    sigma[3],
  ];
}

function doubleRounds(x: number[]): void {
  const qr = (a: number, b: number, c: number, d: number): void => {
    const xa = (): number => x[a] ?? 0;
    const xb = (): number => x[b] ?? 0;
    const xc = (): number => x[c] ?? 0;
    const xd = (): number => x[d] ?? 0;
    x[b] = (xb() ^ rotl((xa() + xd()) >>> 0, 7)) >>> 0;
    x[c] = (xc() ^ rotl((xb() + xa()) >>> 0, 9)) >>> 0;
    x[d] = (xd() ^ rotl((xc() + xb()) >>> 0, 13)) >>> 0;
    x[a] = (xa() ^ rotl((xd() + xc()) >>> 0, 18)) >>> 0;
  };
  for (let i = 0; i < 20; i += 2) {
    qr(0, 4, 8, 12);
    qr(5, 9, 13, 1);
    qr(10, 14, 2, 6);
    qr(15, 3, 7, 11);
    qr(0, 1, 2, 3);
    qr(5, 6, 7, 4);
    qr(10, 11, 8, 9);
    qr(15, 12, 13, 14);
  }
}

function salsa20Block(key: Uint8Array, input: Uint8Array): Uint8Array {
  const initial = salsaState(key, input);
  const x = [...initial];
  doubleRounds(x);
  const out = new Uint8Array(64);
  for (let i = 0; i < 16; i++) put32(out, i * 4, ((x[i] ?? 0) + (initial[i] ?? 0)) >>> 0);
  return out;
}

function hsalsa20(key: Uint8Array, input: Uint8Array): Uint8Array {
  const x = salsaState(key, input);
  doubleRounds(x);
  const out = new Uint8Array(32);
  [0, 5, 10, 15, 6, 7, 8, 9].forEach((word, i) => {
    put32(out, i * 4, x[word] ?? 0);
  });
  return out;
}

/** `length` bytes of the XSalsa20 key stream for a 24-byte nonce. */
function xsalsa20Stream(key: Uint8Array, nonce: Uint8Array, length: number): Uint8Array {
  const subKey = hsalsa20(key, nonce.subarray(0, 16));
  const input = new Uint8Array(16);
  input.set(nonce.subarray(16, 24), 0);
  const out = new Uint8Array(length);
  for (let block = 0, offset = 0; offset < length; block++, offset += 64) {
    let counter = block;
    for (let i = 8; i < 16; i++) {
      input[i] = counter & 0xff;
      counter = Math.floor(counter / 256);
    }
    out.set(salsa20Block(subKey, input).subarray(0, Math.min(64, length - offset)), offset);
  }
  return out;
}

// --- Poly1305 ---------------------------------------------------------------

function leToBigInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i] ?? 0);
  return n;
}

function poly1305(key: Uint8Array, message: Uint8Array): Uint8Array {
  const p = (1n << 130n) - 5n;
  const r = leToBigInt(key.subarray(0, 16)) & 0x0ffffffc0ffffffc0ffffffc0fffffffn;
  const s = leToBigInt(key.subarray(16, 32));
  let acc = 0n;
  for (let i = 0; i < message.length; i += 16) {
    const chunk = message.subarray(i, Math.min(i + 16, message.length));
    acc = ((acc + leToBigInt(chunk) + (1n << BigInt(8 * chunk.length))) * r) % p;
  }
  let tag = (acc + s) & ((1n << 128n) - 1n);
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) {
    out[i] = Number(tag & 0xffn);
    tag >>= 8n;
  }
  return out;
}

// --- BLAKE2b ----------------------------------------------------------------

const mask64 = (1n << 64n) - 1n;
const blakeIv = [
  0x6a09e667f3bcc908n,
  0xbb67ae8584caa73bn,
  0x3c6ef372fe94f82bn,
  0xa54ff53a5f1d36f1n,
  0x510e527fade682d1n,
  0x9b05688c2b3e6c1fn,
  0x1f83d9abfb41bd6bn,
  0x5be0cd19137e2179n,
] as const;
const blakeSigma = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
  [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
  [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
  [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
  [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
  [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
  [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
  [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
  [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
] as const;

function rotr64(v: bigint, c: bigint): bigint {
  return ((v >> c) | (v << (64n - c))) & mask64;
}

function blake2bCompress(h: bigint[], block: Uint8Array, bytesSoFar: bigint, last: boolean): void {
  const m = Array.from({ length: 16 }, (_, i) => leToBigInt(block.subarray(i * 8, i * 8 + 8)));
  const v = [...h, ...blakeIv];
  v[12] = (v[12] ?? 0n) ^ (bytesSoFar & mask64);
  v[13] = (v[13] ?? 0n) ^ (bytesSoFar >> 64n);
  if (last) v[14] = (v[14] ?? 0n) ^ mask64;
  const g = (a: number, b: number, c: number, d: number, x: bigint, y: bigint): void => {
    let va = v[a] ?? 0n;
    let vb = v[b] ?? 0n;
    let vc = v[c] ?? 0n;
    let vd = v[d] ?? 0n;
    va = (va + vb + x) & mask64;
    vd = rotr64(vd ^ va, 32n);
    vc = (vc + vd) & mask64;
    vb = rotr64(vb ^ vc, 24n);
    va = (va + vb + y) & mask64;
    vd = rotr64(vd ^ va, 16n);
    vc = (vc + vd) & mask64;
    vb = rotr64(vb ^ vc, 63n);
    v[a] = va;
    v[b] = vb;
    v[c] = vc;
    v[d] = vd;
  };
  for (let round = 0; round < 12; round++) {
    const s = blakeSigma[round % 10] ?? blakeSigma[0];
    const mi = (i: number): bigint => m[s[i] ?? 0] ?? 0n;
    g(0, 4, 8, 12, mi(0), mi(1));
    g(1, 5, 9, 13, mi(2), mi(3));
    g(2, 6, 10, 14, mi(4), mi(5));
    g(3, 7, 11, 15, mi(6), mi(7));
    g(0, 5, 10, 15, mi(8), mi(9));
    g(1, 6, 11, 12, mi(10), mi(11));
    g(2, 7, 8, 13, mi(12), mi(13));
    g(3, 4, 9, 14, mi(14), mi(15));
  }
  for (let i = 0; i < 8; i++) h[i] = (h[i] ?? 0n) ^ (v[i] ?? 0n) ^ (v[i + 8] ?? 0n);
}

/** Unkeyed BLAKE2b with an output of `outLength` bytes (1 to 64). */
export function blake2b(input: Uint8Array, outLength: number): Uint8Array {
  if (outLength < 1 || outLength > 64) throw new Error("BLAKE2b output is 1 to 64 bytes");
  const h: bigint[] = [...blakeIv];
  h[0] = (h[0] ?? 0n) ^ 0x01010000n ^ BigInt(outLength);
  const blocks = Math.max(1, Math.ceil(input.length / 128));
  for (let i = 0; i < blocks; i++) {
    const last = i === blocks - 1;
    const block = new Uint8Array(128);
    const chunk = input.subarray(i * 128, Math.min((i + 1) * 128, input.length));
    block.set(chunk);
    blake2bCompress(h, block, BigInt(i * 128 + chunk.length), last);
  }
  const out = new Uint8Array(64);
  h.forEach((word, i) => {
    let w = word;
    for (let j = 0; j < 8; j++) {
      out[i * 8 + j] = Number(w & 0xffn);
      w >>= 8n;
    }
  });
  return out.slice(0, outLength);
}

// --- crypto_box / sealed box ---------------------------------------------------

function sealNonce(ephemeralPublicKey: Uint8Array, recipientPublicKey: Uint8Array): Uint8Array {
  const input = new Uint8Array(64);
  input.set(ephemeralPublicKey, 0);
  input.set(recipientPublicKey, 32);
  return blake2b(input, 24);
}

/** crypto_box_beforenm: HSalsa20 of the X25519 shared secret. */
function boxKey(shared: Uint8Array): Uint8Array {
  return hsalsa20(shared, new Uint8Array(16));
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/** crypto_box_seal: ephemeral pk (32) || Poly1305 tag (16) || ciphertext. */
export function sealedBoxSeal(
  message: Uint8Array,
  recipientPublicKey: Uint8Array,
  ephemeral: BoxKeyPair = generateBoxKeyPair(),
): Uint8Array {
  const key = boxKey(sharedSecret(ephemeral.secretKey, ephemeral.publicKey, recipientPublicKey));
  const nonce = sealNonce(ephemeral.publicKey, recipientPublicKey);
  const stream = xsalsa20Stream(key, nonce, 32 + message.length);
  const ciphertext = new Uint8Array(message.length);
  for (let i = 0; i < message.length; i++) ciphertext[i] = (message[i] ?? 0) ^ (stream[32 + i] ?? 0);
  const out = new Uint8Array(sealOverhead + message.length);
  out.set(ephemeral.publicKey, 0);
  out.set(poly1305(stream.subarray(0, 32), ciphertext), 32);
  out.set(ciphertext, sealOverhead);
  return out;
}

/** crypto_box_seal_open: the message, or undefined when the box was not sealed for this key pair or was altered. */
export function sealedBoxOpen(sealed: Uint8Array, recipient: BoxKeyPair): Uint8Array | undefined {
  if (sealed.length < sealOverhead) return undefined;
  const ephemeralPublicKey = sealed.subarray(0, 32);
  let shared: Uint8Array;
  try {
    shared = sharedSecret(recipient.secretKey, recipient.publicKey, ephemeralPublicKey);
  } catch {
    return undefined;
  }
  const key = boxKey(shared);
  const nonce = sealNonce(ephemeralPublicKey, recipient.publicKey);
  const ciphertext = sealed.subarray(sealOverhead);
  const stream = xsalsa20Stream(key, nonce, 32 + ciphertext.length);
  if (!equalBytes(poly1305(stream.subarray(0, 32), ciphertext), sealed.subarray(32, sealOverhead))) return undefined;
  const message = new Uint8Array(ciphertext.length);
  for (let i = 0; i < ciphertext.length; i++) message[i] = (ciphertext[i] ?? 0) ^ (stream[32 + i] ?? 0);
  return message;
}
