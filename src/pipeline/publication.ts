/**
 * Which GitHub secrets and variables a stack publishes, and where: its deploy
 * environment, its read-only (preview and drift) environments, or (the
 * governing stack) the repository. A secret is named by the config key it is read from, never by value.
 */
import {
  githubEntriesFor,
  isSecretKey,
  requiredSecrets,
  secretDefinitions,
  secretKeys,
  type GithubEntry,
  type SecretKey,
  type StackConfig,
} from "../config";
import { policyPackConfig } from "../policies/packConfig";
import {
  driftEnvironmentName,
  hasPlanEnvironment,
  hasPreviewEnvironment,
  planEnvironmentName,
  previewEnvironmentName,
} from "./environments";

export interface SecretRef {
  readonly githubName: string;
  readonly configKey: SecretKey;
}

export interface VariableSpec {
  readonly githubName: string;
  readonly value: string;
}

/** The secrets and variables of one place a stack publishes to. */
export interface Published {
  readonly secrets: readonly SecretRef[];
  readonly variables: readonly VariableSpec[];
}

/** The secrets a stack needs: those its state backend requires, and every other one that is set. */
export function secretsNeeded(config: StackConfig): ReadonlySet<SecretKey> {
  return new Set<SecretKey>([...requiredSecrets(config.stateBackendUrl), ...config.secretsPresent]);
}

/**
 * Where a stack publishes an entry: the repository (`undefined`), or some of
 * its environments. The deploy environment admits only the default branch
 * (staging) or release tags (production); the read-only ones are the drift
 * environment (the default branch only) and, when the stack has preview
 * reviewers, the preview environment (any branch, once a reviewer approves
 * the run). So an entry that can write (the delivery App's key) stays out of
 * the read-only environments, and a preview-only one (the read-only App's key,
 * read-only state credentials) out of the deploy environment, where no job
 * reads it. A shared entry (`preview: true`) yields its place in the read-only
 * environments to a preview-only entry of the same name whose value is set:
 * previews and drift checks then log in with the read-only credential, never
 * the deploy one.
 */
export function entryEnvironments(
  entry: GithubEntry,
  stack: string,
  entries: readonly GithubEntry[],
  isSet: (key: SecretKey) => boolean,
  hasPreview: boolean,
): (string | undefined)[] {
  if (entry.scope === "repository") return [undefined];
  const drift = driftEnvironmentName(stack);
  const readOnly = [
    ...(hasPreview ? [previewEnvironmentName(stack)] : []),
    ...(hasPlanEnvironment({ stack }) ? [planEnvironmentName(stack)] : []),
    drift,
  ];
  if (entry.preview === "only") return readOnly;
  if (entry.preview === undefined) return [stack];
  if (entry.preview === "drift") return [stack, drift];
  const standIn = entries.some(
    (e) =>
      e.preview === "only" &&
      e.name === entry.name &&
      "configKey" in e.source &&
      isSecretKey(e.source.configKey) &&
      isSet(e.source.configKey),
  );
  return standIn ? [stack] : [stack, ...readOnly];
}

/** A variable's value: derived, or the config setting it names; `undefined` when that setting is not a plain value. */
export function variableValue(entry: GithubEntry, config: StackConfig): string | undefined {
  if ("derived" in entry.source) return entry.source.derived === "stackName" ? config.stack : JSON.stringify(policyPackConfig(config));
  const value: unknown = (config as unknown as Readonly<Record<string, unknown>>)[entry.source.configKey];
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? String(value) : undefined;
}

/**
 * What a stack publishes to one place: an environment by name, or the
 * repository (`undefined`; only the governing stack asks for it). Optional
 * secrets that are not set are not published: the feature that reads them is off.
 */
export function publishedTo(destination: string | undefined, config: StackConfig, needed: ReadonlySet<SecretKey>): Published {
  const secrets: SecretRef[] = [];
  const variables: VariableSpec[] = [];
  const entries = githubEntriesFor(config.railwayTokenKind);
  for (const entry of entries) {
    const places = entryEnvironments(entry, config.stack, entries, (key) => needed.has(key), hasPreviewEnvironment(config));
    if (!places.includes(destination)) continue;
    if (entry.kind === "secret") {
      if ("configKey" in entry.source && needed.has(entry.source.configKey as SecretKey)) {
        secrets.push({ githubName: entry.name, configKey: entry.source.configKey as SecretKey });
      }
    } else {
      const value = variableValue(entry, config);
      if (value !== undefined) variables.push({ githubName: entry.name, value });
    }
  }
  return { secrets, variables };
}

/** Every secret config key a stack reads: what it publishes, and what the program itself uses. */
export function secretsRead(published: readonly SecretRef[], needed: ReadonlySet<SecretKey>): SecretKey[] {
  return secretKeys.filter(
    (key) =>
      published.some((s) => s.configKey === key) || (needed.has(key) && secretDefinitions.some((d) => d.key === key && d.usedByProgram)),
  );
}
