/**
 * What is wrong with the stack's keys rather than one value: a stack name this
 * program has no settings for, keys in a namespace nothing reads, secrets that
 * are no secret of this program, and required settings left unset.
 */
import { configKeys, configKeyNames, isConfigKey, type KeyDefinition } from "./keys";
import { isSecretKey, secretDefinitions } from "./catalog";
import type { Problem } from "./errors";
import { closest } from "./didYouMean";
import { projectName, providerNamespaces, stackNames } from "./rawConfig";
import { setSecretCommand } from "./requiredSecrets";
import { exposureWarning, hiddenValue, mustHide } from "./exposure";
import { fixCommand, quote } from "./fixCommands";

const allKeys = (): string[] => [...configKeyNames, ...secretDefinitions.map((d) => d.key)];

export function unknownStackProblem(stack: string): Problem {
  return {
    key: "stack",
    value: stack,
    allowed: stackNames.join(" or "),
    fix: `pulumi stack select ${stackNames[0]} (or pulumi stack init ${stackNames[1]})`,
  };
}

/** The namespace of `delivery-pipline:waitTimerMinutes`, and the namespace and key it is most likely a typo of (`undefined` when none is near). */
export function nearestKey(fullKey: string): { namespace: string; nearNamespace: string | undefined; nearKey: string | undefined } {
  const colon = fullKey.indexOf(":");
  const namespace = fullKey.slice(0, colon);
  const key = fullKey.slice(colon + 1);
  const nearNamespace = closest(namespace, [projectName, ...providerNamespaces]);
  // A provider's keys are the provider's to check: only the namespace is corrected.
  const nearKey = nearNamespace === projectName ? closest(key, allKeys()) : key;
  return { namespace, nearNamespace, nearKey };
}

/** The fix for a key meant for this project: move it, or, when its value is exposed, replace it. */
export function misnamespacedFix(fullKey: string, nearKey: string, value: string | undefined, exposed: boolean, stack: string): string {
  const remove = `pulumi config rm ${fullKey} --stack ${stack}`;
  if (isSecretKey(nearKey))
    return exposed ? `${remove}; rotate it, then ${setSecretCommand(nearKey, stack)}` : `${remove} && ${setSecretCommand(nearKey, stack)}`;
  if (exposed) return `${remove}; rotate it, then set ${nearKey} to the new value`;
  const definition = isConfigKey(nearKey) ? (configKeys[nearKey] as KeyDefinition) : undefined;
  if (definition !== undefined && (definition.kind === "array" || definition.kind === "object"))
    return `rename it to ${projectName}:${nearKey} in stacks/Pulumi.${stack}.yaml`;
  if (value !== undefined) return `${remove} && pulumi config set ${nearKey} ${quote(value)} --stack ${stack}`;
  return remove;
}

/** A key in a namespace the program does not read: a typo of the project's name, or of a provider's. */
export function foreignKeyProblem(fullKey: string, value: string | undefined, stack: string): Problem {
  const { namespace, nearNamespace, nearKey } = nearestKey(fullKey);
  const suggestion = nearNamespace === undefined || nearKey === undefined ? undefined : `${nearNamespace}:${nearKey}`;
  const exposed = value !== undefined && mustHide(fullKey, value);
  let fix = `pulumi config rm ${fullKey} --stack ${stack}`;
  if (nearNamespace === projectName && nearKey !== undefined) fix = misnamespacedFix(fullKey, nearKey, value, exposed, stack);
  else if (suggestion !== undefined) fix = `rename it to ${suggestion} in stacks/Pulumi.${stack}.yaml`;
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

/** Secrets this program no longer reads, and what took their place. */
export const retiredSecrets: Readonly<Record<string, { readonly why: string; readonly fix: (stack: string) => string }>> = {
  codecovToken: {
    why: "is no longer used: a repository secret is readable by a workflow on any branch, so test.yml now uploads to Codecov with GitHub's OIDC token instead (codecovUpload)",
    fix: (stack) =>
      `pulumi config rm codecovToken --stack ${stack} && pulumi config set codecovUpload true --stack ${stack}, then revoke the token in Codecov`,
  },
};

/** A key Pulumi holds as a secret that is no secret of this program: a retired one, a plain setting, or an unknown key. */
export function misfiledSecretProblem(key: string, stack: string): Problem {
  // Own keys only: a secret named `constructor` or `__proto__` is an unknown key, not a retired one.
  const retired = Object.hasOwn(retiredSecrets, key) ? retiredSecrets[key] : undefined;
  if (retired !== undefined) return { key, value: "(secret)", allowed: "no such secret", fix: retired.fix(stack), message: retired.why };
  if (isConfigKey(key)) {
    return {
      key,
      value: "(secret)",
      allowed: "a plain value: this setting is not a secret",
      fix: `pulumi config set ${key} <value> --stack ${stack}`,
      message: "is stored as a secret but is plain configuration",
    };
  }
  const suggestion = closest(
    key,
    secretDefinitions.map((d) => d.key),
  );
  return {
    key,
    value: "(secret)",
    allowed: `only the secret keys listed in docs/secrets.md${suggestion === undefined ? "" : ` (did you mean ${suggestion}?)`}`,
    fix: `pulumi config rm ${key} --stack ${stack}`,
    message: "is not a secret of this program",
  };
}

/**
 * Required settings left unset (absent, or Pulumi.yaml's ""), one problem each;
 * when none is set and the stack is known, one line for the cause instead.
 */
export function unsetProblems(values: Readonly<Record<string, string>>, stack: string, knownStack: boolean): Problem[] {
  const requiredKeys = configKeyNames.filter((key) => configKeys[key].required);
  const unset = requiredKeys.filter((key) => (values[key] ?? "") === "");
  if (unset.length === requiredKeys.length && knownStack) {
    // Nothing of this program is set: one line for the cause, not one per key.
    return [
      {
        key: "config",
        value: undefined,
        allowed: `a config: section with this program's settings, ${projectName}:<key>: <value>, the required ones being ${requiredKeys.join(", ")}`,
        fix: `write the config: section in stacks/Pulumi.${stack}.yaml (docs/settings.md lists every key), or pulumi config set <key> <value> --stack ${stack} for each required key`,
        message: `section of stacks/Pulumi.${stack}.yaml is missing or sets none of the required settings`,
      },
    ];
  }
  return unset.map((key) => ({
    key,
    value: undefined,
    allowed: configKeys[key].allowed,
    fix: fixCommand(key, configKeys[key], stack),
    message: "is required but not set",
  }));
}
