/** Test helpers: the committed stack files, with a distinct sentinel value for every secret. */
import { resolve } from "node:path";
import { projectName, secretKeys, toRawStackConfig, type SecretKey } from "../../src/config";
import { readStackSettings, type StackSettings } from "../../src/plan/stackFiles";

export const projectDir = resolve(__dirname, "..", "..");

/** A value no real input contains, so finding it anywhere means it leaked there. */
export function sentinel(key: SecretKey): string {
  return `sentinel-${key}-7f3a9c`;
}

export const allSentinels: readonly string[] = secretKeys.map(sentinel);

/** The committed stack file plus every given secret set, as `pulumi config set --secret` would. */
export function stackWithSecrets(
  stack: string,
  secrets: readonly SecretKey[] = secretKeys,
  overrides: Readonly<Record<string, string>> = {},
): StackSettings {
  const base = readStackSettings(projectDir, stack);
  const config: Record<string, string> = { ...base.config };
  for (const [key, value] of Object.entries(overrides)) config[`${projectName}:${key}`] = value;
  const secretFullKeys = secrets.map((k) => `${projectName}:${k}`);
  for (const key of secrets) config[`${projectName}:${key}`] = sentinel(key);
  return { config, secretKeys: [...base.secretKeys, ...secretFullKeys] };
}

export function rawConfig(settings: StackSettings, stack: string) {
  return toRawStackConfig(stack, settings.config, (k) => settings.secretKeys.includes(k));
}
