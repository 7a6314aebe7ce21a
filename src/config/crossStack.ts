/**
 * Rules across the two stacks, checked when this stack can see the other's
 * settings (its committed stack file): exactly one governs the repository, and
 * production never deploys into staging's Railway environment or domain. Each
 * fix names the stack that should change: staging governs, production moves.
 */
import type { Problem } from "./errors";
import type { ConfigValues } from "./keys";
import type { RawStackConfig } from "./rawConfig";
import { quote } from "./fixCommands";

export type StackPair = "staging" | "production";

export function siblingStack(stack: StackPair): StackPair {
  return stack === "staging" ? "production" : "staging";
}

/** What of this stack's validated settings the cross-stack rules read; absent when the key failed its own check. */
export interface OwnSettings {
  readonly governsRepository?: boolean;
  readonly railwayEnvironmentId?: string;
  readonly railwayDomain?: string;
  readonly stateBackendUrl?: string;
}

/** The settings the rules read, of those that passed their own checks (`settings`). */
export function ownSettings(settings: Partial<ConfigValues>): OwnSettings {
  const { governsRepository, railwayEnvironmentId, railwayDomain, stateBackendUrl } = settings;
  return {
    ...(governsRepository === undefined ? {} : { governsRepository }),
    ...(railwayEnvironmentId === undefined ? {} : { railwayEnvironmentId }),
    ...(railwayDomain === undefined ? {} : { railwayDomain }),
    ...(stateBackendUrl === undefined ? {} : { stateBackendUrl }),
  };
}

const file = (stack: StackPair): string => `stacks/Pulumi.${stack}.yaml`;

export function crossStackProblems(stack: StackPair, own: OwnSettings, sibling: RawStackConfig): Problem[] {
  const other = sibling.values;
  return [
    governanceProblem(stack, own.governsRepository, other["governsRepository"]),
    sharedBackendProblem(stack, own, sibling),
    sameTargetProblem(stack, "railwayEnvironmentId", own.railwayEnvironmentId, other["railwayEnvironmentId"]),
    sameTargetProblem(stack, "railwayDomain", own.railwayDomain, other["railwayDomain"]),
  ].filter((problem): problem is Problem => problem !== undefined);
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
  if (own.stateBackendUrl.trim() === otherBackend.trim()) return undefined;
  const other = siblingStack(stack);
  const ownGoverns = own.governsRepository ?? sibling.values["governsRepository"] === "false";
  const [governing, follower, url] = ownGoverns ? [stack, other, own.stateBackendUrl.trim()] : [other, stack, otherBackend.trim()];
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
