/**
 * Identities kept apart: the read-only ones must not be the write ones under
 * another name, and the image-signing key pair must be whole. Each rule that
 * needs a secret's value reads only a fact the program derived from it
 * (`SecretFacts`): never the value itself.
 */
import { samePublicKey, signingPublicKeyOf } from "../formats";
import type { SecretKey } from "./catalog";
import type { Problem } from "./errors";
import type { ConfigValues } from "./keys";
import { setSecretCommand } from "./requiredSecrets";

/**
 * What the program learned from secret values before dropping them. Absent
 * where the values are not known: the offline plan reads the stack file, where
 * a secret is ciphertext.
 */
export interface SecretFacts {
  /** Pairs of secret keys (of `separateIdentities`) that hold the same value. */
  readonly equal: readonly (readonly [SecretKey, SecretKey])[];
  /** The public half of `imageSigningKey` (SPKI PEM), `"invalid"` when it is no ECDSA P-256 private key, absent when unset. */
  readonly signingPublicKey?: string;
  /** Secrets whose value is not in Unicode normalization form C, which GitHub's provider would change. */
  readonly notNfc?: readonly SecretKey[];
}

export const invalidSigningKey = "invalid";

/**
 * Pairs where the second is the narrower identity: the same value in both
 * would hand the wider access to wherever the narrower one goes.
 */
export const separateIdentities: readonly { readonly wide: SecretKey; readonly narrow: SecretKey; readonly why: string }[] = [
  {
    wide: "deliveryAppPrivateKey",
    narrow: "previewAppPrivateKey",
    why: "the preview environments would hold the delivery App's key, which writes and bypasses the rulesets",
  },
  { wide: "dockerhubToken", narrow: "dockerhubPullToken", why: "Railway would hold the token that pushes images" },
  {
    wide: "awsAccessKeyId",
    narrow: "awsPreviewAccessKeyId",
    why: "previews and drift checks would log in to the state with the key that writes it",
  },
  {
    wide: "awsSecretAccessKey",
    narrow: "awsPreviewSecretAccessKey",
    why: "previews and drift checks would log in to the state with the key that writes it",
  },
  {
    wide: "pulumiAccessToken",
    narrow: "pulumiPreviewAccessToken",
    why: "previews and drift checks would log in to Pulumi Cloud with the token that writes the state",
  },
];

/** What each narrow identity is, for the fix. */
const createNarrow: Readonly<Partial<Record<SecretKey, string>>> = {
  previewAppPrivateKey: "the key of the read-only preview App (previewAppId)",
  dockerhubPullToken: "a Read-only Docker Hub access token",
  awsPreviewAccessKeyId: "the key id of an IAM user that can only read the state bucket",
  awsPreviewSecretAccessKey: "the secret key of that read-only IAM user",
  pulumiPreviewAccessToken: "a token of a team that can only read the stacks",
};

/** A stack that builds the image and marks it verified signs it; a stack that promotes a verified image checks the signature. */
export function signingRole(v: Partial<Pick<ConfigValues, "deployImage">>, stack: string): "signs" | "verifies" | "none" {
  if (v.deployImage !== undefined) return "none";
  return stack === "staging" ? "signs" : "verifies";
}

/**
 * Every identity problem. `passed` tells the keys whose own check passed (or
 * that are unset): a rule never judges a key already reported, and two ids
 * that failed their checks are not "the same".
 */
export function identityProblems(
  v: ConfigValues,
  stack: string,
  facts: SecretFacts | undefined,
  passed: (key: string) => boolean,
): Problem[] {
  return [
    // Two ids that are not set are not "the same" either: each is reported as unset.
    ...(passed("previewAppId") && passed("deliveryAppId") && (v as Partial<ConfigValues>).previewAppId !== undefined
      ? appIdProblems(v, stack)
      : []),
    ...reusedSecretProblems(facts, stack),
    ...normalizationProblems(facts, stack),
    ...(passed("imageSigningPublicKey") && passed("deployImage") ? signingProblems(v, stack, facts) : []),
  ];
}

/** The preview App is a second App: the one the rulesets let bypass them must never be the one any preview mints. */
export function appIdProblems(v: Pick<ConfigValues, "deliveryAppId" | "previewAppId">, stack: string): Problem[] {
  if (v.previewAppId !== v.deliveryAppId) return [];
  return [
    {
      key: "previewAppId",
      value: String(v.previewAppId),
      allowed:
        "the id of a second GitHub App, installed read-only: previewAppId equals deliveryAppId, so previews and drift checks would run as the App that writes and bypasses the rulesets",
      fix: `create a read-only GitHub App (docs/setup.md), then pulumi config set previewAppId <its id> --stack ${stack} and ${setSecretCommand("previewAppPrivateKey", stack)}`,
    },
  ];
}

export function reusedSecretProblems(facts: SecretFacts | undefined, stack: string): Problem[] {
  if (facts === undefined) return [];
  return separateIdentities
    .filter(({ wide, narrow }) => facts.equal.some(([a, b]) => (a === wide && b === narrow) || (a === narrow && b === wide)))
    .map(({ wide, narrow, why }) => ({
      key: narrow,
      value: "(secret)",
      allowed: `a credential of its own: ${narrow} holds the same value as ${wide}, so ${why}`,
      fix: `create ${createNarrow[narrow] ?? "a separate credential"}, then ${setSecretCommand(narrow, stack)}`,
    }));
}

const keyPairCommand =
  "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out image-signing.pem && openssl pkey -in image-signing.pem -pubout -out image-signing.pub";

/** The signing key pair: set where it is used, a valid key, and its halves belong together. */
export function signingProblems(
  v: Partial<Pick<ConfigValues, "deployImage" | "imageSigningPublicKey">>,
  stack: string,
  facts: SecretFacts | undefined,
): Problem[] {
  const role = signingRole(v, stack);
  if (role === "none") return [];
  const problems: Problem[] = [];
  if (v.imageSigningPublicKey === undefined) {
    problems.push({
      key: "imageSigningPublicKey",
      value: undefined,
      allowed:
        role === "signs"
          ? "staging's signing public key: staging signs each digest it verified, and production promotes only what verifies with this key"
          : "staging's signing public key: production promotes only a digest staging signed",
      fix: `${role === "signs" ? `${keyPairCommand}, then ` : "take image-signing.pub from whoever set up staging, then "}pulumi config set imageSigningPublicKey --stack ${stack} < image-signing.pub`,
      message: "is required but not set",
    });
  }
  const derived = facts?.signingPublicKey;
  if (role !== "signs" || derived === undefined) return problems;
  if (derived === invalidSigningKey) {
    problems.push({
      key: "imageSigningKey",
      value: "(secret)",
      allowed: "a PEM private key (PKCS#8 or SEC1) of an ECDSA P-256 key pair",
      fix: `${keyPairCommand}, then ${setSecretCommand("imageSigningKey", stack)} < image-signing.pem`,
    });
  } else if (v.imageSigningPublicKey !== undefined && !samePublicKey(derived, v.imageSigningPublicKey)) {
    problems.push({
      key: "imageSigningPublicKey",
      value: v.imageSigningPublicKey,
      allowed: "the public half of imageSigningKey: the two are not one key pair, so production could not verify what staging signs",
      fix: `openssl pkey -in image-signing.pem -pubout -out image-signing.pub, then pulumi config set imageSigningPublicKey --stack ${stack} < image-signing.pub (and the same in the other stack)`,
    });
  }
  return problems;
}

/**
 * The facts the rules above need, from the secret values the program was given
 * (`undefined`: not set). The values go no further than this function.
 */
export function secretFacts(values: Readonly<Partial<Record<SecretKey, string>>>): SecretFacts {
  const equal = separateIdentities
    .filter(({ wide, narrow }) => values[wide] !== undefined && values[wide] !== "" && values[wide] === values[narrow])
    .map(({ wide, narrow }) => [wide, narrow] as const);
  const notNfc = (Object.keys(values) as SecretKey[]).filter((key) => values[key] !== values[key]?.normalize("NFC"));
  const signingKey = values.imageSigningKey;
  return {
    equal,
    ...(notNfc.length === 0 ? {} : { notNfc }),
    ...(signingKey === undefined ? {} : { signingPublicKey: signingPublicKeyOf(signingKey) ?? invalidSigningKey }),
  };
}

/**
 * A secret GitHub would receive changed: the GitHub provider runs on Terraform's plugin SDK, whose strings
 * (go-cty's StringVal) are NFC-normalized on entry, so a value with decomposed characters (e followed by a
 * combining accent) reaches GitHub recomposed. For the passphrase, the workflows then could not decrypt the stack.
 */
export function normalizationProblems(facts: SecretFacts | undefined, stack: string): Problem[] {
  return (facts?.notNfc ?? []).map((key) => ({
    key,
    value: "(secret)",
    allowed:
      "text in Unicode normalization form C (NFC): GitHub's provider (Terraform's go-cty) stores every string in NFC, " +
      "so GitHub would hold a different value from the one this stack holds",
    fix: `set it again in NFC form: python3 -c 'import sys,unicodedata; sys.stdout.write(unicodedata.normalize("NFC", sys.stdin.read()))' < value.txt | ${setSecretCommand(key, stack)}`,
  }));
}
