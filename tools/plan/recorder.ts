/**
 * What a program declared under Pulumi's mock runtime, as seen on the wire:
 * the mock API hands `newResource` plain values with secrets unwrapped, so
 * secretness is read from the serialized request, where Pulumi marks it
 * (with the SDK's own wire constants, so an SDK that changed them still matches).
 */

import { specialSecretSig as secretSig, specialSigKey as sigKey } from "@pulumi/pulumi/runtime/rpc";

export const secretMark = "[secret]";

export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly parent: string;
  /** URNs this resource waits for (explicit `dependsOn` and input dependencies). */
  readonly dependencies: readonly string[];
  /** `retainOnDelete`: deleting the resource leaves the real object alone. */
  readonly retainOnDelete: boolean;
  /** Inputs with every secret replaced by `[secret]`: safe to print or write. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** Inputs with secrets unwrapped, as the mock provider receives them. Never print these. */
  readonly plainInputs: Readonly<Record<string, unknown>>;
  /** Dotted paths of the inputs that were Pulumi secrets. */
  readonly secretPaths: readonly string[];
}

function isWireSecret(value: unknown): value is { value: unknown } {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[sigKey] === secretSig;
}

/** Replace secrets by the mark and collect their paths. */
export function redactWire(value: unknown, path: string, secretPaths: string[]): unknown {
  if (isWireSecret(value)) {
    secretPaths.push(path);
    return secretMark;
  }
  if (Array.isArray(value)) return value.map((item, i) => redactWire(item, `${path}[${i}]`, secretPaths));
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactWire(v, path === "" ? k : `${path}.${k}`, secretPaths);
    return out;
  }
  return value;
}

/** Unwrap secrets into plain data: the view a mock provider gets. */
export function unwrapWire(value: unknown): unknown {
  if (isWireSecret(value)) return unwrapWire(value.value);
  if (Array.isArray(value)) return value.map(unwrapWire);
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = unwrapWire(v);
    return out;
  }
  return value;
}
