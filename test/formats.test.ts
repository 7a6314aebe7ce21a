// The one definition of each reference format, and that every reader uses it: a release tag the
// config accepts is one the production workflow's shell check accepts, and the other way round.
import { generateKeyPairSync } from "node:crypto";
import { runSync } from "./helpers/runSync";
import { fixtureSigningKey, fixtureSigningPublicKey } from "./helpers/stacks";
import { describe, expect, it } from "vitest";
import { configKeys, defaults } from "../src/config";
import {
  commitShaPattern,
  defaultPlatforms,
  isCalendarDay,
  isCommitSha,
  isPastDay,
  rotationDateFault,
  isImageByDigest,
  isReleaseTag,
  isSigningPublicKey,
  releaseTagGlob,
  releaseTagPattern,
  samePublicKey,
  signingPublicKeyOf,
  supportedPlatforms,
} from "../src/formats";

const sha = "3f786850e387550fdab836ed7e6dc881de23001b";
const digest = `sha256:${"a".repeat(64)}`;

describe("reference formats", () => {
  it.each([
    ["v1.4.2", true],
    ["v1.5.0-rc.1", true],
    ["v10.0.0", true],
    ["1.4.2", false],
    ["v1.4", false],
    ["v1.4.2\nrm -rf /", false],
    ["release-1", false],
  ])("release tag %j: %s", (tag, ok) => {
    expect(isReleaseTag(tag)).toBe(ok);
    expect(configKeys.appRevision.schema.safeParse(tag).success).toBe(ok);
  });

  it("commit SHAs are full and lowercase, as GitHub names them", () => {
    expect(isCommitSha(sha)).toBe(true);
    expect(isCommitSha(sha.slice(0, 7))).toBe(false);
    expect(isCommitSha(sha.toUpperCase())).toBe(false);
    expect(commitShaPattern.source).toBe("^[0-9a-f]{40}$");
    expect(configKeys.appRevision.schema.safeParse(sha).success).toBe(true);
  });

  it("images by digest end in @sha256 and 64 hex digits; a tag is not a digest", () => {
    expect(isImageByDigest(`docker.io/acme/app@${digest}`)).toBe(true);
    expect(isImageByDigest("docker.io/acme/app:latest")).toBe(false);
    expect(isImageByDigest(`docker.io/acme/app@sha256:${"a".repeat(63)}`)).toBe(false);
    expect(configKeys.deployImage.schema.safeParse(`docker.io/acme/app@${digest}`).success).toBe(true);
    expect(configKeys.deployImage.schema.safeParse("docker.io/acme/app:v1.4.2").success).toBe(false);
  });

  it("the glob that lets tags reach production covers every release tag", () => {
    expect(releaseTagGlob).toBe("v*");
    expect(releaseTagPattern.source.startsWith("^v")).toBe(true);
  });

  // The workflows check tags with bash's =~ (POSIX extended regular expressions): the same source must mean the same there.
  it.each(["v1.4.2", "v1.5.0-rc.1", "1.4.2", "v1.4", "vx.y.z"])("bash's =~ with the same pattern agrees on %j", (tag) => {
    const script = `if [[ "$TAG" =~ ${releaseTagPattern.source} ]]; then echo yes; else echo no; fi`;
    const answer = runSync("bash", ["-c", script], { env: { TAG: tag } }).stdout.trim();
    expect(answer).toBe(isReleaseTag(tag) ? "yes" : "no");
  });

  it("the platforms setting takes exactly the platforms BuildKit knows, and its default is two of them", () => {
    for (const platform of supportedPlatforms) expect(configKeys.platforms.schema.safeParse([platform]).success, platform).toBe(true);
    for (const platform of ["linux/mips", "windows/amd64", "amd64", "linux/arm64/v8"])
      expect(configKeys.platforms.schema.safeParse([platform]).success, platform).toBe(false);
    expect(defaults.platforms).toEqual(defaultPlatforms);
    for (const platform of defaultPlatforms) expect(supportedPlatforms).toContain(platform);
  });
});

describe("image-signing keys", () => {
  const pair = (options: Parameters<typeof generateKeyPairSync>[1]) => generateKeyPairSync("ec", options as { namedCurve: string });
  const p256 = pair({ namedCurve: "prime256v1" });
  const spki = p256.publicKey.export({ type: "spki", format: "pem" }).toString();
  const pkcs8 = p256.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const sec1 = p256.privateKey.export({ type: "sec1", format: "pem" }).toString();

  it("accepts only an SPKI PEM public key of an ECDSA P-256 key, whatever the line endings and trailing newlines", () => {
    expect(isSigningPublicKey(fixtureSigningPublicKey)).toBe(true);
    expect(isSigningPublicKey(spki)).toBe(true);
    expect(isSigningPublicKey(spki.replace(/\n/g, "\r\n"))).toBe(true);
    expect(isSigningPublicKey(`${spki.trim()}\n\n`)).toBe(true);
    const p384 = pair({ namedCurve: "secp384r1" }).publicKey.export({ type: "spki", format: "pem" }).toString();
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ type: "spki", format: "pem" }).toString();
    for (const refused of [p384, rsa, pkcs8, sec1, "", "image-signing.pub", spki.replace("-----\n", "-----\n!")])
      expect(isSigningPublicKey(refused), refused.slice(0, 40)).toBe(false);
    // The form is right, the body is not a key.
    expect(isSigningPublicKey("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")).toBe(false);
  });

  it("derives the public half of a P-256 private key in PKCS#8 or SEC1, and nothing of anything else", () => {
    expect(signingPublicKeyOf(pkcs8)).toBe(spki);
    expect(signingPublicKeyOf(sec1)).toBe(spki);
    expect(samePublicKey(signingPublicKeyOf(fixtureSigningKey) ?? "", fixtureSigningPublicKey)).toBe(true);
    const p384 = pair({ namedCurve: "secp384r1" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    for (const refused of [p384, spki, "not a key", ""]) expect(signingPublicKeyOf(refused)).toBeUndefined();
  });

  it("compares public keys by their body, whatever the line breaks", () => {
    expect(samePublicKey(spki, spki.replace(/\n/g, "\r\n").trim())).toBe(true);
    expect(samePublicKey(spki, fixtureSigningPublicKey)).toBe(false);
  });
});

describe("rotation dates", () => {
  it("are days of the calendar, YYYY-MM-DD", () => {
    expect(["2026-01-31", "2024-02-29", "2000-02-29", "1999-12-31"].filter(isCalendarDay)).toHaveLength(4);
    expect(
      ["2026-13-45", "2026-02-30", "2023-02-29", "1900-02-29", "2026-00-10", "2026-1-01", "20260101", " 2026-01-01", ""].filter(
        isCalendarDay,
      ),
    ).toEqual([]);
  });

  it("are past once the day has begun somewhere on Earth (UTC+14), and never later", () => {
    const now = new Date("2026-11-25T12:00:00Z");
    expect(isPastDay("2026-11-25", now)).toBe(true);
    // Kiribati is at 02:00 on the 26th.
    expect(isPastDay("2026-11-26", now)).toBe(true);
    expect(isPastDay("2026-11-27", now)).toBe(false);
    expect(isPastDay("2999-01-01", now)).toBe(false);
    expect(isPastDay("2026-02-30", now)).toBe(false);
  });

  it("say what is wrong with one", () => {
    const now = new Date("2026-11-25T12:00:00Z");
    expect(rotationDateFault("2026-11-01", now)).toBeUndefined();
    expect(rotationDateFault("2026-13-45", now)).toBe("is no day of the calendar");
    expect(rotationDateFault("2026-02-30", now)).toBe("is no day of the calendar");
    expect(rotationDateFault("2999-01-01", now)).toBe("is in the future");
    expect(rotationDateFault("yesterday", now)).toBe("is not a YYYY-MM-DD date");
    expect(rotationDateFault(20261101, now)).toBe("is not a YYYY-MM-DD date");
  });
});
