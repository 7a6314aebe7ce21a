/**
 * The boundary: raw stack config in, a typed `StackConfig` out, or one error
 * that lists every problem with the key, the bad value, what is allowed and the
 * command that fixes it. Secret values never come here: only which secret keys
 * are present.
 */
import { configKeys, defaults, type ConfigKey, type ConfigValues, type DefaultedKey } from "./keys";
import { isSecretKey, type SecretKey } from "./catalog";
import { ConfigError } from "./errors";
import { crossStackProblems, ownSettings } from "./crossStack";
import { isStackName, type RawStackConfig, type StackName } from "./rawConfig";
import { missingSecretKeys, requiredSecrets } from "./requiredSecrets";
import { judgeValues } from "./valueChecks";
import { foreignKeyProblem, misfiledSecretProblem, unknownStackProblem, unsetProblems } from "./keyProblems";
import { crossFieldProblems } from "./crossField";
import { identityProblems, signingRole } from "./identities";

type RequiredKeys = { [K in ConfigKey]: (typeof configKeys)[K]["required"] extends true ? K : never }[ConfigKey];
/** Optional keys without a default: absent from the config unless the stack file sets them. */
type Unset = Exclude<ConfigKey, RequiredKeys | DefaultedKey>;

/** One stack's validated settings. */
export type StackConfig = Readonly<Pick<ConfigValues, RequiredKeys | DefaultedKey> & Partial<Pick<ConfigValues, Unset>>> & {
  readonly stack: StackName;
  /** Secret config keys that are set (their values stay in Pulumi). */
  readonly secretsPresent: readonly SecretKey[];
};

export interface ValidationResult {
  readonly config: StackConfig;
  /** Secrets this stack needs that are not set yet, in catalog order. */
  readonly missingSecrets: readonly SecretKey[];
}

/**
 * Validate one stack's raw config. Throws `ConfigError` listing every problem;
 * missing secrets are returned, not thrown, so the offline plan can list them.
 */
export function validateStackConfig(raw: RawStackConfig): ValidationResult {
  const stack = raw.stack;
  const knownStack = isStackName(stack);
  const { problems: valueProblems, settings } = judgeValues(raw.values, stack);
  const merged = { ...defaults, ...settings } as ConfigValues;
  const unset = unsetProblems(raw.values, stack, knownStack);
  // Nothing of this program set: the one line for the cause stands for every key, the signing key's too.
  const nothingSet = unset.some((p) => p.key === "config");
  const problems = [
    ...(knownStack ? [] : [unknownStackProblem(stack)]),
    ...valueProblems,
    ...(raw.foreignKeys ?? []).map(({ key, value }) => foreignKeyProblem(key, value, stack)),
    ...raw.secretKeys.filter((key) => !isSecretKey(key)).map((key) => misfiledSecretProblem(key, stack)),
    ...unset,
    ...crossFieldProblems(merged, stack, settings),
    ...(nothingSet ? [] : identityProblems(merged, stack, raw.secretFacts, (key) => !valueProblems.some((p) => p.key === key))),
  ];
  // The cross-stack rules compare what this stack holds right: no setting already reported, a default where the file sets none.
  const judged = Object.fromEntries(Object.entries(merged).filter(([key]) => !problems.some((p) => p.key === key)));
  if (raw.sibling !== undefined && knownStack) problems.push(...crossStackProblems(stack, ownSettings(judged), raw.sibling));
  // An unknown stack is always among the problems; the test tells the type checker so.
  if (problems.length > 0 || !knownStack) throw new ConfigError(stack, problems);
  const secretsPresent = raw.secretKeys.filter(isSecretKey);
  const required = requiredSecrets(merged.stateBackendUrl, {
    privateImageRepository: merged.privateImageRepository,
    signsImages: signingRole(merged, stack) === "signs",
  });
  return {
    config: { ...merged, stack, secretsPresent },
    missingSecrets: missingSecretKeys(required, secretsPresent),
  };
}
