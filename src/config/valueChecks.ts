/**
 * One value of the stack file, judged on its own: a secret in plain text, a key
 * this program does not have, a credential under a plain key, or a value its
 * key's schema refuses. Each problem keeps the value out of the message when it
 * may be a secret.
 */
import { configKeys, configKeyNames, defaults, isConfigKey, rotationDateProblems, type ConfigKey, type KeyDefinition } from "./keys";
import { isSecretKey, secretDefinitions, type SecretKey } from "./catalog";
import type { Problem } from "./errors";
import { closest } from "./didYouMean";
import { projectName } from "./rawConfig";
import { setSecretCommand } from "./requiredSecrets";
import { credentialKind, exposureWarning, hiddenValue, mustHide } from "./exposure";
import { urlPassword } from "../policies/checks";
import { stateBackendProblem } from "./backend";
import { fixCommand } from "./fixCommands";

/** What one value comes to: its problem, its typed value, or nothing ("" for a key that then counts as not set). */
export type Judged = { readonly problem: Problem } | { readonly key: ConfigKey; readonly value: unknown } | undefined;

/** Parses the string Pulumi gives into what the key's schema checks; `ok: false` when it is not of the key's kind. */
export function decode(raw: string, definition: KeyDefinition): { ok: true; value: unknown } | { ok: false } {
  switch (definition.kind) {
    case "string":
      return { ok: true, value: raw };
    case "boolean":
      return raw === "true" || raw === "false" ? { ok: true, value: raw === "true" } : { ok: false };
    case "integer":
      return /^-?[0-9]+$/.test(raw) ? { ok: true, value: Number(raw) } : { ok: false };
    case "number":
      return /^-?[0-9]+(\.[0-9]+)?$/.test(raw) ? { ok: true, value: Number(raw) } : { ok: false };
    case "array":
    case "object": {
      try {
        const parsed: unknown = JSON.parse(raw);
        const fits =
          definition.kind === "array" ? Array.isArray(parsed) : typeof parsed === "object" && parsed !== null && !Array.isArray(parsed);
        return fits ? { ok: true, value: parsed } : { ok: false };
      } catch {
        return { ok: false };
      }
    }
  }
}

/** Pulumi.yaml declares required keys, and optional ones without a natural default, as "": not set. */
export function emptyMeansUnset(key: ConfigKey): boolean {
  const definition: KeyDefinition = configKeys[key];
  return definition.required || (definition.kind === "string" && !(key in defaults));
}

export function plainSecretProblem(key: SecretKey, rawValue: string, stack: string): Problem {
  return {
    key,
    value: hiddenValue,
    allowed: "a secret value, stored encrypted",
    fix: `pulumi config rm ${key} --stack ${stack}; rotate it, then ${setSecretCommand(key, stack)}`,
    message: `is a secret but is stored in plain text: it ${exposureWarning(key, rawValue)}`,
  };
}

/** A key this program does not read: the nearest setting or secret it may be a typo of, and its value hidden if it may be one. */
export function unknownKeyProblem(key: string, rawValue: string, stack: string): Problem {
  const suggestion = closest(key, [...configKeyNames, ...secretDefinitions.map((d) => d.key)]);
  const exposed = mustHide(key, rawValue);
  return {
    key,
    value: exposed ? hiddenValue : rawValue,
    allowed:
      suggestion === undefined
        ? "only the keys listed in Pulumi.yaml"
        : `only the keys listed in Pulumi.yaml (did you mean ${suggestion}?)`,
    fix:
      suggestion !== undefined && isSecretKey(suggestion)
        ? `pulumi config rm ${key} --stack ${stack}; rotate it, then ${setSecretCommand(suggestion, stack)}`
        : `pulumi config rm ${key} --stack ${stack}`,
    message: exposed ? `is not a setting of this program, and it ${exposureWarning(key, rawValue)}` : "is not a setting of this program",
  };
}

export function credentialProblem(key: ConfigKey, rawValue: string, stack: string): Problem {
  const definition: KeyDefinition = configKeys[key];
  // A corrected form of the user's value (a backend URL without its user:password@), unless it still holds the credential.
  const corrected = fixCommand(key, definition, stack, rawValue);
  const fix = credentialKind(corrected) === undefined ? corrected : fixCommand(key, definition, stack);
  // Railway runs the command with the service's variables: a database URL is one of them already, or a reference to it.
  const inCommand = key === "preDeployCommand" && credentialKind(rawValue) === urlPassword.name;
  // What else is wrong with it (a Postgres backend, an S3 endpoint with user:password@), in words that never quote it.
  const also = key === "stateBackendUrl" ? refusalMessage(key, rawValue) : undefined;
  return {
    key,
    value: hiddenValue,
    allowed: definition.allowed,
    fix: inCommand
      ? `${fix} (a script in the image that reads the URL from a Railway service variable, e.g. psql "$DATABASE_URL"; never the URL itself here)`
      : fix,
    message: `is not a secret setting, yet it ${exposureWarning(key, rawValue)}${also === undefined ? "" : `; and it ${also}`}`,
  };
}

/** YAML reads an unquoted 3.10 as the number 3.1: the version the user wrote is already lost. */
export function unquotedNumbersProblem(key: ConfigKey, rawValue: string, stack: string, numbers: readonly number[]): Problem {
  return {
    key,
    value: rawValue,
    allowed: `${configKeys[key].allowed}; every item quoted, since YAML reads unquoted 3.10 as the number 3.1`,
    fix: `quote each item in stacks/Pulumi.${stack}.yaml, e.g. ${projectName}:${key}: [${numbers.map((n) => `"${String(n)}"`).join(", ")}] (write "3.10" where you meant 3.10)`,
    message: `holds unquoted number${numbers.length === 1 ? "" : "s"} (${numbers.join(", ")})`,
  };
}

/** What is wrong, where "allowed" alone would not say which part: a state backend URL, the entries of secretRotatedAt. */
export function refusalMessage(key: ConfigKey, rawValue: string): string | undefined {
  if (key === "stateBackendUrl") return stateBackendProblem(rawValue.trim())?.message;
  if (key !== "secretRotatedAt") return undefined;
  const decoded = decode(rawValue, configKeys.secretRotatedAt);
  const entries = decoded.ok ? rotationDateProblems(decoded.value as Record<string, unknown>) : [];
  return entries.length === 0 ? undefined : `records ${entries.join("; ")}`;
}

/** A value its key refuses, with what is wrong with it where the key says more. */
export function invalidValueProblem(key: ConfigKey, rawValue: string, stack: string): Problem {
  const definition: KeyDefinition = configKeys[key];
  const message = refusalMessage(key, rawValue);
  return {
    key,
    value: rawValue,
    allowed: definition.allowed,
    fix: fixCommand(key, definition, stack, rawValue),
    ...(message === undefined ? {} : { message }),
  };
}

/** One setting of this program: its typed value, or why not. */
export function judgeSetting(key: ConfigKey, rawValue: string, stack: string): Judged {
  const definition: KeyDefinition = configKeys[key];
  if (rawValue === "" && emptyMeansUnset(key)) return undefined;
  if (credentialKind(rawValue) !== undefined) return { problem: credentialProblem(key, rawValue, stack) };
  const decoded = decode(rawValue, definition);
  const parsed = decoded.ok ? definition.schema.safeParse(decoded.value) : undefined;
  if (parsed?.success === true) return { key, value: parsed.data };
  const numbers =
    decoded.ok && Array.isArray(decoded.value) ? decoded.value.filter((item): item is number => typeof item === "number") : [];
  return {
    problem: numbers.length > 0 ? unquotedNumbersProblem(key, rawValue, stack, numbers) : invalidValueProblem(key, rawValue, stack),
  };
}

/** Any key of the stack file's plain values. */
export function judgeValue(key: string, rawValue: string, stack: string): Judged {
  if (isSecretKey(key)) return { problem: plainSecretProblem(key, rawValue, stack) };
  if (!isConfigKey(key)) return { problem: unknownKeyProblem(key, rawValue, stack) };
  return judgeSetting(key, rawValue, stack);
}

/** Every plain value: the problems, in the stack file's order, and the settings that passed, typed by their schemas. */
export function judgeValues(
  values: Readonly<Record<string, string>>,
  stack: string,
): { readonly problems: Problem[]; readonly settings: Partial<Record<ConfigKey, unknown>> } {
  const problems: Problem[] = [];
  const settings: Partial<Record<ConfigKey, unknown>> = {};
  for (const [key, rawValue] of Object.entries(values)) {
    const judged = judgeValue(key, rawValue, stack);
    if (judged === undefined) continue;
    if ("problem" in judged) problems.push(judged.problem);
    else settings[judged.key] = judged.value;
  }
  return { problems, settings };
}
