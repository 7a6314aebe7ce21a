/**
 * What the sign and verify commands share: their settings come from the
 * environment only (secrets included, never the command line), one JSON line
 * goes to stdout, and errors to stderr with every secret value redacted.
 */
import { isImageByDigest } from "../formats";
import { redactor } from "../railway/redact";
import { imageName, RegistryClient } from "./registryClient";

export class SettingError extends Error {}

export function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (value === undefined || value === "") throw new SettingError(`${name} is not set`);
  return value;
}

/** `<registry>/<repository>@sha256:<hex>`, split. */
export function imageByDigest(env: NodeJS.ProcessEnv): { repository: string; digest: string } {
  const ref = required(env, "IMAGE_REF");
  if (!isImageByDigest(ref))
    throw new SettingError(`IMAGE_REF ${JSON.stringify(ref)} is not an image by digest (<registry>/<repository>@sha256:<64 hex>)`);
  const at = ref.lastIndexOf("@");
  return { repository: ref.slice(0, at), digest: ref.slice(at + 1) };
}

export function annotations(env: NodeJS.ProcessEnv, name: string): Record<string, string> {
  const text = required(env, name);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SettingError(`${name} is not JSON`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed) || !Object.values(parsed).every((v) => typeof v === "string"))
    throw new SettingError(`${name} is not a JSON object of strings`);
  return parsed as Record<string, string>;
}

/** The client of the image's repository, logged in with REGISTRY_USERNAME and REGISTRY_PASSWORD when given. */
export function registryClient(env: NodeJS.ProcessEnv, repository: string): RegistryClient {
  const username = env["REGISTRY_USERNAME"];
  const password = env["REGISTRY_PASSWORD"];
  const login = username !== undefined && username !== "" && password !== undefined ? { username, password } : undefined;
  return new RegistryClient(imageName(repository), login);
}

/**
 * Runs a command: its result as one JSON line on stdout, exit 0; a setting
 * missing or wrong, exit 2; anything else (the registry refused, no answer),
 * exit 1. Every message passes the redactor of the given secrets first.
 */
export async function runCommand(
  name: string,
  env: NodeJS.ProcessEnv,
  secretNames: readonly string[],
  body: () => Promise<unknown>,
  io: { readonly stdout: (line: string) => void; readonly stderr: (line: string) => void } = {
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
  },
): Promise<number> {
  const redact = redactor(secretNames.map((n) => env[n] ?? "").filter((v) => v !== ""));
  try {
    io.stdout(JSON.stringify(await body()));
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(redact(`${name}: ${message}`));
    return error instanceof SettingError ? 2 : 1;
  }
}
