/**
 * The one table of every secret and variable the pipeline handles: its name in
 * GitHub, its scope, where its value comes from and who consumes it. The spec,
 * the program, the plan, the README and the leak test all read this table.
 */
import type { ConfigKey } from "./keys";
import type { SecretKey } from "./secretKeys";

// Re-exported: readers of the catalog look for the secret keys here.
export { isSecretKey, secretKeys, type SecretKey } from "./secretKeys";

export type Scope = "repository" | "environment";

/** When a secret config key must be set in a stack. */
export type Requirement =
  | "always"
  | "optional"
  /** only when the state backend is Pulumi Cloud (an https URL) */
  | "pulumi-cloud-backend"
  /** only when the state backend is an S3 bucket */
  | "s3-backend"
  /** only when the state backend is a Google Cloud Storage bucket */
  | "gs-backend"
  /** only when the state backend is an Azure Blob Storage container */
  | "azblob-backend"
  /** only when Railway pulls a private image (`privateImageRepository: true`) */
  | "private-image"
  /** only in a stack that builds the image and marks it verified (staging, unless it deploys `deployImage`) */
  | "image-signer";

export interface SecretDefinition {
  readonly key: SecretKey;
  readonly requirement: Requirement;
  /** What the value is, for the README and the plan. */
  readonly description: string;
  /** The program itself uses the value (not only publishes it to GitHub). */
  readonly usedByProgram: boolean;
  /** Half of a credential: set both or neither (validation reports the other as missing). */
  readonly pairedWith?: SecretKey;
  /**
   * What whoever holds the value can do: decrypt the stack's config (and with
   * it every other secret of the stack), write or spend somewhere, or only
   * read. The reachability analysis (src/pipeline/reachability.ts) judges by it.
   */
  readonly grants: Grants;
}

export type Grants = "decrypts-config" | "writes" | "reads";

export const secretDefinitions: readonly SecretDefinition[] = [
  {
    key: "railwayToken",
    grants: "writes",
    requirement: "always",
    usedByProgram: true,
    description:
      "Railway token for this stack's environment: an account or workspace token (railwayTokenKind account), or a project token (project); scopes in docs/shipping.md.",
  },
  {
    key: "anthropicApiKey",
    grants: "writes",
    requirement: "always",
    usedByProgram: true,
    description: "Anthropic API key of this environment's app.",
  },
  {
    key: "openaiApiKey",
    grants: "writes",
    requirement: "always",
    usedByProgram: true,
    description: "OpenAI API key of this environment's app.",
  },
  // Always, whatever the backend: the stacks use the passphrase secrets provider (README, First deploy), on Pulumi Cloud too.
  {
    key: "pulumiConfigPassphrase",
    grants: "decrypts-config",
    requirement: "always",
    usedByProgram: false,
    description: "The passphrase of this stack's secrets provider, for workflows that run pulumi.",
  },
  {
    key: "pulumiAccessToken",
    grants: "writes",
    requirement: "pulumi-cloud-backend",
    usedByProgram: false,
    description: "Pulumi Cloud access token for workflows (only with an https state backend).",
  },
  {
    key: "awsAccessKeyId",
    grants: "writes",
    requirement: "s3-backend",
    usedByProgram: false,
    description: "Access key id of the S3 state bucket (only with an s3:// state backend).",
  },
  {
    key: "awsSecretAccessKey",
    grants: "writes",
    requirement: "s3-backend",
    usedByProgram: false,
    description: "Secret access key of the S3 state bucket (only with an s3:// state backend).",
  },
  // Read-only state credentials for previews and drift checks: where set, the preview environment gets these instead of the ones above.
  {
    key: "pulumiPreviewAccessToken",
    grants: "reads",
    requirement: "optional",
    usedByProgram: false,
    description:
      "Pulumi Cloud token that can only read this stack (a team token of a team with read access), for previews and drift checks; without it they get pulumiAccessToken.",
  },
  {
    key: "awsPreviewAccessKeyId",
    grants: "reads",
    requirement: "optional",
    usedByProgram: false,
    pairedWith: "awsPreviewSecretAccessKey",
    description:
      "Access key id of an IAM user that can only read the S3 state bucket (s3:GetObject, s3:ListBucket), for previews and drift checks; without it they get awsAccessKeyId.",
  },
  {
    key: "awsPreviewSecretAccessKey",
    grants: "reads",
    requirement: "optional",
    usedByProgram: false,
    pairedWith: "awsPreviewAccessKeyId",
    description: "Secret access key of that read-only IAM user (set with awsPreviewAccessKeyId).",
  },
  {
    key: "googleCredentials",
    grants: "writes",
    requirement: "gs-backend",
    usedByProgram: false,
    description:
      "The JSON key of a Google Cloud service account that may read and write the state bucket (only with a gs:// state backend).",
  },
  {
    key: "azureStorageKey",
    grants: "writes",
    requirement: "azblob-backend",
    usedByProgram: false,
    description: "An access key of the storage account in stateBackendUrl (only with an azblob:// state backend).",
  },
  {
    key: "deliveryAppPrivateKey",
    grants: "writes",
    requirement: "always",
    usedByProgram: false,
    description: "PEM private key of the delivery GitHub App (deliveryAppId).",
  },
  {
    key: "previewAppPrivateKey",
    grants: "reads",
    requirement: "always",
    usedByProgram: false,
    description: "PEM private key of the read-only preview GitHub App (previewAppId).",
  },
  {
    key: "dockerhubToken",
    grants: "writes",
    requirement: "always",
    usedByProgram: true,
    description: "Docker Hub access token (Read & Write) of dockerhubUsername: the image build pushes with it; Railway never gets it.",
  },
  {
    key: "dockerhubPullToken",
    grants: "reads",
    requirement: "private-image",
    usedByProgram: true,
    description:
      "Docker Hub access token (Read-only) of dockerhubUsername that Railway pulls a private image with (only with privateImageRepository: true; Railway's Pro plan).",
  },
  {
    key: "imageSigningKey",
    grants: "writes",
    requirement: "image-signer",
    usedByProgram: true,
    description:
      "PEM private key (ECDSA P-256) staging signs each digest with once it passed the health check; production promotes only digests that verify with imageSigningPublicKey. Never published to GitHub.",
  },
  {
    key: "slackWebhookUrl",
    grants: "writes",
    requirement: "optional",
    usedByProgram: false,
    description: "Slack incoming webhook of this stack's deploy and drift notifications; without it they are off.",
  },
  {
    key: "githubToken",
    grants: "writes",
    requirement: "optional",
    usedByProgram: true,
    description: "Token the program's GitHub provider uses; without it the provider reads GITHUB_TOKEN from the environment.",
  },
];

/** Where a GitHub secret's or variable's value comes from. */
export type ValueSource =
  | { readonly configKey: SecretKey | ConfigKey }
  /** a value the program derives: the stack's name */
  | { readonly derived: "stackName" }
  /** a value the program derives: the policy pack config of the stack (src/policies/packConfig.ts), as JSON */
  | { readonly derived: "policyPackConfig" };

export interface GithubEntry {
  /** The name workflows read: `secrets.NAME` or `vars.NAME`. */
  readonly name: string;
  readonly kind: "secret" | "variable";
  readonly scope: Scope;
  readonly source: ValueSource;
  /** Who reads it. */
  readonly consumers: readonly string[];
  /** The seed's names this entry replaces (the README's migration table). */
  readonly replaces: readonly string[];
  /**
   * The stack's read-only environments get only what `pulumi preview` needs:
   * `<stack>-preview` (a pull request's preview, after a preview reviewer
   * approves the run) and `<stack>-drift` (the drift check; only the default
   * branch may use it). `true`: published to both as well as to the deploy
   * environment. `"only"`: published to them and never to the deploy
   * environment (the read-only identities); such an entry, when its value is
   * set, takes the place of a `true` entry of the same name there, so a
   * read-only credential stands in for the deploy one (see
   * `entryEnvironments`). `"drift"`: the deploy and drift environments, not
   * the preview one (notifications: a preview sends none).
   */
  readonly preview?: true | "only" | "drift";
  /** Published only by a stack whose Railway token is of this kind: one name per kind, the one Railway's CLI reads. */
  readonly railwayTokenKind?: RailwayTokenKind;
}

export type RailwayTokenKind = "account" | "project";

/**
 * The Railway token under the name Railway's tools read: `RAILWAY_API_TOKEN`
 * for an account or workspace token (sent as a Bearer token), `RAILWAY_TOKEN`
 * for a project token (sent as Project-Access-Token). Railway's CLI reads
 * `RAILWAY_TOKEN` first and sends it as a project token, so an account token
 * published there fails.
 */
const railwayTokenEntries: readonly GithubEntry[] = [
  {
    name: "RAILWAY_API_TOKEN",
    kind: "secret",
    scope: "environment",
    source: { configKey: "railwayToken" },
    consumers: ["environment jobs that call Railway (its CLI reads this name as an account or workspace token)"],
    replaces: ["RAILWAY_TOKEN"],
    railwayTokenKind: "account",
  },
  {
    name: "RAILWAY_TOKEN",
    kind: "secret",
    scope: "environment",
    source: { configKey: "railwayToken" },
    consumers: ["environment jobs that call Railway (its CLI reads this name as a project token)"],
    replaces: ["RAILWAY_TOKEN"],
    railwayTokenKind: "project",
  },
];

const catalogEntries: readonly GithubEntry[] = [
  // Environment scope: each stack publishes its own copy into its own environment.
  {
    name: "ANTHROPIC_API_KEY",
    kind: "secret",
    scope: "environment",
    source: { configKey: "anthropicApiKey" },
    consumers: ["Railway service variable", "environment jobs"],
    replaces: ["ANTHROPIC_API_KEY", "ANTHROPIC_API_KEY_STAGING"],
  },
  {
    name: "OPENAI_API_KEY",
    kind: "secret",
    scope: "environment",
    source: { configKey: "openaiApiKey" },
    consumers: ["Railway service variable", "environment jobs"],
    replaces: ["OPENAI_API_KEY", "OPENAI_API_KEY_STAGING"],
  },
  {
    name: "PULUMI_CONFIG_PASSPHRASE",
    kind: "secret",
    scope: "environment",
    source: { configKey: "pulumiConfigPassphrase" },
    consumers: ["deploy workflow", "drift workflow", "infra preview"],
    replaces: [],
    preview: true,
  },
  {
    name: "PULUMI_ACCESS_TOKEN",
    kind: "secret",
    scope: "environment",
    source: { configKey: "pulumiAccessToken" },
    consumers: ["deploy workflow", "drift workflow", "infra preview"],
    replaces: [],
    preview: true,
  },
  {
    name: "AWS_ACCESS_KEY_ID",
    kind: "secret",
    scope: "environment",
    source: { configKey: "awsAccessKeyId" },
    consumers: ["pulumi login to the S3 state backend"],
    replaces: [],
    preview: true,
  },
  {
    name: "AWS_SECRET_ACCESS_KEY",
    kind: "secret",
    scope: "environment",
    source: { configKey: "awsSecretAccessKey" },
    consumers: ["pulumi login to the S3 state backend"],
    replaces: [],
    preview: true,
  },
  // Read-only state credentials under the same names, in the preview environment only: where set, previews cannot write the state.
  {
    name: "PULUMI_ACCESS_TOKEN",
    kind: "secret",
    scope: "environment",
    source: { configKey: "pulumiPreviewAccessToken" },
    consumers: ["infra preview", "drift workflow"],
    replaces: [],
    preview: "only",
  },
  {
    name: "AWS_ACCESS_KEY_ID",
    kind: "secret",
    scope: "environment",
    source: { configKey: "awsPreviewAccessKeyId" },
    consumers: ["pulumi login to the S3 state backend, read-only (previews and drift checks)"],
    replaces: [],
    preview: "only",
  },
  {
    name: "AWS_SECRET_ACCESS_KEY",
    kind: "secret",
    scope: "environment",
    source: { configKey: "awsPreviewSecretAccessKey" },
    consumers: ["pulumi login to the S3 state backend, read-only (previews and drift checks)"],
    replaces: [],
    preview: "only",
  },
  // The names Pulumi's DIY backend reads: GOOGLE_CREDENTIALS holds the key itself (a runner has no key file), AZURE_STORAGE_KEY the account's key.
  {
    name: "GOOGLE_CREDENTIALS",
    kind: "secret",
    scope: "environment",
    source: { configKey: "googleCredentials" },
    consumers: ["pulumi login to the GCS state backend"],
    replaces: [],
    preview: true,
  },
  {
    name: "AZURE_STORAGE_KEY",
    kind: "secret",
    scope: "environment",
    source: { configKey: "azureStorageKey" },
    consumers: ["pulumi login to the Azure Blob state backend"],
    replaces: [],
    preview: true,
  },
  // The delivery App can write: its key only in the deploy environment, which admits the default branch or release tags.
  {
    name: "DELIVERY_APP_PRIVATE_KEY",
    kind: "secret",
    scope: "environment",
    source: { configKey: "deliveryAppPrivateKey" },
    consumers: ["deploy workflow (mints the GitHub token for pulumi up)"],
    replaces: [],
  },
  // Previews and drift checks run as the read-only App; any branch may use the preview environment. Only there: no deploy job mints it.
  {
    name: "PREVIEW_APP_PRIVATE_KEY",
    kind: "secret",
    scope: "environment",
    source: { configKey: "previewAppPrivateKey" },
    consumers: ["infra preview and drift workflows (mint a read-only GitHub token)"],
    replaces: [],
    preview: "only",
  },
  {
    name: "RAILWAY_PROJECT_ID",
    kind: "variable",
    scope: "environment",
    source: { configKey: "railwayProjectId" },
    consumers: ["deploy workflow", "environment jobs"],
    replaces: ["RAILWAY_STAGING_PROJECT_ID", "RAILWAY_PRODUCTION_PROJECT_ID"],
  },
  {
    name: "RAILWAY_ENVIRONMENT_ID",
    kind: "variable",
    scope: "environment",
    source: { configKey: "railwayEnvironmentId" },
    consumers: ["environment jobs"],
    replaces: [],
  },
  {
    name: "RAILWAY_SERVICE_ID",
    kind: "variable",
    scope: "environment",
    source: { configKey: "railwayServiceId" },
    consumers: ["environment jobs"],
    replaces: [],
  },
  {
    name: "RAILWAY_DOMAIN",
    kind: "variable",
    scope: "environment",
    source: { configKey: "railwayDomain" },
    consumers: ["deploy workflow (environment URL)", "smoke checks"],
    replaces: ["RAILWAY_STAGING_DOMAIN", "RAILWAY_PRODUCTION_DOMAIN"],
  },
  {
    name: "PULUMI_STACK",
    kind: "variable",
    scope: "environment",
    source: { derived: "stackName" },
    consumers: ["deploy workflow", "drift workflow"],
    replaces: [],
    preview: true,
  },
  // Per stack, so the preview matrix (generated by the governing stack) judges each stack by its own settings.
  {
    name: "POLICY_PACK_CONFIG",
    kind: "variable",
    scope: "environment",
    source: { derived: "policyPackConfig" },
    consumers: ["every workflow that runs pulumi (written to the --policy-pack-config file)"],
    replaces: [],
    preview: true,
  },
  // A repository secret is readable by a workflow on any branch: notifications go to the deploy and drift
  // environments, which admit only the default branch or release tags.
  {
    name: "SLACK_WEBHOOK_URL",
    kind: "secret",
    scope: "environment",
    source: { configKey: "slackWebhookUrl" },
    consumers: ["deploy and drift notifications"],
    replaces: ["SLACK_WEBHOOK_URL"],
    preview: "drift",
  },
  // Repository scope: published only by the governing stack.
  {
    name: "DOCKERHUB_USERNAME",
    kind: "variable",
    scope: "repository",
    source: { configKey: "dockerhubUsername" },
    consumers: ["image build", "docker login steps"],
    replaces: ["DOCKER_USERNAME"],
  },
  {
    name: "DOCKERHUB_REPOSITORY",
    kind: "variable",
    scope: "repository",
    source: { configKey: "dockerhubRepository" },
    consumers: ["image build"],
    replaces: [],
  },
  {
    name: "PULUMI_BACKEND_URL",
    kind: "variable",
    scope: "repository",
    source: { configKey: "stateBackendUrl" },
    consumers: ["every workflow that runs pulumi"],
    replaces: [],
  },
  {
    name: "DELIVERY_APP_ID",
    kind: "variable",
    scope: "repository",
    source: { configKey: "deliveryAppId" },
    consumers: ["deploy workflow (mints the GitHub token for pulumi up)"],
    replaces: [],
  },
  {
    name: "PREVIEW_APP_ID",
    kind: "variable",
    scope: "repository",
    source: { configKey: "previewAppId" },
    consumers: ["infra preview and drift workflows (mint a read-only GitHub token)"],
    replaces: [],
  },
];

/** Every GitHub entry of a stack whose Railway token is of `kind`. */
export function githubEntriesFor(kind: RailwayTokenKind): readonly GithubEntry[] {
  return [...railwayTokenEntries.filter((e) => e.railwayTokenKind === kind), ...catalogEntries];
}

/** Every entry any stack may publish (the README documents each). */
export const allGithubEntries: readonly GithubEntry[] = [...railwayTokenEntries, ...catalogEntries];

/**
 * The entries of a stack with the default token kind (account). A consumer that
 * knows the stack's `railwayTokenKind` uses `githubEntriesFor` instead, so a
 * project token is published as `RAILWAY_TOKEN`.
 */
export const githubEntries: readonly GithubEntry[] = githubEntriesFor("account");
