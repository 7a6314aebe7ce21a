/** The one error type for invalid configuration: every problem at once. */
import { hiddenValue, mustHide } from "./exposure";

export interface Problem {
  /** The config key (without the project prefix), or `stack`. */
  readonly key: string;
  /** The bad value as the user wrote it; `undefined` when the key is missing. */
  readonly value: string | undefined;
  /** What is allowed instead. */
  readonly allowed: string;
  /** The command (or edit) that fixes it. */
  readonly fix: string;
  /** What is wrong, when "is not allowed" would not say it. */
  readonly message?: string;
}

/** How much of a key or value the user wrote an error prints: enough to recognise it, never a megabyte. */
export const printedValueLength = 200;
/** Every other part of a problem is this program's words, at most a few hundred characters; any that quotes a huge value is cut too. */
export const printedTextLength = 2000;

/** `text` cut to `max` characters, saying how long it was. */
export function capped(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters; the first ${max} shown)`;
}

/** A value as printed: quoted, and cut after `printedValueLength` characters (its length said outside the quotes). */
export function shownValue(value: string): string {
  if (value.length <= printedValueLength) return JSON.stringify(value);
  return `${JSON.stringify(value.slice(0, printedValueLength))}… (${value.length} characters; the first ${printedValueLength} shown)`;
}

export function formatProblem(p: Problem): string {
  // Validation hides these already; a problem built elsewhere must not print one either.
  const value = p.value !== undefined && mustHide(p.key, p.value) ? hiddenValue : p.value;
  const shown = value === undefined ? "" : ` = ${shownValue(value)}`;
  const message = capped(p.message ?? "is not allowed", printedTextLength);
  return (
    `  - ${capped(p.key, printedValueLength)}${shown} ${message}.\n` +
    `      allowed: ${capped(p.allowed, printedTextLength)}\n      fix:     ${capped(p.fix, printedTextLength)}`
  );
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(
    readonly stackName: string,
    readonly problems: readonly Problem[],
  ) {
    super(
      `Invalid configuration for stack "${stackName}": ${problems.length} problem${problems.length === 1 ? "" : "s"}; nothing was created or changed.\n` +
        problems.map(formatProblem).join("\n"),
    );
  }
}

/** Thrown by `pulumi up`/`preview` when secrets are missing (the offline plan lists them instead). */
export class MissingSecretsError extends Error {
  override readonly name = "MissingSecretsError";
  constructor(
    readonly stackName: string,
    readonly commands: readonly string[],
  ) {
    super(
      `Stack "${stackName}" is missing ${commands.length} secret${commands.length === 1 ? "" : "s"}; nothing was created or changed. Set each (the value is read from the prompt, never from the command line):\n` +
        commands.map((c) => `  ${c}`).join("\n"),
    );
  }
}
