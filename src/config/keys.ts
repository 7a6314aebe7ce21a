/**
 * Every non-secret setting a stack file may hold: its zod schema, what a human
 * is allowed to write, an example the error messages can put in a fix command,
 * and its default. `Pulumi.yaml` declares the same keys and defaults (a test
 * keeps them in step).
 */
import { z } from "zod";
import {
  defaultPlatforms,
  digestSuffixPattern,
  isCommitSha,
  isReleaseTag,
  isSigningPublicKey,
  rotationDateFault,
  supportedPlatforms,
} from "../formats";
import { secretKeys } from "./secretKeys";
import { stateBackendAllowed, stateBackendProblem } from "./backend";

/** How a raw Pulumi config string is decoded before the schema sees it. */
export type KeyKind = "string" | "integer" | "number" | "boolean" | "array" | "object";

export interface KeyDefinition {
  readonly kind: KeyKind;
  readonly schema: z.ZodType;
  /** What is allowed, in words a user can act on. */
  readonly allowed: string;
  /** A valid value, used in the fix command of an error. */
  readonly example: string;
  /** One line for the README and `Pulumi.yaml`. */
  readonly description: string;
  /** Whether the stack file must set it (no default exists). */
  readonly required: boolean;
  /**
   * The value when the stack file does not set it. Absent on required keys, and
   * on optional ones that are unset unless set (appRevision, preDeployCommand,
   * programRepository, deployImage).
   */
  readonly default?: string | number | boolean | readonly string[] | Readonly<Record<string, string>>;
}

// GitHub's own limits: owner 1-39 alphanumerics or single hyphens, repository 1-100 of [A-Za-z0-9._-].
const githubOwner = /^(?!-)(?!.*--)[A-Za-z0-9-]{1,39}(?<!-)$/;
const githubRepoName = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,100}$/;
const githubLogin = githubOwner;
const teamSlug = /^[a-z0-9][a-z0-9_-]{0,99}$/;
// git check-ref-format --branch, reduced to what a ref in these settings needs: no part starting with . or ending
// in .lock, no .., //, @{, leading or trailing / or trailing .; not HEAD, and no leading - (a command would read an option).
const refName = /^(?!-|HEAD$|\/|.*\/$|.*\/\/|.*\.\.|.*@\{|.*\.$|(?:.*\/)?\.|.*\.lock(?:\/|$))[A-Za-z0-9._/-]{1,200}$/;
const refRules = "letters, digits, . _ / -, at most 200; no part starting with . or ending in .lock, no .., not HEAD, no leading -";
// Docker Hub: namespace 4-30 lowercase alphanumerics, repository lowercase with . _ - separators.
const dockerhubNamespace = /^[a-z0-9]{4,30}$/;
const dockerhubRepository = /^[a-z0-9]{4,30}\/[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
// The platforms BuildKit knows, from their one definition.
const platform = new RegExp(`^(?:${supportedPlatforms.join("|")})$`);
const registryHost = /^(?=.{1,253}(?::|$))[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*(?::[0-9]{1,5})?$/;
// A registry host and repository path, then the one digest format (src/formats).
const digestReference = new RegExp(
  `^[a-z0-9.-]+(?::[0-9]{1,5})?\\/[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\\/[a-z0-9]+(?:[._-][a-z0-9]+)*)+${digestSuffixPattern.source}`,
);
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const domain = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const pythonVersion = /^3\.(?:[0-9]|1[0-9])$/;
const httpPath = /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]{0,199}$/;
// The revisions a stack can ship: a commit, or a release tag (the same tags deploy-production.yml accepts).
const isGitRevision = (value: string): boolean => isCommitSha(value) || isReleaseTag(value);

function isRepositoryName(value: string): boolean {
  const [owner, name, ...rest] = value.split("/");
  return rest.length === 0 && owner !== undefined && name !== undefined && githubOwner.test(owner) && githubRepoName.test(name);
}

const unique = (items: readonly unknown[]): boolean => new Set(items).size === items.length;

/** What is wrong with each entry of secretRotatedAt, in words ("railwayToken: 2026-02-30 is no day of the calendar"). */
export function rotationDateProblems(rotatedAt: Readonly<Record<string, unknown>>, now: Date = new Date()): string[] {
  return Object.entries(rotatedAt).flatMap(([key, date]) => {
    if (!(secretKeys as readonly string[]).includes(key)) return [`${key} is no secret of this program`];
    const fault = rotationDateFault(date, now);
    return fault === undefined ? [] : [`${key}: ${typeof date === "string" ? date : JSON.stringify(date)} ${fault}`];
  });
}

export const configKeys = {
  governsRepository: {
    kind: "boolean",
    schema: z.boolean(),
    allowed: "true or false; exactly one stack sets true",
    example: "true",
    description:
      "Whether this stack owns the repository-wide objects (rulesets, repository secrets and variables, shared workflows, Actions permissions).",
    required: true,
  },
  repository: {
    kind: "string",
    schema: z.string().refine(isRepositoryName),
    allowed:
      "a GitHub repository as owner/name (owner: letters, digits, single hyphens, at most 39; name: letters, digits, . _ -, at most 100)",
    example: "acme/learning-voice-agent",
    description: "The app repository whose delivery pipeline this program manages.",
    required: true,
  },
  repositoryVisibility: {
    kind: "string",
    schema: z.enum(["public", "private", "internal"]),
    allowed: "public, private or internal",
    example: "private",
    description: "The app repository's visibility; with githubPlan it decides which GitHub features exist.",
    required: true,
  },
  githubPlan: {
    kind: "string",
    schema: z.enum(["free", "pro", "team", "enterprise"]),
    allowed: "free, pro, team or enterprise (the plan of the account that owns the repository)",
    example: "team",
    description: "The GitHub plan of the repository's owner; required reviewers and wait timers on private repositories need enterprise.",
    required: true,
  },
  defaultBranch: {
    kind: "string",
    schema: z.string().regex(refName),
    allowed: `a git branch name (${refRules})`,
    example: "main",
    description: "The app repository's default branch: staging ships its head, rulesets protect it.",
    default: "main",
    required: false,
  },
  developBranch: {
    kind: "string",
    schema: z.string().regex(refName),
    allowed: `a git branch name (${refRules})`,
    example: "develop",
    description: "The integration branch that is protected like the default branch.",
    default: "develop",
    required: false,
  },
  reviewerUsers: {
    kind: "array",
    schema: z.array(z.string().regex(githubLogin)).refine(unique, "duplicates"),
    allowed: "a list of GitHub user logins, no duplicates (at most 6 reviewers in all)",
    example: '["octocat"]',
    description: "Users who may approve a deployment to this stack's environment.",
    default: [],
    required: false,
  },
  reviewerTeams: {
    kind: "array",
    schema: z.array(z.string().regex(teamSlug)).refine(unique, "duplicates"),
    allowed: "a list of team slugs of the repository's organization (lowercase, digits, - and _), no duplicates",
    example: '["release-managers"]',
    description: "Teams who may approve a deployment to this stack's environment.",
    default: [],
    required: false,
  },
  waitTimerMinutes: {
    kind: "integer",
    schema: z.number().int().min(0).max(43200),
    allowed: "a whole number of minutes from 0 to 43200 (30 days)",
    example: "0",
    description: "Minutes GitHub waits after approval before a deployment job starts.",
    default: 0,
    required: false,
  },
  deliveryAppId: {
    kind: "integer",
    schema: z.number().int().positive(),
    allowed: "the numeric id of the GitHub App that runs `pulumi up` in workflows",
    example: "123456",
    description: "The GitHub App that deploy workflows authenticate as; the only actor allowed to bypass the rulesets.",
    required: true,
  },
  previewAppId: {
    kind: "integer",
    schema: z.number().int().positive(),
    allowed: "the numeric id of a second GitHub App, installed with read-only permissions, that previews and drift checks run as",
    example: "7654321",
    description:
      "The read-only GitHub App that pull request previews and drift checks authenticate as; its key never meets the delivery App's.",
    required: true,
  },
  previewReviewerUsers: {
    kind: "array",
    schema: z.array(z.string().regex(githubLogin)).refine(unique, "duplicates"),
    allowed: "a list of GitHub user logins, no duplicates (at most 6 preview reviewers in all); the same list in both stacks",
    example: '["octocat"]',
    description:
      "Users who may approve a pull request's `pulumi preview` on the real engine (its `<stack>-preview` environment holds the stack's passphrase). With no preview reviewers, pull requests get the offline plan only.",
    default: [],
    required: false,
  },
  previewReviewerTeams: {
    kind: "array",
    schema: z.array(z.string().regex(teamSlug)).refine(unique, "duplicates"),
    allowed:
      "a list of team slugs of the repository's organization (lowercase, digits, - and _), no duplicates; the same list in both stacks",
    example: '["platform"]',
    description: "Teams who may approve a pull request's `pulumi preview` on the real engine (see previewReviewerUsers).",
    default: [],
    required: false,
  },
  imageSigningPublicKey: {
    kind: "string",
    schema: z.string().refine(isSigningPublicKey),
    allowed:
      "the PEM public key (-----BEGIN PUBLIC KEY-----, an ECDSA P-256 key) of staging's imageSigningKey, the same in both stacks: openssl pkey -in signing.pem -pubout",
    example: "image-signing.pub",
    description:
      "The key production verifies staging's image signatures with: a digest it did not sign is never promoted. Required by a stack that builds and marks images verified (staging) or promotes them (production).",
    required: false,
  },
  pythonVersions: {
    kind: "array",
    schema: z.array(z.string().regex(pythonVersion)).min(1).refine(unique, "duplicates"),
    allowed: "a non-empty list of Python versions such as 3.12, no duplicates",
    example: '["3.11","3.12"]',
    description: "The Python versions the test matrix runs.",
    default: ["3.11", "3.12"],
    required: false,
  },
  coverageMinimum: {
    kind: "integer",
    schema: z.number().int().min(0).max(100),
    allowed: "a whole number from 0 to 100",
    example: "80",
    description: "pytest fails below this line coverage (percent).",
    default: 80,
    required: false,
  },
  pythonPackage: {
    kind: "string",
    schema: z.string().regex(/^(?:[A-Za-z_][A-Za-z0-9_]*\/){0,5}[A-Za-z_][A-Za-z0-9_]*$/),
    allowed: "the folder of the app's Python package, relative to the repository root (e.g. app or src/voice_agent)",
    example: "app",
    description:
      "The app's Python package: test coverage is measured on it, and mypy, bandit and the docstring gate check it (not the tests).",
    default: "app",
    required: false,
  },
  codecovUpload: {
    kind: "boolean",
    schema: z.boolean(),
    allowed: "true or false",
    example: "true",
    description:
      "Whether test.yml uploads coverage to Codecov, authenticated with GitHub's OIDC token (no upload token, so no secret a branch could read; install Codecov's GitHub App).",
    default: false,
    required: false,
  },
  dockerhubUsername: {
    kind: "string",
    schema: z.string().regex(dockerhubNamespace),
    allowed: "a Docker Hub username: 4 to 30 lowercase letters and digits",
    example: "acmebot",
    description: "The Docker Hub account that pushes images (its access token is the secret dockerhubToken).",
    required: true,
  },
  dockerhubRepository: {
    kind: "string",
    schema: z.string().regex(dockerhubRepository),
    allowed: "a Docker Hub repository as namespace/name, lowercase, without a tag or registry host",
    example: "acme/learning-voice-agent",
    description: "Where the app image is pushed.",
    required: true,
  },
  privateImageRepository: {
    kind: "boolean",
    schema: z.boolean(),
    allowed: "true or false; true needs the secret dockerhubPullToken and Railway's Pro plan",
    example: "false",
    description:
      "Whether dockerhubRepository is private: Railway then pulls the image with dockerhubPullToken (registry credentials are a Railway Pro plan feature); a public repository sends no credentials.",
    default: false,
    required: false,
  },
  platforms: {
    kind: "array",
    schema: z.array(z.string().regex(platform)).min(1).refine(unique, "duplicates"),
    allowed: `a non-empty list of linux/<arch> platforms (${supportedPlatforms.map((p) => p.slice("linux/".length)).join(", ")}), no duplicates`,
    example: '["linux/amd64","linux/arm64"]',
    description: "The platforms the image is built for.",
    default: [...defaultPlatforms],
    required: false,
  },
  registry: {
    kind: "string",
    schema: z.string().regex(registryHost),
    allowed: "a registry host name, lowercase, with an optional :port (docker.io for Docker Hub)",
    example: "docker.io",
    description: "The registry the image is pushed to, verified in and deployed from; tags, cache, login and Railway's image all name it.",
    default: "docker.io",
    required: false,
  },
  dockerfile: {
    kind: "string",
    schema: z.string().regex(/^(?!\/)(?!.*\.\.)[A-Za-z0-9._/-]{1,200}$/),
    allowed: "a path relative to the app repository's root, without ..",
    example: "Dockerfile.optimized",
    description: "The Dockerfile the image is built from, relative to the app repository's root.",
    default: "Dockerfile",
    required: false,
  },
  allowPrerelease: {
    kind: "boolean",
    schema: z.boolean(),
    allowed: "true or false",
    example: "false",
    description: "Whether production may ship a GitHub pre-release; otherwise a pre-release tag is refused.",
    default: false,
    required: false,
  },
  buildUnverifiedRelease: {
    kind: "boolean",
    schema: z.boolean(),
    allowed: "true or false",
    example: "false",
    description: "Whether production builds a release whose commit staging never verified, instead of refusing it.",
    default: false,
    required: false,
  },
  deployImage: {
    kind: "string",
    schema: z.string().regex(digestReference),
    allowed: "an image of this stack's own repository by digest, <registry>/<dockerhubRepository>@sha256:<64 hex digits>",
    example: "docker.io/acme/learning-voice-agent@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    description:
      "Deploy exactly this image instead of building or promoting one: an image built elsewhere, or a rollback to an exact digest.",
    required: false,
  },
  buildImageOnPreview: {
    kind: "boolean",
    schema: z.boolean(),
    allowed: "true or false",
    example: "false",
    description:
      "Whether `pulumi preview` also builds the image (without pushing; needs a Docker daemon). Off by default: each pull request's own check builds the image instead.",
    default: false,
    required: false,
  },
  railwayProjectId: {
    kind: "string",
    schema: z.string().regex(uuid),
    allowed: "a Railway project id (a lowercase UUID)",
    example: "00000000-0000-4000-8000-000000000000",
    description: "The Railway project that runs the app.",
    required: true,
  },
  railwayEnvironmentId: {
    kind: "string",
    schema: z.string().regex(uuid),
    allowed: "a Railway environment id (a lowercase UUID)",
    example: "00000000-0000-4000-8000-000000000000",
    description: "The Railway environment this stack deploys to.",
    required: true,
  },
  railwayServiceId: {
    kind: "string",
    schema: z.string().regex(uuid),
    allowed: "a Railway service id (a lowercase UUID)",
    example: "00000000-0000-4000-8000-000000000000",
    description: "The Railway service that runs the image.",
    required: true,
  },
  railwayDomain: {
    kind: "string",
    schema: z.string().regex(domain),
    allowed: "a lowercase domain name without scheme or path",
    example: "voice-agent-staging.up.railway.app",
    description: "The service's public domain: the environment URL and the health check target.",
    required: true,
  },
  healthCheckPath: {
    kind: "string",
    schema: z.string().regex(httpPath),
    allowed: "an absolute URL path starting with /, at most 200 characters",
    example: "/health",
    description: "The path Railway and the deploy client probe.",
    default: "/health",
    required: false,
  },
  healthCheckTimeoutSeconds: {
    kind: "integer",
    schema: z.number().int().min(1).max(3600),
    allowed: "a whole number of seconds from 1 to 3600",
    example: "300",
    description:
      "Railway's health-check timeout: how long a new deployment may take to answer its health check; the deploy waits that long (plus its pull allowance) for Railway's verdict.",
    default: 300,
    required: false,
  },
  healthCheckSuccesses: {
    kind: "integer",
    schema: z.number().int().min(1).max(20),
    allowed: "a whole number from 1 to 20",
    example: "3",
    description:
      "How many 2xx answers in a row the deploy needs from the public health URL before it counts the deployment healthy (one is not: a flapping app gives one).",
    default: 3,
    required: false,
  },
  bakeSeconds: {
    kind: "integer",
    schema: z.number().int().min(0).max(3600),
    allowed: "a whole number of seconds from 0 to 3600 (0: no bake)",
    example: "300",
    description:
      "The bake window: how long the deploy watches a deployment after it goes live, comparing its 5xx ratio and p95 latency (Railway's HTTP metrics) with the previous deployment's; a breach rolls it back and fails the up. Staging marks a digest verified only after its bake passes.",
    default: 300,
    required: false,
  },
  bakeMaxErrorRateIncrease: {
    kind: "number",
    schema: z.number().min(0).max(1),
    allowed: "a ratio from 0 to 1 (0.01: one percentage point)",
    example: "0.01",
    description: "How much the new deployment's 5xx ratio may exceed the previous deployment's during the bake before it is rolled back.",
    default: 0.01,
    required: false,
  },
  bakeMaxLatencyRatio: {
    kind: "number",
    schema: z.number().min(1).max(100),
    allowed: "a number from 1 to 100",
    example: "1.5",
    description: "How many times the previous deployment's p95 latency the new one's may be during the bake before it is rolled back.",
    default: 1.5,
    required: false,
  },
  bakeMinRequests: {
    kind: "integer",
    schema: z.number().int().min(1).max(1_000_000),
    allowed: "a whole number from 1 to 1000000",
    example: "50",
    description:
      "Requests the new deployment must answer during the bake before it can be judged; with fewer (or no readable metrics) the bake is inconclusive.",
    default: 50,
    required: false,
  },
  bakeInconclusive: {
    kind: "string",
    schema: z.enum(["pass", "fail"]),
    allowed: "pass or fail",
    example: "pass",
    description:
      "What an inconclusive bake (too little traffic, or Railway's metrics unreadable) means: pass keeps the deployment; fail rolls it back and fails the up.",
    default: "pass",
    required: false,
  },
  appRevision: {
    kind: "string",
    schema: z.string().refine(isGitRevision),
    allowed: "a full 40-character commit SHA or a release tag such as v1.4.2",
    example: "v1.4.2",
    description: "Pin the revision to ship instead of the branch head (staging) or latest release (production); used for manual rollback.",
    required: false,
  },
  preDeployCommand: {
    kind: "string",
    schema: z
      .string()
      .min(1)
      .max(1000)
      .refine((v) => !v.includes("\n"), "one line"),
    allowed: "one shell command line, at most 1000 characters",
    example: "./scripts/backup-db.sh",
    description:
      "Railway's pre-deploy command (e.g. a database backup or migration): Railway runs it in the new image, in the service's private network with its variables, before each deployment starts; its failure fails the deployment. Unset clears it in Railway.",
    required: false,
  },
  stateBackendUrl: {
    kind: "string",
    schema: z.string().refine((url) => stateBackendProblem(url) === undefined),
    allowed: stateBackendAllowed,
    example: "s3://acme-pulumi-state?region=us-east-1",
    description:
      "The Pulumi state backend both stacks keep their state in: what `pulumi login` takes, and what the workflows log in to (PULUMI_BACKEND_URL).",
    required: true,
  },
  programRepository: {
    kind: "string",
    schema: z.string().refine(isRepositoryName),
    allowed: "empty (the program lives in the app repository) or the program's own repository as owner/name",
    example: "acme/delivery-pipeline",
    description:
      "Where deploy jobs get this program: empty for a folder of the app repository, or its own repository checked out with a short-lived App token.",
    required: false,
  },
  programRef: {
    kind: "string",
    schema: z.string().regex(refName),
    allowed: `a branch, tag or full commit SHA of the program's own repository (${refRules})`,
    example: "v1.0.0",
    description: "The ref of programRepository that deploy jobs check out (pin a tag or SHA).",
    default: "main",
    required: false,
  },
  programPath: {
    kind: "string",
    schema: z.string().regex(/^(?!\/)(?!.*\.\.)[A-Za-z0-9._/-]{1,200}$/),
    allowed: "a relative folder path without ..",
    example: "delivery-pipeline",
    description: "The folder holding this program: in the app repository, or where programRepository is checked out.",
    default: "delivery-pipeline",
    required: false,
  },
  railwayTokenKind: {
    kind: "string",
    schema: z.enum(["account", "project"]),
    allowed:
      "account (an account or workspace token, sent as a Bearer token) or project (a project token of the environment railwayEnvironmentId names, sent as Project-Access-Token)",
    example: "account",
    description:
      "What kind of token railwayToken is, and so the name it is published and passed under (RAILWAY_API_TOKEN for account, RAILWAY_TOKEN for project, as Railway's CLI reads them); a project token sets variables and deploys, but only in the one environment it was created for (docs/railway.md).",
    default: "account",
    required: false,
  },
  secretRotatedAt: {
    kind: "object",
    schema: z.record(z.string(), z.string()).refine((v) => rotationDateProblems(v).length === 0),
    allowed:
      "a map from secret config key to the date it was last rotated (YYYY-MM-DD, a day of the calendar, not in the future); `npm run rotate` keeps it",
    example: '{"railwayToken":"2026-11-25"}',
    description:
      "When each secret was last rotated; the policy pack reports secrets older than secretMaxAgeDays, and every secret the stack reads that has no date here.",
    default: {},
    required: false,
  },
  secretMaxAgeDays: {
    kind: "integer",
    schema: z.number().int().min(1).max(3650),
    allowed: "a whole number of days from 1 to 3650",
    example: "90",
    description: "Secrets rotated longer ago than this are reported by the policy pack.",
    default: 90,
    required: false,
  },
} as const satisfies Record<string, KeyDefinition>;

export type ConfigKey = keyof typeof configKeys;
export const configKeyNames = Object.keys(configKeys) as ConfigKey[];

export function isConfigKey(key: string): key is ConfigKey {
  return (configKeyNames as readonly string[]).includes(key);
}

/** Each key's value as its schema types it. */
export type ConfigValues = { -readonly [K in ConfigKey]: z.infer<(typeof configKeys)[K]["schema"]> };
/** The keys a stack has a value for even when its file does not set them. */
export type DefaultedKey = { [K in ConfigKey]: (typeof configKeys)[K] extends { readonly default: unknown } ? K : never }[ConfigKey];
export type Defaults = { readonly [K in DefaultedKey]: ConfigValues[K] };

/** The defaults, from the table: what validation fills in and what Pulumi.yaml and docs/settings.md declare. */
export const defaults = Object.fromEntries(
  configKeyNames.flatMap((key) => {
    const value = (configKeys[key] as KeyDefinition).default;
    return value === undefined ? [] : [[key, value]];
  }),
) as Defaults;
