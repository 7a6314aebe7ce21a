/**
 * Rules across the two stacks, checked when this stack can see the other's
 * settings (its committed stack file): exactly one governs the repository,
 * production never deploys into staging's Railway environment or domain, and
 * the settings both read alike (the repository, the Apps, the preview
 * reviewers, the signing key) agree. Each fix names the stack that should
 * change: staging governs, production moves.
 */
import { samePublicKey } from "../formats";
import type { Problem } from "./errors";
import { configKeys, type ConfigValues, type KeyDefinition } from "./keys";
import { projectName, type RawStackConfig } from "./rawConfig";
import { quote } from "./fixCommands";
import { stateBackendProblem } from "./backend";
import { credentialKind } from "./exposure";
import { decode } from "./valueChecks";

export type StackPair = "staging" | "production";

export function siblingStack(stack: StackPair): StackPair {
  return stack === "staging" ? "production" : "staging";
}

/** Settings both stacks must hold alike (each with its rule in `sharedSettings`). */
export const sharedKeys = [
  "repository",
  "deliveryAppId",
  "previewAppId",
  "previewReviewerUsers",
  "previewReviewerTeams",
  "imageSigningPublicKey",
] as const;
export type SharedKey = (typeof sharedKeys)[number];

const ruleKeys = ["governsRepository", "railwayEnvironmentId", "railwayDomain", "stateBackendUrl"] as const;

/** What of this stack's validated settings the cross-stack rules read; absent when the key failed its own check. */
export type OwnSettings = Partial<Pick<ConfigValues, (typeof ruleKeys)[number] | SharedKey>>;

const ownKeys: readonly (keyof OwnSettings)[] = [...ruleKeys, ...sharedKeys];

/** The settings the rules read, of those that passed their own checks (`settings`, defaults filled in where unset). */
export function ownSettings(settings: Partial<ConfigValues>): OwnSettings {
  return Object.fromEntries(ownKeys.flatMap((key) => (settings[key] === undefined ? [] : [[key, settings[key]]]))) as OwnSettings;
}

const file = (stack: StackPair): string => `stacks/Pulumi.${stack}.yaml`;

export function crossStackProblems(stack: StackPair, own: OwnSettings, sibling: RawStackConfig): Problem[] {
  const other = sibling.values;
  return [
    governanceProblem(stack, own.governsRepository, other["governsRepository"]),
    sharedBackendProblem(stack, own, sibling),
    sameTargetProblem(stack, "railwayEnvironmentId", own.railwayEnvironmentId, other["railwayEnvironmentId"]),
    sameTargetProblem(stack, "railwayDomain", own.railwayDomain, other["railwayDomain"]),
    ...sharedSettings.map((shared) => sharedSettingProblem(stack, shared, own, sibling)),
  ].filter((problem): problem is Problem => problem !== undefined);
}

/** The stack whose value of the shared settings stands: the governing one (staging when that is unknown). */
export function governingStack(stack: StackPair, own: OwnSettings, sibling: RawStackConfig): StackPair {
  const ownGoverns = own.governsRepository ?? sibling.values["governsRepository"] === "false";
  return ownGoverns ? stack : siblingStack(stack);
}

/** Exactly one stack governs the repository; unknown when either side failed its own check (or the other's value is not a boolean). */
export function governanceProblem(
  stack: StackPair,
  ownGoverns: boolean | undefined,
  otherGoverns: string | undefined,
): Problem | undefined {
  if (ownGoverns === undefined || (otherGoverns !== "true" && otherGoverns !== "false")) return undefined;
  const other = siblingStack(stack);
  // The shipped convention: staging governs. The fix goes to whichever stack breaks it.
  if (ownGoverns && otherGoverns === "true") {
    return {
      key: "governsRepository",
      value: "true",
      allowed:
        `true in exactly one stack; ${other} (${file(other)}) sets true as well, so both would manage the same rulesets, ` +
        "repository secrets and shared workflow files, and destroying either stack would delete them",
      fix:
        `pulumi config set governsRepository false --stack production` +
        (stack === "staging" ? " (staging keeps governing the repository)" : ""),
    };
  }
  if (!ownGoverns && otherGoverns === "false") {
    return {
      key: "governsRepository",
      value: "false",
      allowed:
        `true in exactly one stack; ${other} (${file(other)}) sets false as well, so no stack writes test.yml, ` +
        "which deploy-staging.yml calls, nor the rulesets",
      fix: `pulumi config set governsRepository true --stack staging` + (stack === "production" ? " (production stays false)" : ""),
    };
  }
  return undefined;
}

/**
 * One backend for both: the governing stack publishes it as the one repository variable PULUMI_BACKEND_URL,
 * which every workflow of both stacks logs in with, and its preview and drift jobs run both stacks.
 * The follower is told to take the governing stack's URL.
 */
export function sharedBackendProblem(stack: StackPair, own: OwnSettings, sibling: RawStackConfig): Problem | undefined {
  const otherBackend = sibling.values["stateBackendUrl"];
  if (own.stateBackendUrl === undefined || otherBackend === undefined || otherBackend === "") return undefined;
  // The other's URL fails its own check (its run says why, and it may hold a password): nothing to copy.
  if (stateBackendProblem(otherBackend.trim()) !== undefined || credentialKind(otherBackend) !== undefined) return undefined;
  if (own.stateBackendUrl.trim() === otherBackend.trim()) return undefined;
  const other = siblingStack(stack);
  const governing = governingStack(stack, own, sibling);
  const [follower, url] = governing === stack ? [other, own.stateBackendUrl.trim()] : [stack, otherBackend.trim()];
  return {
    key: "stateBackendUrl",
    value: own.stateBackendUrl,
    allowed:
      `the same backend in both stacks: ${other} (${file(other)}) uses ${otherBackend.trim()}, and the workflows of both stacks log in with the one ` +
      `repository variable PULUMI_BACKEND_URL, which ${governing} (the governing stack) publishes`,
    fix: `pulumi config set stateBackendUrl ${quote(url)} --stack ${follower}`,
  };
}

/** Where the production stack finds a value of its own, for the fix. */
const whereToFind = {
  railwayEnvironmentId: "id, from Railway's environment switcher",
  railwayDomain: "public domain, from the service's Settings > Networking",
} as const;

/** Production never deploys into staging's Railway environment or domain (compared without case or surrounding spaces). */
export function sameTargetProblem(
  stack: StackPair,
  key: keyof typeof whereToFind,
  ownValue: string | undefined,
  otherValue: string | undefined,
): Problem | undefined {
  if (ownValue === undefined || otherValue === undefined || otherValue === "") return undefined;
  if (ownValue.trim().toLowerCase() !== otherValue.trim().toLowerCase()) return undefined;
  const other = siblingStack(stack);
  return {
    key,
    value: ownValue,
    allowed: `a ${key === "railwayDomain" ? "domain" : "Railway environment"} of its own: ${other} (${file(other)}) uses the same, so one deploy would replace the other's`,
    fix: `pulumi config set ${key} <the production environment's ${whereToFind[key]}> --stack production`,
  };
}

/** A setting both stacks hold alike: how two values compare, which stack's stands, and why they must agree. */
export interface SharedSetting {
  readonly key: SharedKey;
  readonly same: (a: unknown, b: unknown) => boolean;
  /** The stack whose value stands: the governing one, or the stack that holds the other half (the signing key's). */
  readonly source: "governing" | "staging";
  readonly why: (governing: StackPair) => string;
  /** Whether the other stack's value passes that stack's own rules beyond its key's (its run reports it otherwise). */
  readonly holds?: (value: unknown, sibling: RawStackConfig) => boolean;
}

const sameText = (a: unknown, b: unknown): boolean => String(a).toLowerCase() === String(b).toLowerCase();
const sameSet = (a: unknown, b: unknown): boolean =>
  JSON.stringify([...(a as string[])].sort()) === JSON.stringify([...(b as string[])].sort());
const appWhy = (variable: string, who: string) => (governing: StackPair) =>
  `${who} of both stacks mint their token with the one repository variable ${variable}, which ${governing} (the governing stack) publishes, so ${siblingStack(governing)}'s own id would go unused`;
const reviewersWhy = (governing: StackPair): string =>
  `one workflow (infra-preview.yml, which ${governing} writes) runs both stacks' real-engine previews, each waiting in its <stack>-preview environment for that stack's preview reviewers: with different lists, who may hand a pull request a stack's passphrase would depend on the stack`;

export const sharedSettings: readonly SharedSetting[] = [
  {
    key: "repository",
    same: sameText,
    source: "governing",
    why: (governing) =>
      `both stacks deliver one app repository: each stack's environment, deploy workflow and secrets, and the rulesets, variables and shared workflows ${governing} (the governing stack) writes, must be in it`,
  },
  { key: "deliveryAppId", same: (a, b) => a === b, source: "governing", why: appWhy("DELIVERY_APP_ID", "the deploy workflows") },
  {
    key: "previewAppId",
    same: (a, b) => a === b,
    source: "governing",
    why: appWhy("PREVIEW_APP_ID", "previews and drift checks"),
    // The delivery App's id under the preview's name is refused in that stack (identities.ts): never a value to copy.
    holds: (value, sibling) => value !== siblingValue("deliveryAppId", sibling),
  },
  { key: "previewReviewerUsers", same: sameSet, source: "governing", why: reviewersWhy },
  { key: "previewReviewerTeams", same: sameSet, source: "governing", why: reviewersWhy },
  {
    key: "imageSigningPublicKey",
    same: (a, b) => samePublicKey(String(a), String(b)),
    source: "staging",
    why: () =>
      "staging signs every image it verified with its imageSigningKey, and production promotes only what verifies with this key: with another key, production refuses all of them",
  },
];

/**
 * The other stack's value of a key as its own run reads it: its default when the file leaves it out (the reviewer
 * lists), `undefined` when it has none or fails its own check (that run reports it).
 */
export function siblingValue(key: SharedKey, sibling: RawStackConfig): unknown {
  const definition: KeyDefinition = configKeys[key];
  const raw = sibling.values[key];
  if (raw === undefined || raw === "") return definition.default;
  if (credentialKind(raw) !== undefined) return undefined;
  const decoded = decode(raw, definition);
  const parsed = decoded.ok ? definition.schema.safeParse(decoded.value) : undefined;
  return parsed?.success === true ? parsed.data : undefined;
}

const shown = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value));

/** The fix: the stack that should change takes the other's value. */
function takeValueFix(key: SharedKey, value: unknown, follower: StackPair): string {
  if (key === "imageSigningPublicKey")
    return `pulumi config set imageSigningPublicKey --stack ${follower} < image-signing.pub (staging's public key, the half of its imageSigningKey)`;
  if (Array.isArray(value))
    return `set it in stacks/Pulumi.${follower}.yaml as the other stack has it: ${projectName}:${key}: ${shown(value)}`;
  return `pulumi config set ${key} ${quote(shown(value))} --stack ${follower}`;
}

/** Both stacks hold a shared setting alike; the fix goes to the stack whose value does not stand. */
export function sharedSettingProblem(
  stack: StackPair,
  shared: SharedSetting,
  own: OwnSettings,
  sibling: RawStackConfig,
): Problem | undefined {
  const ownValue = own[shared.key];
  const otherValue = siblingValue(shared.key, sibling);
  if (ownValue === undefined || otherValue === undefined || shared.same(ownValue, otherValue)) return undefined;
  if (shared.holds !== undefined && !shared.holds(otherValue, sibling)) return undefined;
  const other = siblingStack(stack);
  const governing = governingStack(stack, own, sibling);
  const standing = shared.source === "staging" ? "staging" : governing;
  const otherSays = shared.key === "imageSigningPublicKey" ? "names another key" : `has ${shown(otherValue)}`;
  return {
    key: shared.key,
    value: shown(ownValue),
    message: `differs from ${other}'s`,
    allowed: `the same in both stacks: ${other} (${file(other)}) ${otherSays}, and ${shared.why(governing)}`,
    fix: takeValueFix(shared.key, standing === stack ? ownValue : otherValue, siblingStack(standing)),
  };
}
