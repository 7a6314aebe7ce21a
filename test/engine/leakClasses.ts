/**
 * The secret values the engine suites set, in the review's hard classes (test/helpers/leakValues.ts):
 * every secret the program only passes on gets a value of a class, the classes rotating over the keys
 * by `turn` so each suite meets every class. A secret something reads as a credential keeps a value of
 * its kind: the provider's token and the registry login travel in HTTP headers, the signing key must be
 * a key, Railway's token is a header too.
 */
import type { SecretKey } from "../../src/config";
import { rotatedValues, type LeakValue } from "../helpers/leakValues";
import { secretValue } from "../helpers/stacks";

/** Read as a credential by a client here: a value of its own kind (alphanumeric sentinel, or the fixture key). */
export const credentialShaped: ReadonlySet<SecretKey> = new Set([
  "githubToken",
  "dockerhubToken",
  "dockerhubPullToken",
  "railwayToken",
  "imageSigningKey",
]);

/** Each key's value for this suite, and the leak values to search for. */
export function engineSecrets(
  keys: readonly SecretKey[],
  turn: number,
): { readonly value: (key: SecretKey) => string; readonly leakValues: readonly LeakValue[] } {
  const classed = rotatedValues(
    keys.filter((k) => !credentialShaped.has(k)),
    turn,
  );
  const byKey = new Map(classed.map((v) => [v.key, v.value]));
  return { value: (key) => byKey.get(key) ?? secretValue(key), leakValues: classed };
}
