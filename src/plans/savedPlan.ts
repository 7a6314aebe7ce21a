/**
 * A plan `pulumi preview --save-plan` wrote (the engine's DeploymentPlanV1),
 * read as far as a reviewer needs it: which resources change and how, which
 * of their properties, and what the stack will ship (its outputs). Secret
 * values in a plan are ciphertext under the stack's secrets provider; nothing
 * here decrypts or prints them.
 */

/** The engine's marker of a secret value in a plan (the same as in state). */
const secretSignatureKey = "4dabf18193072939515e22adb298388d";

export interface PlannedChange {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** What the engine will do: create, update, replace, delete, or same (nothing). */
  readonly operation: "create" | "update" | "replace" | "delete" | "same" | "read";
  /** Top-level input properties the plan adds, changes or removes, by name (never their values). */
  readonly properties: readonly string[];
}

export interface SavedPlan {
  /** The CLI version that saved it. */
  readonly engineVersion: string;
  readonly savedAt: string;
  readonly changes: readonly PlannedChange[];
  /** The stack's planned outputs; a secret output is `undefined`. */
  readonly outputs: Readonly<Record<string, string | number | boolean | undefined>>;
}

type Json = Readonly<Record<string, unknown>>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

export const isSecretValue = (value: unknown): boolean => isObject(value) && secretSignatureKey in value;

/** The type and name a URN ends with: `urn:pulumi:<stack>::<project>::<parent$...$type>::<name>`. */
function urnParts(urn: string): { type: string; name: string } {
  const parts = urn.split("::");
  const types = parts[2] ?? "";
  return { type: types.split("$").at(-1) ?? types, name: parts.slice(3).join("::") };
}

/** One operation for a resource's steps: a replacement's create-replacement and delete-replaced read as `replace`. */
function operationOf(steps: readonly string[]): PlannedChange["operation"] {
  if (steps.some((s) => s === "replace" || s === "create-replacement" || s === "delete-replaced")) return "replace";
  for (const op of ["create", "update", "delete", "read"] as const) if (steps.includes(op)) return op;
  return "same";
}

function changedProperties(goal: Json | undefined): string[] {
  const diff = goal?.["inputDiff"];
  if (!isObject(diff)) return [];
  const keys = ["adds", "updates", "deletes"].flatMap((part) => {
    const value = diff[part];
    if (Array.isArray(value)) return value.map(String);
    return isObject(value) ? Object.keys(value) : [];
  });
  // `__defaults`, `__internal` and the like are the engine's and providers' bookkeeping, not settings.
  return [...new Set(keys)].filter((k) => !k.startsWith("__")).sort();
}

/** The outputs the root stack resource will have: its planned state, else what its output diff adds or updates. */
function stackOutputs(plans: Json): SavedPlan["outputs"] {
  const stack = Object.entries(plans).find(([urn]) => urnParts(urn).type === "pulumi:pulumi:Stack")?.[1];
  if (!isObject(stack)) return {};
  const goal = isObject(stack["goal"]) ? stack["goal"] : undefined;
  const diff = isObject(goal?.["outputDiff"]) ? goal["outputDiff"] : {};
  const state = isObject(stack["state"])
    ? stack["state"]
    : { ...(isObject(diff["adds"]) ? diff["adds"] : {}), ...(isObject(diff["updates"]) ? diff["updates"] : {}) };
  const outputs: Record<string, string | number | boolean | undefined> = {};
  for (const [key, value] of Object.entries(state)) {
    if (isSecretValue(value)) outputs[key] = undefined;
    else if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") outputs[key] = value;
  }
  return outputs;
}

/** Reads a saved plan's text; throws, naming what is missing, when it is not one. */
export function parseSavedPlan(text: string): SavedPlan {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`not a saved plan: it is not JSON (${(error as Error).message})`);
  }
  if (!isObject(json) || !isObject(json["resourcePlans"]) || !isObject(json["manifest"])) {
    throw new Error("not a saved plan: no manifest or resourcePlans (write one with pulumi preview --save-plan <file>)");
  }
  const manifest = json["manifest"];
  const plans = json["resourcePlans"];
  const changes = Object.entries(plans)
    .filter(([urn]) => urnParts(urn).type !== "pulumi:pulumi:Stack")
    .map(([urn, plan]): PlannedChange => {
      const body = isObject(plan) ? plan : {};
      const goal = isObject(body["goal"]) ? body["goal"] : undefined;
      const steps = Array.isArray(body["steps"]) ? body["steps"].map(String) : [];
      const operation = operationOf(steps);
      return { urn, ...urnParts(urn), operation, properties: operation === "same" ? [] : changedProperties(goal) };
    })
    .sort((a, b) => a.urn.localeCompare(b.urn));
  return {
    engineVersion: typeof manifest["version"] === "string" ? manifest["version"] : "unknown",
    savedAt: typeof manifest["time"] === "string" ? manifest["time"] : "unknown",
    changes,
    outputs: stackOutputs(plans),
  };
}
