/**
 * The `config:` block of Pulumi.yaml, derived from the key table so the CLI's
 * own checks (types, required keys, defaults) agree with the program's. A test
 * fails when the committed Pulumi.yaml drifts from this.
 *
 * Secrets are not declared there: the CLI would refuse a stack with a missing
 * secret before the program could list every missing one with its command,
 * and some secrets are required only for one kind of state backend. Nor is
 * `secretRotatedAt`: Pulumi.yaml has no object type; `npm run rotate` writes it.
 */
import { configKeys, configKeyNames, type KeyKind } from "./keys";
import { defaults } from "./validate";

export interface ConfigDeclaration {
  readonly type: Exclude<KeyKind, "object">;
  readonly description: string;
  readonly items?: { readonly type: "string" };
  readonly default?: string | number | boolean | readonly string[];
}

export function projectConfigDeclarations(): Record<string, ConfigDeclaration> {
  const declarations: Record<string, ConfigDeclaration> = {};
  for (const key of configKeyNames) {
    const definition = configKeys[key];
    if (definition.kind === "object") continue;
    const fallback = (defaults as Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>)[key];
    declarations[key] = {
      type: definition.kind,
      description: definition.description,
      ...(definition.kind === "array" ? { items: { type: "string" } } : {}),
      // A declared key without a default is required by the CLI; "" is this program's "not set".
      ...(definition.required ? {} : { default: fallback ?? "" }),
    };
  }
  return declarations;
}
