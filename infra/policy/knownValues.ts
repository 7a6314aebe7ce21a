/**
 * A plain copy of the properties CrossGuard hands a policy, with every value
 * the engine cannot know during preview replaced by `unknownValue`. The SDK
 * wraps properties in a proxy that throws on reading an unknown value, and a
 * throw skips the whole policy with an advisory "can't run policy ... during
 * preview"; a mandatory policy must instead check what is known.
 */
import * as policySdk from "@pulumi/policy";
import { unknownValue } from "../../src/policies/checks";

// Exported by the SDK at run time, but its declaration file is empty (the class is marked internal).
const { UnknownValueError } = policySdk as unknown as { readonly UnknownValueError: abstract new (...args: never[]) => Error };

function read(container: object, key: string): unknown {
  try {
    return knownValues((container as Record<string, unknown>)[key]);
  } catch (error) {
    if (error instanceof UnknownValueError) return unknownValue;
    throw error;
  }
}

export function knownValues(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  // Listing keys is not intercepted by the proxy; only reading a value is.
  if (Array.isArray(value)) return Array.from({ length: value.length }, (_, i) => read(value, String(i)));
  return Object.fromEntries(Object.keys(value).map((key) => [key, read(value, key)]));
}
