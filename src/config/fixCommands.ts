/**
 * The fix an error prints for a key: the `pulumi config set` command with a
 * value that works, or, for a list or a map, the line to write in the stack file.
 */
import type { KeyDefinition } from "./keys";
import { projectName } from "./rawConfig";
import { stateBackendProblem } from "./backend";

/** A shell word: as is when it needs no quoting, else single-quoted. */
export const quote = (value: string): string => (/^[A-Za-z0-9_./:@=-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`);

/** Examples that differ by stack: the generic one would be wrong for production (staging governs; production has its own domain). */
export const productionExamples: Readonly<Record<string, string>> = {
  governsRepository: "false",
  railwayDomain: "voice-agent.up.railway.app",
  // A wait timer of 0 is allowed, but as production's example it would suggest removing a gate.
  waitTimerMinutes: "5",
};

/** An example in the form the user reached for, where the key takes several (their own bucket with a region, an https backend). */
export function exampleLike(key: string, rawValue: string | undefined): string | undefined {
  if (key === "stateBackendUrl" && rawValue !== undefined) return stateBackendProblem(rawValue.trim())?.example;
  return undefined;
}

/** Keys whose value is a file's contents (a PEM key): the fix reads the file on standard input, as `pulumi config set` allows. */
export const fileValuedKeys: ReadonlySet<string> = new Set(["imageSigningPublicKey"]);

export function fixCommand(key: string, definition: KeyDefinition, stack: string, rawValue?: string): string {
  if (fileValuedKeys.has(key)) return `pulumi config set ${key} --stack ${stack} < ${definition.example}`;
  if (key === "secretRotatedAt") {
    return (
      `set it in stacks/Pulumi.${stack}.yaml to the day each secret was last rotated, e.g. ${projectName}:${key}: ${definition.example} ` +
      `(npm run rotate -- --stack ${stack} <key> rotates a secret and records the day)`
    );
  }
  if (definition.kind === "array" || definition.kind === "object") {
    return `set it in stacks/Pulumi.${stack}.yaml, e.g. ${projectName}:${key}: ${definition.example}`;
  }
  const example = exampleLike(key, rawValue) ?? (stack === "production" ? productionExamples[key] : undefined) ?? definition.example;
  return `pulumi config set ${key} ${quote(example)} --stack ${stack}`;
}
