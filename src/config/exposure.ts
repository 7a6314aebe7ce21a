/**
 * Which config values must never be printed: those under a secret key, under a
 * key close enough to one to be its typo, and any value that looks like a
 * credential whatever its key. Errors, the plan and preview show "(hidden)".
 */
import { credentialPatterns } from "../policies/checks";
import { secretKeys } from "./secretKeys";
import { closest } from "./didYouMean";
import { configKeyNames } from "./keys";

/** The key without its `namespace:` prefix. */
function bareKey(key: string): string {
  const colon = key.lastIndexOf(":");
  return colon === -1 ? key : key.slice(colon + 1);
}

/** The secret key this key is, or is a typo of. */
export function nearSecretKey(key: string): string | undefined {
  const bare = bareKey(key);
  // A setting of this program is plain by definition, however its name resembles a secret's (railwayDomain, railwayToken).
  if ((configKeyNames as readonly string[]).includes(bare)) return undefined;
  return closest(bare, secretKeys);
}

/** The value, and its percent-decoded form where it has one (a URL inside a query: endpoint=https%3A%2F%2Fuser%3Apw%40host). */
function forms(value: string): string[] {
  if (!value.includes("%")) return [value];
  try {
    return [value, decodeURIComponent(value)];
  } catch {
    return [value];
  }
}

/** The kind of credential a value looks like, if any. */
export function credentialKind(value: string): string | undefined {
  return credentialPatterns.find((c) => forms(value).some((form) => c.pattern.test(form)))?.name;
}

/** Whether a plain value under this key must be kept out of every message. */
export function mustHide(key: string, value: string | undefined): boolean {
  return nearSecretKey(key) !== undefined || (value !== undefined && credentialKind(value) !== undefined);
}

export const hiddenValue = "(hidden)";

/** What to say about a secret found in plain text: where it is exposed, and that it must be replaced at its issuer. */
export function exposureWarning(key: string, value: string | undefined): string {
  const kind = value === undefined ? undefined : credentialKind(value);
  const what = kind === undefined ? "a secret" : `what looks like a ${kind}`;
  return (
    `holds ${what} in plain text: it is exposed (in the stack file, its git history and any log that printed it) ` +
    `and must be rotated: revoke it where it was issued, then store the new one encrypted`
  );
}
