/**
 * The leak checks both stacks' leak tests share (security review F-L9): the
 * program runs under the offline plan's mocks with every secret of the
 * catalog set to a value of a leak class (test/helpers/leakValues.ts), and
 * every surface a person or a log can see is searched for every form of every value.
 */
import { expect } from "vitest";
import { ConfigError, secretKeys, validateStackConfig, type SecretKey } from "../../src/config";
import { useStacksDirForSiblings } from "../../src/config/stackFiles";
import { planNotes } from "../../src/pipeline";
import { formatPlan } from "../../tools/plan/format";
import type { ProgramRun } from "../../tools/plan/harness";
import type { RecordedResource } from "../../tools/plan/recorder";
import { planFiles } from "../../tools/plan/output";
import { runPlanProgram } from "../../tools/plan/planProgram";
import { describeLeaks, findLeaks, rotatedValues, type Leak, type LeakValue } from "./leakValues";
import { fixtureSigningKey, fixtureStacksDir, rawConfig, stackWithSecrets } from "./stacks";

export type LeakStack = "staging" | "production";

/**
 * Secrets the program reads as a key rather than as opaque text: each keeps a
 * real key of its kind, with the class's value after its END line (PEM readers
 * ignore what follows), so validation accepts it and the class's characters
 * still travel with it. A secret whose value the program starts to parse
 * fails the run with a message that points here.
 */
const keyShaped: Readonly<Record<string, () => string>> = {
  // The fixture stacks' imageSigningPublicKey is this key's public half (test/fixtures/README.md).
  imageSigningKey: () => fixtureSigningKey,
};

/**
 * Which rotations of the value classes each stack runs (rotatedValues: key i
 * gets class (i + turn) mod 6, so every run holds values of all six classes).
 * One class per run, six runs per stack, cost 10 program evaluations more than
 * one run each (about 3.5 s of CPU, of a suite of 30 s on two cores); three
 * turns a stack give every secret both stacks consume each class once across
 * the two, and a secret only staging consumes three of them.
 */
export const leakTurns: Readonly<Record<LeakStack, readonly number[]>> = { staging: [0, 1, 2], production: [3, 4, 5] };

/** Every secret of the catalog with a value of its class in this turn, each with its own marker. */
export function catalogValues(turn: number): LeakValue[] {
  return rotatedValues(secretKeys, turn).map((value) => {
    const shaped = keyShaped[value.key];
    return shaped === undefined ? value : { ...value, value: `${shaped()}${value.value}` };
  });
}

/** What one evaluation left visible: each surface by name, and the resources with their plain inputs. */
export interface LeakRun {
  readonly values: readonly LeakValue[];
  readonly run: ProgramRun;
  /** Everything shown or written without secrets: non-secret inputs, outputs, the plan printout and files. */
  readonly surfaces: Readonly<Record<string, unknown>>;
}

/** The program as the offline plan runs it, with every secret of the class set, and what the plan would print and write. */
export async function leakRun(
  stack: LeakStack,
  values: readonly LeakValue[],
  overrides: Readonly<Record<string, string>> = {},
): Promise<LeakRun> {
  const byKey = new Map(values.map((v) => [v.key, v.value]));
  const settings = stackWithSecrets(stack, secretKeys, overrides, fixtureStacksDir, (key) => byKey.get(key) ?? "");
  const config = validated(stack, settings, values);
  useStacksDirForSiblings(fixtureStacksDir);
  const { run, spec } = await runPlanProgram(stack, settings);
  const files = planFiles(run, config, spec);
  const plan = formatPlan({
    stack,
    run,
    missingSecretCommands: [],
    notes: planNotes(spec),
    outDir: `plan-out/${stack}`,
    writtenFiles: files.map((f) => f.path),
  });
  const surfaces = {
    "non-secret inputs": run.resources.map((r) => ({ [r.name]: r.inputs })),
    outputs: run.outputs,
    "plan printout": plan,
    "plan files": Object.fromEntries(files.map((f) => [f.path, f.content])),
  };
  return { values, run, surfaces };
}

/** The stack's config as the plan validates it; a value the program refuses names the table above. */
function validated(stack: LeakStack, settings: ReturnType<typeof stackWithSecrets>, values: readonly LeakValue[]) {
  try {
    return validateStackConfig(rawConfig(settings, stack)).config;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const refused = error.problems.map((p) => p.key).filter((k) => values.some((v) => v.key === k));
    const classes = refused.map((k) => `${k} (${values.find((v) => v.key === k)?.valueClass ?? ""})`);
    throw new Error(
      `${stack} refuses the value of ${classes.join(", ") || "(no secret)"}: ${error.message}. ` +
        "A secret the program parses needs a value of its kind: add it to keyShaped in test/helpers/leaks.ts.",
      { cause: error },
    );
  }
}

/** A plain-input path inside one Pulumi marks secret. */
const insideSecret = (path: string, secretPaths: readonly string[]): boolean =>
  secretPaths.some((p) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`));

/** Inputs whose text becomes a file or a command line: a secret there is visible whether or not Pulumi marks it. */
const neverSecretFields = ["content", "create", "update", "delete"];

/**
 * Invoke arguments that may carry a secret, by token and argument: the SDK
 * sends every invoke's arguments to the engine unwrapped (no secretness on the
 * wire, so the harness cannot see any), stored nowhere, and marks the answer
 * secret. Anywhere else in an invoke a value is a leak.
 */
const invokeSecretArguments: Readonly<Record<string, readonly string[]>> = {
  // The signature check's command gets the registry token in its environment, as the deploy's Command does.
  "command:local:run": ["environment"],
};

/** Each value's forms in the plain inputs of each resource (the view a provider gets), found once per run. */
const plainCache = new WeakMap<LeakRun, readonly { readonly resource: RecordedResource; readonly leaks: readonly Leak[] }[]>();

function inPlainInputs(r: LeakRun): readonly { readonly resource: RecordedResource; readonly leaks: readonly Leak[] }[] {
  let found = plainCache.get(r);
  if (found === undefined) {
    found = r.run.resources.map((resource) => ({ resource, leaks: findLeaks(resource.plainInputs, r.values) }));
    plainCache.set(r, found);
  }
  return found;
}

/** Every form of every value found where it may not be: on a surface, outside the Pulumi secrets of plain inputs, in an invoke. */
export function leaksOf(r: LeakRun): Leak[] {
  const onSurfaces = Object.entries(r.surfaces).flatMap(([name, haystack]) => findLeaks(haystack, r.values, name));
  const inInputs = inPlainInputs(r).flatMap(({ resource, leaks }) =>
    leaks
      .filter((l) => neverSecretFields.includes(l.where.split(/[.[]/)[0] ?? "") || !insideSecret(l.where, resource.secretPaths))
      .map((l) => ({ ...l, where: `${resource.name} plain input ${l.where}` })),
  );
  const inInvokes = r.run.invokes.flatMap((invoke, i) =>
    findLeaks(invoke.inputs, r.values)
      .filter((l) => !insideSecret(l.where, invokeSecretArguments[invoke.token] ?? []))
      .map((l) => ({ ...l, where: `invoke ${String(i)} (${invoke.token}) argument ${l.where}` })),
  );
  return [...onSurfaces, ...inInputs, ...inInvokes];
}

/** Forms several values may share (the pem4k and json values of a worker share one PEM): they say no key consumed it. */
const sharedForms: readonly string[] = ["line", "line-json"];

/** The secrets the run consumed: those with some form of their own inside the plain inputs of some resource. */
export function consumedOf(r: LeakRun): SecretKey[] {
  const found = new Set(inPlainInputs(r).flatMap(({ leaks }) => leaks.filter((l) => !sharedForms.includes(l.form)).map((l) => l.key)));
  return secretKeys.filter((k) => found.has(k));
}

/** Asserts no value leaks, and that the stack consumed exactly what it should, saying what to change when not. */
export function assertNoLeaks(stack: LeakStack, r: LeakRun): void {
  const leaks = leaksOf(r);
  expect(leaks, `leaked:\n${describeLeaks(leaks)}`).toEqual([]);
  const consumed = consumedOf(r);
  const expected = consumedBy(stack);
  const missing = expected.filter((k) => !consumed.includes(k));
  const unexpected = consumed.filter((k) => !expected.includes(k));
  expect(
    { missing, unexpected },
    `${stack} did not consume ${missing.join(", ") || "-"} and consumed ${unexpected.join(", ") || "-"} unexpectedly: ` +
      `if that is by design, change notConsumedBy.${stack} in test/helpers/leaks.ts (a secret neither stack consumes is checked by no leak test)`,
  ).toEqual({ missing: [], unexpected: [] });
}

/**
 * The catalog's secrets each stack's program does not consume, written out by
 * hand with why: every other secret, a new one included, must be consumed (and
 * only inside Pulumi secrets), so a secret added to the catalog is checked by
 * both stacks' leak tests unless it is listed here, and leak.catalog.test.ts
 * fails for a secret listed for both.
 */
export const notConsumedBy: Readonly<Record<LeakStack, readonly string[]>> = {
  staging: [],
  // The fixture production stack pulls a public image (no pull token) and signs nothing (it verifies staging's signatures).
  production: ["dockerhubPullToken", "imageSigningKey"],
};

/** What the stack's leak test must find consumed: every secret of the catalog but those listed above. */
export function consumedBy(stack: LeakStack): SecretKey[] {
  return secretKeys.filter((k) => !notConsumedBy[stack].includes(k));
}
