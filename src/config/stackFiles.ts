/**
 * Reads a stack's settings the way the Pulumi CLI hands them to a program:
 * Pulumi.yaml's declared defaults, overlaid by stacks/Pulumi.<stack>.yaml,
 * every value a string (lists and objects as JSON), secure values as secret
 * keys whose ciphertext stays unread.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { siblingStack } from "./crossStack";
import { toRawStackConfig, type RawStackConfig } from "./rawConfig";

export interface StackSettings {
  /** Fully qualified key (`project:key`) to value, as in `PULUMI_CONFIG`. */
  readonly config: Readonly<Record<string, string>>;
  /** Fully qualified keys whose values are secure (encrypted) in the stack file. */
  readonly secretKeys: readonly string[];
}

interface ProjectFile {
  readonly name: string;
  readonly stackConfigDir?: string;
  readonly config?: Readonly<Record<string, { readonly default?: unknown } | undefined>>;
}

function asConfigString(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * What a reader of the stack file (the offline plan) holds for a secret: the file has only ciphertext, and
 * for a secret not set yet the plan hands the program a placeholder. Neither is the value, so nothing may be
 * judged from it (see `secretFacts`).
 */
export const unreadSecretValue = "[secret]";
export const unsetSecretPlaceholder = "<not set>";

function isSecure(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && "secure" in value;
}

/**
 * The files' parsed YAML, by their text: a run reads Pulumi.yaml for the project, for each stack's file
 * path and for the other stack, and the YAML parser costs more than the read. Keyed by text, an edited
 * file is parsed afresh. Callers only read the values (the types are readonly).
 */
const parsedByText = new Map<string, unknown>();
const parsedKept = 16;

/** The refusal of a file whose aliases would expand beyond what the parser allows. */
export function aliasBombMessage(file: string): string {
  return (
    `${file} is refused: its YAML aliases (*name) expand beyond the YAML parser's limit, the shape of a file made to exhaust ` +
    `the memory of whatever reads it. Fix: write each value out in ${file} instead of through anchors (&name) and aliases (*name); ` +
    "a stack file needs neither"
  );
}

/** Parses a YAML file, naming it in the error (the parser's own message says only the line). */
function parseYamlFile(file: string): unknown {
  const text = readFileSync(file, "utf8");
  if (parsedByText.has(text)) return parsedByText.get(text);
  try {
    const parsed: unknown = parse(text);
    if (parsedByText.size >= parsedKept) parsedByText.delete(parsedByText.keys().next().value ?? "");
    parsedByText.set(text, parsed);
    return parsed;
  } catch (error) {
    if (error instanceof Error && error.name.startsWith("YAML")) throw new Error(`${file} is not valid YAML: ${error.message}`);
    // The parser's guard against a "billion laughs" file, thrown as a ReferenceError that names neither file nor fix.
    if (error instanceof ReferenceError && /alias count/i.test(error.message)) throw new Error(aliasBombMessage(file));
    throw error;
  }
}

export function readProjectFile(projectDir: string): ProjectFile {
  return parseYamlFile(join(projectDir, "Pulumi.yaml")) as ProjectFile;
}

/** `stacksDir` overrides the project's `stackConfigDir` (to plan a variant without touching stacks/). */
export function stackFilePath(projectDir: string, stack: string, stacksDir?: string): string {
  const project = readProjectFile(projectDir);
  return join(stacksDir ?? join(projectDir, project.stackConfigDir ?? "."), `Pulumi.${stack}.yaml`);
}

export function readStackSettings(projectDir: string, stack: string, stacksDir?: string): StackSettings {
  const project = readProjectFile(projectDir);
  const file = stackFilePath(projectDir, stack, stacksDir);
  if (!existsSync(file)) {
    throw new Error(
      `No stack file for stack "${stack}" at ${file}. Stacks in this project: see the stacks/ folder (or: pulumi stack init ${stack}).`,
    );
  }
  const parsed = parseYamlFile(file) ?? {};
  if (typeof parsed !== "object" || Array.isArray(parsed))
    throw new Error(
      `${file} must be a YAML mapping with a config: section, found ${Array.isArray(parsed) ? "a list" : `a ${typeof parsed}`}`,
    );
  const stackFile = parsed as { config?: Record<string, unknown> };
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, declaration] of Object.entries(project.config ?? {})) {
    if (declaration?.default !== undefined) config[`${project.name}:${key}`] = asConfigString(declaration.default);
  }
  for (const [rawKey, value] of Object.entries(stackFile.config ?? {})) {
    const key = rawKey.includes(":") ? rawKey : `${project.name}:${rawKey}`;
    if (isSecure(value)) {
      // The offline plan cannot decrypt; it knows the secret is set, which is all it shows.
      secretKeys.push(key);
      config[key] = unreadSecretValue;
    } else {
      config[key] = asConfigString(value);
    }
  }
  return { config, secretKeys };
}

let siblingsDir: string | undefined;

/**
 * Where the program reads the other stack's file from, when not the project's
 * stackConfigDir: the offline plan of a folder of variant stack files sets it
 * in-process (no environment variable a shell could leave behind).
 */
export function useStacksDirForSiblings(dir: string | undefined): void {
  siblingsDir = dir;
}

/**
 * The other stack's settings, for the cross-stack rules; `undefined` when this
 * is not one of the two stacks or the other's file is absent or unreadable
 * (its own run reports that).
 */
export function readSiblingConfig(
  projectDir: string,
  stack: string,
  stacksDir: string | undefined = siblingsDir,
): RawStackConfig | undefined {
  if (stack !== "staging" && stack !== "production") return undefined;
  const other = siblingStack(stack);
  try {
    if (!existsSync(stackFilePath(projectDir, other, stacksDir))) return undefined;
    const settings = readStackSettings(projectDir, other, stacksDir);
    return toRawStackConfig(other, settings.config, (key) => settings.secretKeys.includes(key));
  } catch {
    return undefined;
  }
}
