/**
 * The guardrails, as pure functions of a resource's properties: each returns
 * the violations it finds, in words that say what to change. The policy pack
 * (infra/policy/) only wires them to resource types.
 */
import { parse } from "yaml";
import { isImageByDigest, rotationDateFault } from "../formats";

export type Props = Readonly<Record<string, unknown>>;

/**
 * Stands for a value the engine cannot know during preview (an image digest,
 * an id of a resource not created yet). Checks judge what is known and leave
 * this alone: it is never a violation by itself.
 */
export const unknownValue: unique symbol = Symbol("unknown during preview");

const record = (value: unknown): Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
const list = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : []);
/** A property as text; anything but a string (absent, or unknown during preview) is "". */
const text = (value: unknown): string => (typeof value === "string" ? value : "");

/** A password in a URL's userinfo (postgres://admin:hunter2@db): a credential whatever the scheme. */
export const urlPassword = { name: "URL with a password", pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]+:[^\s/?#@]+@/i } as const;

/** Shapes of well-known credentials: any of them in a committed file is a leak. */
export const credentialPatterns: readonly { readonly name: string; readonly pattern: RegExp }[] = [
  { name: "GitHub token", pattern: /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}|\bgithub_pat_[A-Za-z0-9_]{30,}/ },
  { name: "Anthropic API key", pattern: /\bsk-ant-[A-Za-z0-9_-]{20,}/ },
  { name: "OpenAI API key", pattern: /\bsk-(?:proj-)?[A-Za-z0-9_-]{20,}/ },
  { name: "AWS access key id", pattern: /\bAKIA[0-9A-Z]{16}\b/ },
  { name: "private key", pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { name: "Slack webhook", pattern: /hooks\.slack\.com\/services\/[A-Za-z0-9/]+/ },
  { name: "Docker Hub token", pattern: /\bdckr_pat_[A-Za-z0-9_-]{20,}/ },
  urlPassword,
];

const fullSha = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_./-]+@[0-9a-f]{40}$/;

/** Workflow files: actions pinned to full SHAs, read-only defaults, no credential in the content. */
export function workflowFileViolations(props: Props): string[] {
  const file = text(props["file"]);
  if (!/^\.github\/workflows\/[^/]+\.ya?ml$/.test(file)) return [];
  const content = text(props["content"]);
  const violations = credentialPatterns
    .filter((c) => c.pattern.test(content))
    .map((c) => `${file} contains what looks like a ${c.name}: secrets belong in GitHub secrets, referenced as \${{ secrets.NAME }}`);
  let workflow: Readonly<Record<string, unknown>>;
  try {
    workflow = record(parse(content));
  } catch {
    return [...violations, `${file} is not valid YAML`];
  }
  const permissions = workflow["permissions"];
  if (permissions === undefined) violations.push(`${file} has no top-level permissions: set permissions: {} (or read) and grant per job`);
  else if (permissions === "write-all" || Object.values(record(permissions)).includes("write"))
    violations.push(`${file} grants write permissions to every job: keep top-level permissions read-only`);
  for (const [id, job] of Object.entries(record(workflow["jobs"]))) {
    const j = record(job);
    if (j["permissions"] === undefined) violations.push(`${file} job ${id} has no permissions: grant the least it needs`);
    if (j["permissions"] === "write-all") violations.push(`${file} job ${id} has write-all permissions`);
    const uses = [j["uses"], ...list(j["steps"]).map((s) => record(s)["uses"])].filter((u): u is string => typeof u === "string");
    for (const u of uses) {
      if (!u.startsWith("./") && !fullSha.test(u)) violations.push(`${file} job ${id} uses ${u}: pin actions to a full commit SHA`);
    }
  }
  return violations;
}

export interface EnvironmentRules {
  /** Whether the repository's plan allows required reviewers (public, or Enterprise). */
  readonly reviewersAllowed: boolean;
}

/** The production environment: reviewed, no self-review, no admin bypass, custom (tag) deployment policy. */
export function productionEnvironmentViolations(props: Props, rules: EnvironmentRules): string[] {
  if (props["environment"] !== "production") return [];
  const violations: string[] = [];
  const reviewers = list(props["reviewers"]).flatMap((r) => [...list(record(r)["users"]), ...list(record(r)["teams"])]);
  if (rules.reviewersAllowed && reviewers.length === 0)
    violations.push("production has no required reviewers: set reviewerUsers or reviewerTeams");
  if (props["canAdminsBypass"] !== false)
    violations.push("production lets admins bypass its protection rules: canAdminsBypass must be false");
  if (props["preventSelfReview"] !== true)
    violations.push("production lets the person who triggered a deployment approve it: preventSelfReview must be true");
  if (record(props["deploymentBranchPolicy"])["customBranchPolicies"] !== true)
    violations.push("production accepts deployments from any branch: use a custom deployment policy (release tags)");
  return violations;
}

/** Production's deployment policy admits release tags only. */
export function productionDeploymentPolicyViolations(props: Props): string[] {
  if (props["environment"] !== "production") return [];
  if (props["branchPattern"] !== undefined || typeof props["tagPattern"] !== "string") {
    return ["production may be deployed from a branch: its deployment policy must name release tags (tagPattern), not branches"];
  }
  return [];
}

export interface RulesetRules {
  /** The GitHub App allowed to bypass; undefined: any single Integration is accepted. */
  readonly deliveryAppId: number | undefined;
}

/** Branch rulesets: pull request with an approval, required checks, no force push, no deletion, one bypass. */
export function rulesetViolations(props: Props, rules: RulesetRules): string[] {
  if (props["target"] !== "branch") return [];
  const name = text(props["name"]) || "ruleset";
  const r = record(props["rules"]);
  const violations: string[] = [];
  const approvals = Number(record(r["pullRequest"])["requiredApprovingReviewCount"] ?? 0);
  if (approvals < 1) violations.push(`${name}: require a pull request with at least one approving review`);
  if (list(record(r["requiredStatusChecks"])["requiredChecks"]).length === 0)
    violations.push(`${name}: require the generated status checks`);
  if (r["nonFastForward"] !== true) violations.push(`${name}: forbid force pushes (nonFastForward: true)`);
  if (r["deletion"] !== true) violations.push(`${name}: forbid deleting the branch (deletion: true)`);
  const bypass = list(props["bypassActors"]).map(record);
  const foreign = bypass.filter(
    (b) => b["actorType"] !== "Integration" || (rules.deliveryAppId !== undefined && b["actorId"] !== rules.deliveryAppId),
  );
  if (foreign.length > 0 || bypass.length > 1)
    violations.push(`${name}: only the delivery App may bypass the rules; found ${JSON.stringify(bypass)}`);
  return violations;
}

/**
 * An environment any branch may use (no deployment policy) holds what a
 * branch's own workflow could read, so it must wait for a reviewer other than
 * the one who started the run, with no admin bypass. A repository secret is
 * readable by a workflow on any branch at all, so there must be none.
 */
export function ungatedSecretViolations(type: "environment" | "repository-secret", props: Props): string[] {
  if (type === "repository-secret") {
    return [
      `repository secret ${text(props["secretName"]) || "?"}: a workflow on any branch can read it; publish it to an environment that admits only reviewed refs`,
    ];
  }
  const name = text(props["environment"]) || "environment";
  if (props["deploymentBranchPolicy"] !== undefined && props["deploymentBranchPolicy"] !== null) return [];
  const reviewers = list(props["reviewers"]).flatMap((r) => [...list(record(r)["users"]), ...list(record(r)["teams"])]);
  const violations: string[] = [];
  if (reviewers.length === 0)
    violations.push(`${name} admits any branch with no reviewer: give it reviewers, or a deployment policy of reviewed refs`);
  if (props["preventSelfReview"] !== true)
    violations.push(`${name} admits any branch and lets whoever started a run approve it: preventSelfReview must be true`);
  if (props["canAdminsBypass"] !== false)
    violations.push(`${name} admits any branch and lets admins skip its reviewers: canAdminsBypass must be false`);
  return violations;
}

/** Release tags: only the delivery App and admins create, move or delete them. */
export function tagRulesetViolations(props: Props, rules: RulesetRules): string[] {
  if (props["target"] !== "tag") return [];
  const name = text(props["name"]) || "ruleset";
  const r = record(props["rules"]);
  const violations = (["creation", "update", "deletion"] as const)
    .filter((rule) => r[rule] !== true)
    .map((rule) => `${name}: restrict tag ${rule} (${rule}: true), or a writer can make an unreviewed commit a release`);
  const bypass = list(props["bypassActors"]).map(record);
  const allowed = (b: Readonly<Record<string, unknown>>): boolean =>
    (b["actorType"] === "Integration" && (rules.deliveryAppId === undefined || b["actorId"] === rules.deliveryAppId)) ||
    (b["actorType"] === "RepositoryRole" && b["actorId"] === 5);
  if (!bypass.every(allowed))
    violations.push(`${name}: only the delivery App and repository admins may bypass; found ${JSON.stringify(bypass)}`);
  return violations;
}

/** Actions' own token: read-only unless a job grants more, and never able to approve a pull request. */
export function workflowPermissionViolations(props: Props): string[] {
  const violations: string[] = [];
  if (props["defaultWorkflowPermissions"] !== "read") violations.push("github.token must default to read: defaultWorkflowPermissions read");
  if (props["canApprovePullRequestReviews"] !== false)
    violations.push(
      "workflows may approve pull requests: a branch's workflow could approve its own and merge it; set canApprovePullRequestReviews false",
    );
  return violations;
}

/** Names of environment variables that carry credentials. */
const secretName = /TOKEN|PASSWORD|SECRET|KEY|VARIABLES|PASSPHRASE/;

/** Deploy commands: secrets only in `environment`, logging that cannot echo stdout, never a mutable image. */
export function deployCommandViolations(props: Props): string[] {
  const violations: string[] = [];
  const environment = record(props["environment"]);
  const commands = ["create", "update", "delete"].map((k) => text(props[k])).join("\n");
  for (const [key, value] of Object.entries(environment)) {
    if (secretName.test(key) && typeof value === "string" && value.length >= 4 && commands.includes(value)) {
      violations.push(`the value of ${key} appears in the command line: pass it only through environment`);
    }
  }
  if (/(?:^|\s)[A-Z_]*(?:TOKEN|PASSWORD|SECRET|KEY)=\S/.test(commands))
    violations.push("the command line assigns a credential: pass it only through environment");
  const logging = props["logging"];
  if (logging !== "stderr" && logging !== "none")
    violations.push(
      `logging is ${JSON.stringify(logging ?? "stdoutAndStderr")}: use stderr or none, so the command's output is not echoed into Pulumi's logs`,
    );
  const image = environment["DEPLOY_IMAGE"];
  if (typeof image === "string" && !isImageByDigest(image))
    violations.push(`deploys ${image}: deploy by digest (@sha256:...), never by a mutable tag`);
  return violations;
}

/**
 * Images: every configured platform built. One build per platform (joined by
 * an index), so this judges all of a stack's image builds together; a stack
 * that builds nothing (it promotes a verified digest) has nothing to judge.
 */
export function imageViolations(builds: readonly Props[], platforms: readonly string[]): string[] {
  if (builds.length === 0) return [];
  const built = new Set(builds.flatMap((b) => list(b["platforms"]).map(String)));
  const missing = platforms.filter((p) => !built.has(p));
  return missing.length === 0 ? [] : [`the image is not built for ${missing.join(", ")}: build every configured platform`];
}

/** The date the pipeline component records for a secret the stack reads that secretRotatedAt has none for. */
export const noRotationRecorded = "";

/** Every secret the stack reads, with its recorded rotation date or `noRotationRecorded`; the dates of any other secret are kept. */
export function rotationRecord(recorded: Readonly<Record<string, string>>, read: readonly string[]): Record<string, string> {
  return { ...Object.fromEntries(read.map((key) => [key, noRotationRecorded])), ...recorded };
}

/**
 * Advisory: secrets whose last recorded rotation is older than the maximum age, whose recorded date is none a
 * rotation could have (validation refuses those; a stack file edited past it still gets told), and secrets with
 * no recorded date at all, whose age nobody knows.
 */
export function secretAgeViolations(rotatedAt: Readonly<Record<string, string>>, maxAgeDays: number, now: Date): string[] {
  const day = 24 * 60 * 60 * 1000;
  return Object.entries(rotatedAt).flatMap(([key, date]) => {
    const rotate = `npm run rotate -- --stack <stack> ${key}`;
    if (date === noRotationRecorded) {
      return [
        `${key}: no rotation date recorded, so its age is unknown: rotate it (${rotate}, which records the day), ` +
          `or record the day it was last rotated: pulumi config set --path secretRotatedAt.${key} <YYYY-MM-DD> --stack <stack>`,
      ];
    }
    const fault = rotationDateFault(date, now);
    if (fault !== undefined) {
      return [
        `${key}: its recorded rotation date ${JSON.stringify(date)} ${fault}, so its age is unknown: ` +
          `record the day it was last rotated in secretRotatedAt (YYYY-MM-DD), or rotate it: ${rotate}`,
      ];
    }
    const age = Math.floor((now.getTime() - Date.parse(`${date}T00:00:00Z`)) / day);
    return age > maxAgeDays ? [`${key} was last rotated ${date} (${age} days ago, more than ${maxAgeDays}): ${rotate}`] : [];
  });
}
