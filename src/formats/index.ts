/**
 * The one definition of each reference format the pipeline passes between
 * GitHub, the registry and Railway. Config validation, the workflows' shell
 * checks, the policy pack and the deploy command all read these, so a value
 * one accepts is never refused by another. The bottom layer: imports nothing
 * but Node's own crypto (to read signing keys).
 */
import { createPrivateKey, createPublicKey } from "node:crypto";

/** A full commit SHA, as GitHub names a commit (`github.sha`). */
export const commitShaPattern = /^[0-9a-f]{40}$/;

/**
 * A release tag: `v` and a semantic version, with an optional pre-release part
 * (`v1.4.2`, `v1.5.0-rc.1`). The source is also a POSIX extended regular
 * expression, so the workflows' bash `[[ =~ ]]` checks use it unchanged.
 */
export const releaseTagPattern = /^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$/;

/** The tag filter (a GitHub glob) that lets only release tags reach production's environment. */
export const releaseTagGlob = "v*";

/** An image pinned by digest: the reference ends in `@sha256:` and 64 hex digits. */
export const digestSuffixPattern = /@sha256:[0-9a-f]{64}$/;

export function isCommitSha(value: string): boolean {
  return commitShaPattern.test(value);
}

export function isReleaseTag(value: string): boolean {
  return releaseTagPattern.test(value);
}

export function isImageByDigest(image: string): boolean {
  return digestSuffixPattern.test(image);
}

/**
 * A date as `secretRotatedAt` records it (YYYY-MM-DD) and a day of the calendar: Date rolls 2026-02-30 over to
 * March 2, a real day reads back as written.
 */
export function isCalendarDay(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const start = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(start.getTime()) && start.toISOString().slice(0, 10) === date;
}

// The last time zone to start a day (UTC+14): a date is in the future only once no place on Earth has reached it.
const earliestDayStart = 14 * 60 * 60 * 1000;

/** A day of the calendar that has begun somewhere on Earth by `now`. */
export function isPastDay(date: string, now: Date): boolean {
  return isCalendarDay(date) && Date.parse(`${date}T00:00:00Z`) - earliestDayStart <= now.getTime();
}

/** What is wrong with a recorded rotation date, in words that follow it ("2026-02-30 is no day of the calendar"). */
export function rotationDateFault(date: unknown, now: Date): string | undefined {
  if (typeof date !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return "is not a YYYY-MM-DD date";
  if (!isCalendarDay(date)) return "is no day of the calendar";
  return isPastDay(date, now) ? undefined : "is in the future";
}

/** The Linux platforms BuildKit (and @pulumi/docker-build's `Platform` type) knows, as `platforms` takes them. */
export const supportedPlatforms = [
  "linux/amd64",
  "linux/arm64",
  "linux/arm",
  "linux/386",
  "linux/ppc64le",
  "linux/s390x",
  "linux/riscv64",
] as const;

/** What the image is built for when a stack names no `platforms`; the policy pack checks the same list by default. */
export const defaultPlatforms: readonly string[] = ["linux/amd64", "linux/arm64"];

/**
 * The image-signing key pair's public half: a PEM `PUBLIC KEY` (SPKI) of an
 * ECDSA P-256 key, the kind cosign verifies with `--key`. Staging signs with
 * the private half; production refuses a digest this key did not sign.
 */
export const signingKeyCurve = "prime256v1";

export function isSigningPublicKey(pem: string): boolean {
  // Only the SPKI form: createPublicKey would also take a certificate or a private key and derive one.
  if (!/^-----BEGIN PUBLIC KEY-----\r?\n[A-Za-z0-9+/=\r\n]+\r?\n-----END PUBLIC KEY-----$/.test(pem.trim())) return false;
  try {
    const key = createPublicKey(pem);
    return key.asymmetricKeyType === "ec" && key.asymmetricKeyDetails?.namedCurve === signingKeyCurve;
  } catch {
    return false;
  }
}

/**
 * The public half of a signing private key (PKCS#8 or SEC1 PEM, ECDSA P-256), as
 * SPKI PEM; `undefined` when the value is no such key.
 */
export function signingPublicKeyOf(privatePem: string): string | undefined {
  try {
    const key = createPrivateKey(privatePem);
    if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== signingKeyCurve) return undefined;
    return createPublicKey(key).export({ type: "spki", format: "pem" }).toString();
  } catch {
    return undefined;
  }
}

/** Two PEM public keys name the same key (whitespace and line breaks aside). */
export function samePublicKey(a: string, b: string): boolean {
  const body = (pem: string): string => pem.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, "");
  return body(a) === body(b);
}
