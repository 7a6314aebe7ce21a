/**
 * The `config:` block of Pulumi.yaml, derived from the key table so the file
 * documents every setting the program reads. A test fails when the committed
 * Pulumi.yaml drifts from this.
 *
 * No key declares a `type`: the CLI checks declared types before the program
 * runs, stops at the first wrong one and prints its own terse message, so a
 * user would never see the program's report of every problem with its fix.
 * The type is in the description instead. Every key has a `default` (required
 * keys ""), because the CLI also refuses, with its own message, a declared key
 * without one that the stack does not set; the program reports a required key
 * left "" as not set, together with everything else.
 *
 * Secrets are not declared: some are required only for one kind of state
 * backend, and the program lists every missing one with its command. Nor is
 * `secretRotatedAt`, which `npm run rotate` keeps.
 */
import { configKeys, configKeyNames, type KeyDefinition } from "./keys";

export interface ConfigDeclaration {
  readonly description: string;
  readonly default: string | number | boolean | readonly string[];
}

const kindWords = { string: "string", integer: "integer", number: "number", boolean: "boolean", array: "list of strings" } as const;

export function projectConfigDeclarations(): Record<string, ConfigDeclaration> {
  const declarations: Record<string, ConfigDeclaration> = {};
  for (const key of configKeyNames) {
    const definition: KeyDefinition = configKeys[key];
    const fallback = definition.default;
    // secretRotatedAt, the one map, is `npm run rotate`'s to keep.
    if (definition.kind === "object" || (typeof fallback === "object" && !Array.isArray(fallback))) continue;
    declarations[key] = {
      description: `(${kindWords[definition.kind]}${definition.required ? ", required" : ""}) ${definition.description} Allowed: ${definition.allowed}.`,
      default: fallback ?? "",
    };
  }
  return declarations;
}
