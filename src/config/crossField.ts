/**
 * Rules that involve more than one key: what GitHub would refuse for the
 * repository's visibility and plan, and the ownership of production. Each rule
 * sees the stack's settings with the defaults filled in.
 */
import { defaults, type ConfigKey, type ConfigValues } from "./keys";
import type { Problem } from "./errors";
import { projectName } from "./rawConfig";

type Rule = (v: ConfigValues, stack: string) => Problem[];

/** Internal repositories exist only on enterprise; GitHub Free has no environments or rulesets on private ones. */
export function visibilityPlanProblems(v: ConfigValues, stack: string): Problem[] {
  const problems: Problem[] = [];
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
  return problems;
}

/** Whether GitHub enforces required reviewers and wait timers on this repository. */
export const protectionRulesAllowed = (v: Pick<ConfigValues, "repositoryVisibility" | "githubPlan">): boolean =>
  v.repositoryVisibility === "public" || v.githubPlan === "enterprise";

const reviewers = (v: ConfigValues): string[] => [...v.reviewerUsers, ...v.reviewerTeams];

/** Reviewers and wait timers on a paid plan that does not enforce them (on Free, visibilityPlanProblems has said it already). */
export function protectionRuleProblems(v: ConfigValues, stack: string): Problem[] {
  if (protectionRulesAllowed(v) || v.githubPlan === "free") return [];
  const problems: Problem[] = [];
  if (reviewers(v).length > 0) {
    problems.push({
      key: "reviewerUsers",
      value: JSON.stringify(reviewers(v)),
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
  return problems;
}

/** GitHub's limit of six reviewers, and production's need of one where the plan allows it. */
export function reviewerCountProblems(v: ConfigValues, stack: string): Problem[] {
  const count = reviewers(v).length;
  if (count > 6) {
    return [
      {
        key: "reviewerUsers",
        value: JSON.stringify(reviewers(v)),
        allowed: "at most 6 reviewers (users and teams together), GitHub's limit",
        fix: `shorten reviewerUsers/reviewerTeams in stacks/Pulumi.${stack}.yaml`,
      },
    ];
  }
  if (stack === "production" && protectionRulesAllowed(v) && count === 0) {
    return [
      {
        key: "reviewerUsers",
        value: "[]",
        allowed: "at least one reviewer user or team: production deployments need an approval",
        fix: `set reviewerUsers or reviewerTeams in stacks/Pulumi.${stack}.yaml, e.g. ${projectName}:reviewerTeams: ["release-managers"]`,
      },
    ];
  }
  return [];
}

const previewReviewers = (v: Pick<ConfigValues, "previewReviewerUsers" | "previewReviewerTeams">): string[] => [
  ...v.previewReviewerUsers,
  ...v.previewReviewerTeams,
];

/**
 * Whether pull requests get `pulumi preview` on the real engine: preview reviewers are set, and GitHub
 * enforces reviewers on this repository (validation refuses preview reviewers where it does not).
 */
export const enginePreviewsEnabled = (
  v: Pick<ConfigValues, "previewReviewerUsers" | "previewReviewerTeams" | "repositoryVisibility" | "githubPlan">,
): boolean => previewReviewers(v).length > 0 && protectionRulesAllowed(v);

/**
 * Preview reviewers gate a pull request's real-engine preview, whose environment holds the passphrase:
 * GitHub must enforce them (else the environment would hand any branch the passphrase), six at most.
 */
export function previewReviewerProblems(v: ConfigValues, stack: string): Problem[] {
  const count = previewReviewers(v).length;
  if (count === 0) return [];
  if (!protectionRulesAllowed(v) && v.githubPlan !== "free") {
    return [
      {
        key: "previewReviewerUsers",
        value: JSON.stringify(previewReviewers(v)),
        allowed: `no preview reviewers: GitHub enforces required reviewers on a ${v.repositoryVisibility} repository only with githubPlan enterprise, and without them a pull request's preview could read the passphrase unapproved; pull requests then get the offline plan`,
        fix: `remove previewReviewerUsers and previewReviewerTeams from both stack files, or pulumi config set githubPlan enterprise --stack ${stack}`,
      },
    ];
  }
  if (count > 6) {
    return [
      {
        key: "previewReviewerUsers",
        value: JSON.stringify(previewReviewers(v)),
        allowed: "at most 6 preview reviewers (users and teams together), GitHub's limit",
        fix: "shorten previewReviewerUsers/previewReviewerTeams in both stack files",
      },
    ];
  }
  return [];
}

export function branchProblems(v: ConfigValues, stack: string): Problem[] {
  if (v.defaultBranch !== v.developBranch) return [];
  return [
    {
      key: "developBranch",
      value: v.developBranch,
      allowed: "a branch other than defaultBranch",
      fix: `pulumi config set developBranch develop --stack ${stack}`,
    },
  ];
}

/**
 * An image given by digest is this stack's own: the deploy hands Railway the registry's pull token with it
 * (privateImageRepository), which must never go to another registry or repository.
 */
export function deployImageProblems(v: ConfigValues, stack: string): Problem[] {
  const own = `${v.registry}/${v.dockerhubRepository}`;
  // Run only when the stack sets it (crossFieldRules), yet typed as the schema gives a set one.
  const image = (v as Partial<ConfigValues>).deployImage;
  if (image === undefined || image.startsWith(`${own}@`)) return [];
  const at = image.indexOf("@");
  const [named, digest] = [image.slice(0, at), image.slice(at)];
  const registry = named.slice(0, named.indexOf("/"));
  const other = registry === v.registry ? "another repository" : "another registry";
  return [
    {
      key: "deployImage",
      value: image,
      message: `names ${other} (${named}) than this stack's image, ${own}`,
      allowed:
        `an image of this stack's own repository by digest, ${own}@sha256:<64 hex digits> (registry and dockerhubRepository): ` +
        "with privateImageRepository, Railway is handed the pull token (dockerhubPullToken) for the image's registry, so another registry would receive it",
      fix: `pulumi config set deployImage ${own}${digest} --stack ${stack} (the digest as pushed to ${own})`,
    },
  ];
}

/** Each rule with the keys it reads: a key that failed its own check is already reported, and judging combinations on it would add noise. */
export const crossFieldRules: readonly { readonly keys: readonly ConfigKey[]; readonly rules: readonly Rule[] }[] = [
  { keys: ["repositoryVisibility", "githubPlan"], rules: [visibilityPlanProblems, protectionRuleProblems, reviewerCountProblems] },
  { keys: ["repositoryVisibility", "githubPlan", "previewReviewerUsers", "previewReviewerTeams"], rules: [previewReviewerProblems] },
  { keys: ["defaultBranch", "developBranch"], rules: [branchProblems] },
  { keys: ["deployImage", "registry", "dockerhubRepository"], rules: [deployImageProblems] },
];

/** Every cross-field problem, given the settings that passed their own checks (`set`) and those with the defaults filled in (`v`). */
export function crossFieldProblems(v: ConfigValues, stack: string, set: Partial<Record<ConfigKey, unknown>>): Problem[] {
  return crossFieldRules
    .filter(({ keys }) => keys.every((k) => k in set || k in defaults))
    .flatMap(({ rules }) => rules.flatMap((rule) => rule(v, stack)));
}
