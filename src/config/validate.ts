/**
 * The boundary: raw stack config in, a typed `StackConfig` out, or one error
 * that lists every problem with the key, the bad value, what is allowed and the
 * command that fixes it. Secret values never come here: only which secret keys
 * are present.
 */
import { configKeys, configKeyNames, defaults, type ConfigKey, type ConfigValues, type DefaultedKey, type KeyDefinition } from "./keys";
import { isSecretKey, secretDefinitions, type SecretKey } from "./catalog";
import { ConfigError, type Problem } from "./errors";
import { closest } from "./didYouMean";
import { crossStackProblems } from "./crossStack";
import { projectName, providerNamespaces, stackNames, type RawStackConfig, type StackName } from "./rawConfig";
import { requiredSecrets, setSecretCommand } from "./requiredSecrets";
import { credentialKind, exposureWarning, hiddenValue, mustHide } from "./exposure";
import { stateBackendProblem } from "./backend";

type Values = ConfigValues;
type RequiredKeys = { [K in ConfigKey]: (typeof configKeys)[K]["required"] extends true ? K : never }[ConfigKey];
/** Optional keys without a default: absent from the config unless the stack file sets them. */
type Unset = Exclude<ConfigKey, RequiredKeys | DefaultedKey>;

/** One stack's validated settings. */
export type StackConfig = Readonly<Pick<Values, RequiredKeys | DefaultedKey> & Partial<Pick<Values, Unset>>> & {
  readonly stack: StackName;
  /** Secret config keys that are set (their values stay in Pulumi). */
  readonly secretsPresent: readonly SecretKey[];
};

export interface ValidationResult {
  readonly config: StackConfig;
  /** Secrets this stack needs that are not set yet, in catalog order. */
  readonly missingSecrets: readonly SecretKey[];
}

const quote = (value: string): string => (/^[A-Za-z0-9_./:@=-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`);

/** Examples that differ by stack: the generic one would be wrong for production (staging governs; production has its own domain). */
const productionExamples: Readonly<Record<string, string>> = {
  governsRepository: "false",
  railwayDomain: "voice-agent.up.railway.app",
  // A wait timer of 0 is allowed, but as production's example it would suggest removing a gate.
  waitTimerMinutes: "5",
};

/** An example in the form the user reached for, where the key takes several (their own bucket with a region, an https backend). */
function exampleLike(key: string, rawValue: string | undefined): string | undefined {
  if (key === "stateBackendUrl" && rawValue !== undefined) return stateBackendProblem(rawValue.trim())?.example;
  return undefined;
}

function fixCommand(key: string, definition: KeyDefinition, stack: string, rawValue?: string): string {
  if (definition.kind === "array" || definition.kind === "object") {
    return `set it in stacks/Pulumi.${stack}.yaml, e.g. ${projectName}:${key}: ${definition.example}`;
  }
  const example = exampleLike(key, rawValue) ?? (stack === "production" ? productionExamples[key] : undefined) ?? definition.example;
  return `pulumi config set ${key} ${quote(example)} --stack ${stack}`;
}

function decode(raw: string, definition: KeyDefinition): { ok: true; value: unknown } | { ok: false } {
  switch (definition.kind) {
    case "string":
      return { ok: true, value: raw };
    case "boolean":
      return raw === "true" || raw === "false" ? { ok: true, value: raw === "true" } : { ok: false };
    case "integer":
      return /^-?[0-9]+$/.test(raw) ? { ok: true, value: Number(raw) } : { ok: false };
    case "array":
    case "object": {
      try {
        const parsed: unknown = JSON.parse(raw);
        const fits =
          definition.kind === "array" ? Array.isArray(parsed) : typeof parsed === "object" && parsed !== null && !Array.isArray(parsed);
        return fits ? { ok: true, value: parsed } : { ok: false };
      } catch {
        return { ok: false };
      }
    }
  }
}

function isConfigKey(key: string): key is ConfigKey {
  return (configKeyNames as readonly string[]).includes(key);
}

/**
 * Validate one stack's raw config. Throws `ConfigError` listing every problem;
 * missing secrets are returned, not thrown, so the offline plan can list them.
 */
export function validateStackConfig(raw: RawStackConfig): ValidationResult {
  const problems: Problem[] = [];
  const stack = raw.stack;
  const knownStack = (stackNames as readonly string[]).includes(stack);
  if (!knownStack) {
    problems.push({
      key: "stack",
      value: stack,
      allowed: stackNames.join(" or "),
      fix: `pulumi stack select ${stackNames[0]} (or pulumi stack init ${stackNames[1]})`,
    });
  }

  const values: Partial<Record<ConfigKey, unknown>> = {};
  for (const [key, rawValue] of Object.entries(raw.values)) {
    if (isSecretKey(key)) {
      problems.push({
        key,
        value: hiddenValue,
        allowed: "a secret value, stored encrypted",
        fix: `pulumi config rm ${key} --stack ${stack}; rotate it, then ${setSecretCommand(key, stack)}`,
        message: `is a secret but is stored in plain text: it ${exposureWarning(key, rawValue)}`,
      });
      continue;
    }
    if (!isConfigKey(key)) {
      const suggestion = closest(key, [...configKeyNames, ...secretDefinitions.map((d) => d.key)]);
      const exposed = mustHide(key, rawValue);
      problems.push({
        key,
        value: exposed ? hiddenValue : rawValue,
        allowed:
          suggestion === undefined
            ? "only the keys listed in Pulumi.yaml"
            : `only the keys listed in Pulumi.yaml (did you mean ${suggestion}?)`,
        fix:
          suggestion !== undefined && isSecretKey(suggestion)
            ? `pulumi config rm ${key} --stack ${stack}; rotate it, then ${setSecretCommand(suggestion, stack)}`
            : `pulumi config rm ${key} --stack ${stack}`,
        message: exposed
          ? `is not a setting of this program, and it ${exposureWarning(key, rawValue)}`
          : "is not a setting of this program",
      });
      continue;
    }
    const definition: KeyDefinition = configKeys[key];
    // Pulumi.yaml declares required keys, and optional ones without a natural default, as "": not set.
    if (rawValue === "" && (definition.required || (definition.kind === "string" && !(key in defaults)))) continue;
    const kind = credentialKind(rawValue);
    if (kind !== undefined) {
      problems.push({
        key,
        value: hiddenValue,
        allowed: definition.allowed,
        fix: fixCommand(key, definition, stack),
        message: `is not a secret setting, yet it ${exposureWarning(key, rawValue)}`,
      });
      continue;
    }
    const decoded = decode(rawValue, definition);
    const parsed = decoded.ok ? definition.schema.safeParse(decoded.value) : undefined;
    if (parsed === undefined || !parsed.success) {
      const numbers =
        decoded.ok && Array.isArray(decoded.value) ? decoded.value.filter((item): item is number => typeof item === "number") : [];
      if (numbers.length > 0) {
        // YAML reads an unquoted 3.10 as the number 3.1: the version the user wrote is already lost.
        problems.push({
          key,
          value: rawValue,
          allowed: `${definition.allowed}; every item quoted, since YAML reads unquoted 3.10 as the number 3.1`,
          fix: `quote each item in stacks/Pulumi.${stack}.yaml, e.g. ${projectName}:${key}: [${numbers.map((n) => `"${String(n)}"`).join(", ")}] (write "3.10" where you meant 3.10)`,
          message: `holds unquoted number${numbers.length === 1 ? "" : "s"} (${numbers.join(", ")})`,
        });
        continue;
      }
      const backend = key === "stateBackendUrl" ? stateBackendProblem(rawValue.trim()) : undefined;
      problems.push({
        key,
        value: rawValue,
        allowed: definition.allowed,
        fix: fixCommand(key, definition, stack, rawValue),
        ...(backend === undefined ? {} : { message: backend.message }),
      });
      continue;
    }
    values[key] = parsed.data;
  }
  for (const { key, value } of raw.foreignKeys ?? []) problems.push(foreignKeyProblem(key, value, stack));
  for (const key of raw.secretKeys) {
    if (isSecretKey(key)) continue;
    const suggestion = closest(
      key,
      secretDefinitions.map((d) => d.key),
    );
    problems.push({
      key,
      value: "(secret)",
      allowed: isConfigKey(key)
        ? "a plain value: this setting is not a secret"
        : `only the secret keys listed in the README${suggestion === undefined ? "" : ` (did you mean ${suggestion}?)`}`,
      fix: isConfigKey(key) ? `pulumi config set ${key} <value> --stack ${stack}` : `pulumi config rm ${key} --stack ${stack}`,
      message: isConfigKey(key) ? "is stored as a secret but is plain configuration" : "is not a secret of this program",
    });
  }
  const requiredKeys = configKeyNames.filter((key) => configKeys[key].required);
  const unset = requiredKeys.filter((key) => (raw.values[key] ?? "") === "");
  if (unset.length === requiredKeys.length && knownStack) {
    // Nothing of this program is set: one line for the cause, not one per key.
    problems.push({
      key: "config",
      value: undefined,
      allowed: `a config: section with this program's settings, ${projectName}:<key>: <value>, the required ones being ${requiredKeys.join(", ")}`,
      fix: `write the config: section in stacks/Pulumi.${stack}.yaml (the README's "Real use" shows one), or pulumi config set <key> <value> --stack ${stack} for each required key`,
      message: `section of stacks/Pulumi.${stack}.yaml is missing or sets none of the required settings`,
    });
  } else {
    for (const key of unset) {
      const definition: KeyDefinition = configKeys[key];
      problems.push({
        key,
        value: undefined,
        allowed: definition.allowed,
        fix: fixCommand(key, definition, stack),
        message: "is required but not set",
      });
    }
  }

  const merged = { ...defaults, ...values } as Values;
  problems.push(...crossFieldProblems(merged, stack, values));
  if (raw.sibling !== undefined && knownStack) {
    problems.push(
      ...crossStackProblems(
        stack as StackName,
        {
          ...("governsRepository" in values ? { governsRepository: merged.governsRepository } : {}),
          ...("railwayEnvironmentId" in values ? { railwayEnvironmentId: merged.railwayEnvironmentId } : {}),
          ...("railwayDomain" in values ? { railwayDomain: merged.railwayDomain } : {}),
          ...("stateBackendUrl" in values ? { stateBackendUrl: merged.stateBackendUrl } : {}),
        },
        raw.sibling,
      ),
    );
  }

  if (problems.length > 0) throw new ConfigError(stack, problems);

  const secretsPresent = raw.secretKeys.filter(isSecretKey);
  const required = requiredSecrets(merged.stateBackendUrl, { privateImageRepository: merged.privateImageRepository });
  // Half of a credential pair is no credential: the other half is reported missing (a preview would otherwise log in with mixed keys).
  const missingSecrets = secretDefinitions
    .filter((d) => required.includes(d.key) || (d.pairedWith !== undefined && secretsPresent.includes(d.pairedWith)))
    .map((d) => d.key)
    .filter((k) => !secretsPresent.includes(k));
  return {
    config: { ...merged, stack: stack as StackName, secretsPresent },
    missingSecrets,
  };
}

/** A key in a namespace the program does not read: a typo of the project's name, or of a provider's. */
function foreignKeyProblem(fullKey: string, value: string | undefined, stack: string): Problem {
  const colon = fullKey.indexOf(":");
  const namespace = fullKey.slice(0, colon);
  const key = fullKey.slice(colon + 1);
  const namespaces = [projectName, ...providerNamespaces];
  const nearNamespace = closest(namespace, namespaces);
  const nearKey = nearNamespace === projectName ? closest(key, [...configKeyNames, ...secretDefinitions.map((d) => d.key)]) : key;
  const suggestion = nearNamespace === undefined || nearKey === undefined ? undefined : `${nearNamespace}:${nearKey}`;
  const remove = `pulumi config rm ${fullKey} --stack ${stack}`;
  const exposed = value !== undefined && mustHide(fullKey, value);
  let fix = remove;
  if (nearNamespace === projectName && nearKey !== undefined) {
    const definition = isConfigKey(nearKey) ? (configKeys[nearKey] as KeyDefinition) : undefined;
    if (isSecretKey(nearKey))
      fix = exposed ? `${remove}; rotate it, then ${setSecretCommand(nearKey, stack)}` : `${remove} && ${setSecretCommand(nearKey, stack)}`;
    else if (exposed) fix = `${remove}; rotate it, then set ${nearKey} to the new value`;
    else if (definition !== undefined && (definition.kind === "array" || definition.kind === "object"))
      fix = `rename it to ${projectName}:${nearKey} in stacks/Pulumi.${stack}.yaml`;
    else if (value !== undefined) fix = `${remove} && pulumi config set ${nearKey} ${quote(value)} --stack ${stack}`;
  } else if (suggestion !== undefined) {
    fix = `rename it to ${suggestion} in stacks/Pulumi.${stack}.yaml`;
  }
  return {
    key: fullKey,
    value: value === undefined ? "(secret)" : exposed ? hiddenValue : value,
    allowed:
      `keys of this program (${projectName}:<key>, listed in Pulumi.yaml) or of the providers it uses (${providerNamespaces.map((n) => `${n}:`).join(", ")})` +
      (suggestion === undefined ? "" : `; did you mean ${suggestion}?`),
    fix,
    message:
      `is in the namespace "${namespace}", which nothing reads: the setting is ignored` +
      (exposed ? `; and it ${exposureWarning(fullKey, value)}` : ""),
  };
}

/** Rules that involve more than one key: what GitHub would refuse, and the ownership of production. */
function crossFieldProblems(v: Values, stack: string, set: Partial<Record<ConfigKey, unknown>>): Problem[] {
  const problems: Problem[] = [];
  // A key that failed its own check is already reported; judging combinations on it would add noise.
  const has = (...keys: ConfigKey[]): boolean => keys.every((k) => k in set || k in defaults);
  if (has("repositoryVisibility", "githubPlan")) {
    if (v.repositoryVisibility === "internal" && v.githubPlan !== "enterprise") {
      problems.push({
        key: "repositoryVisibility",
        value: v.repositoryVisibility,
        allowed: `public or private with githubPlan ${v.githubPlan} (internal repositories exist only on enterprise)`,
        fix: `pulumi config set repositoryVisibility private --stack ${stack}`,
      });
    }
    if (v.repositoryVisibility === "private" && v.githubPlan === "free") {
      problems.push({
        key: "githubPlan",
        value: v.githubPlan,
        allowed: "pro, team or enterprise for a private repository (GitHub Free has no environments or rulesets on private repositories)",
        fix: `pulumi config set githubPlan team --stack ${stack} (after upgrading), or make the repository public`,
      });
    }
    const protectionRulesAllowed = v.repositoryVisibility === "public" || v.githubPlan === "enterprise";
    const reviewerCount = v.reviewerUsers.length + v.reviewerTeams.length;
    if (!protectionRulesAllowed && v.githubPlan !== "free") {
      if (reviewerCount > 0) {
        problems.push({
          key: "reviewerUsers",
          value: JSON.stringify([...v.reviewerUsers, ...v.reviewerTeams]),
          allowed: `no reviewers: required reviewers on a ${v.repositoryVisibility} repository need githubPlan enterprise`,
          fix: `remove reviewerUsers and reviewerTeams from stacks/Pulumi.${stack}.yaml, or pulumi config set githubPlan enterprise --stack ${stack}`,
        });
      }
      if (v.waitTimerMinutes > 0) {
        problems.push({
          key: "waitTimerMinutes",
          value: String(v.waitTimerMinutes),
          allowed: `0: wait timers on a ${v.repositoryVisibility} repository need githubPlan enterprise`,
          fix: `pulumi config set waitTimerMinutes 0 --stack ${stack}`,
        });
      }
    }
    if (reviewerCount > 6) {
      problems.push({
        key: "reviewerUsers",
        value: JSON.stringify([...v.reviewerUsers, ...v.reviewerTeams]),
        allowed: "at most 6 reviewers (users and teams together), GitHub's limit",
        fix: `shorten reviewerUsers/reviewerTeams in stacks/Pulumi.${stack}.yaml`,
      });
    }
    if (stack === "production" && protectionRulesAllowed && reviewerCount === 0) {
      problems.push({
        key: "reviewerUsers",
        value: "[]",
        allowed: "at least one reviewer user or team: production deployments need an approval",
        fix: `set reviewerUsers or reviewerTeams in stacks/Pulumi.${stack}.yaml, e.g. ${projectName}:reviewerTeams: ["release-managers"]`,
      });
    }
  }
  if (has("defaultBranch", "developBranch") && v.defaultBranch === v.developBranch) {
    problems.push({
      key: "developBranch",
      value: v.developBranch,
      allowed: "a branch other than defaultBranch",
      fix: `pulumi config set developBranch develop --stack ${stack}`,
    });
  }
  return problems;
}
