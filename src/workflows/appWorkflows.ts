/**
 * The app repository's workflows, as typed models. Which stack owns which
 * file follows the ownership rule: the governing stack owns the shared ones,
 * each stack its own deploy workflow.
 */
import { releaseTagPattern } from "../formats";
import { handedOverRevisionVariable, imageCheckName, jobIds } from "../shipping";
import type { StateBackendKind } from "../config/backend";
import { stackNames } from "../config/rawConfig";
import type { ActionStep, CallJob, Job, Step, StepsJob, Workflow, WorkflowCallSecret } from "./model";
import { checkout, pipInstall, run, setupPython } from "./steps";

export interface ProgramSource {
  /** `same-repository`: the program lives in the app repository under `path`. */
  readonly repository: string | undefined;
  readonly ref: string;
  readonly path: string;
}

/** The image as the pull request's build check sees it (it never pushes and never writes the cache). */
export interface ImageBuildSettings {
  readonly dockerfile: string;
  /** Image platforms; QEMU emulates those the runner (amd64) is not. */
  readonly platforms: readonly string[];
  /** Each platform's registry cache the stacks' builds write; the check only reads them. */
  readonly cacheRefs: readonly string[];
}

export interface AppWorkflowSettings {
  /** The app repository as `owner/name`: every App token is minted for it by name, never from the event. */
  readonly repository: string;
  readonly defaultBranch: string;
  readonly developBranch: string;
  readonly pythonVersions: readonly string[];
  readonly coverageMinimum: number;
  /** The app's Python package: coverage, mypy, bandit and the docstring gate look at it, not at the tests. */
  readonly pythonPackage: string;
  readonly codecov: boolean;
  readonly slack: boolean;
  /** Which backend `pulumi` logs in to, and so which credentials its jobs get (a `file://` folder: none, and the jobs stop). */
  readonly stateBackend: StateBackendKind;
  readonly program: ProgramSource;
  readonly image: ImageBuildSettings;
  /** Whether `pulumi preview` builds the image: only then do previews set up QEMU and Buildx. */
  readonly buildImageOnPreview: boolean;
  /** Whether this stack's `pulumi up` may build the image (staging; production only with buildUnverifiedRelease). */
  readonly deployBuilds: boolean;
  /** Production only: whether a pre-release may ship; otherwise only full releases trigger the deploy. */
  readonly allowPrerelease: boolean;
}

const runner = "ubuntu-latest";
const read = { contents: "read" } as const;

export const workflowPaths = {
  test: ".github/workflows/test.yml",
  lint: ".github/workflows/lint.yml",
  deployStaging: ".github/workflows/deploy-staging.yml",
  deployProduction: ".github/workflows/deploy-production.yml",
  dependabot: ".github/dependabot.yml",
  infraPreview: ".github/workflows/infra-preview.yml",
  drift: ".github/workflows/drift.yml",
} as const;

/** Both stacks, in the order previews and drift checks run them. */
const stacks = stackNames;

/**
 * Which GitHub App a job authenticates as, by the names of the variable and
 * secret that hold its id and private key (both in the secrets catalog).
 *
 * - `delivery`: the App that runs `pulumi up` and bypasses the rulesets. Its key
 *   lives only in the deploy environments, which admit the default branch
 *   (staging) or release tags (production).
 * - `preview`: a second App, installed with read-only permissions, for pull
 *   request previews and drift checks. Its key is in the `<stack>-preview`
 *   environments, which any branch may use: whatever a branch does with it,
 *   it cannot write.
 */
export const appIdentities = {
  delivery: { idVariable: "DELIVERY_APP_ID", keySecret: "DELIVERY_APP_PRIVATE_KEY" },
  preview: { idVariable: "PREVIEW_APP_ID", keySecret: "PREVIEW_APP_PRIVATE_KEY" },
} as const;
export type AppIdentity = keyof typeof appIdentities;

/**
 * The one installation permission create-github-app-token v3.1.1 cannot be
 * asked for by a declared input: its `permission-*` inputs are generated from
 * GitHub's OpenAPI `app-permissions` schema, which lacks the Variables
 * permission (github/rest-api-description#5437, actions/create-github-app-token#231).
 * The action still requests it: it turns every `INPUT_PERMISSION-*`
 * environment variable into a permission, hyphens to underscores
 * (lib/get-permissions-from-inputs.js), and the runner passes an undeclared
 * input as `INPUT_<NAME>` with only an "Unexpected input" warning
 * (actions/runner ActionRunner.cs). GitHub names the permission
 * `actions_variables` (the REST reference of the variables endpoints).
 */
export const variablesPermissionInput = "permission-actions-variables";

/**
 * The installation permissions each identity's token is cut down to. Every
 * token names them, so a job never inherits the whole installation.
 *
 * `pulumi up`: environments, their branch policies, rulesets and Actions
 * permissions (administration), workflow files and the commits that carry
 * them (contents, workflows), environment secrets and variables
 * (environments), repository secrets and variables (secrets, actions
 * variables), team reviewers by slug (members), and the refresh of Actions
 * settings (actions). A preview or drift check reads the same, and writes
 * nothing; `workflows` has no read level and is left out.
 */
export const appTokenPermissions: Readonly<Record<AppIdentity, Readonly<Record<string, "read" | "write">>>> = {
  delivery: {
    "permission-administration": "write",
    "permission-contents": "write",
    "permission-workflows": "write",
    "permission-environments": "write",
    "permission-secrets": "write",
    [variablesPermissionInput]: "write",
    "permission-members": "read",
    "permission-actions": "read",
  },
  preview: {
    "permission-administration": "read",
    "permission-contents": "read",
    "permission-environments": "read",
    "permission-secrets": "read",
    [variablesPermissionInput]: "read",
    "permission-members": "read",
    "permission-actions": "read",
  },
};

function splitRepository(fullName: string): { owner: string; name: string } {
  const [owner = "", name = ""] = fullName.split("/");
  return { owner, name };
}

/** A step minting a short-lived token of `identity`, for one repository, with exactly `permissions`. */
function mintToken(
  identity: AppIdentity,
  id: string,
  repository: string,
  permissions: Readonly<Record<string, "read" | "write">>,
  purpose: string,
): ActionStep {
  const { owner, name } = splitRepository(repository);
  const app = appIdentities[identity];
  return {
    name: `Mint a short-lived ${identity === "delivery" ? "delivery" : "read-only preview"} App token (${purpose})`,
    id,
    action: "actions/create-github-app-token",
    with: {
      "app-id": `\${{ vars.${app.idVariable} }}`,
      "private-key": `\${{ secrets.${app.keySecret} }}`,
      // Named from config, never from the event: `github.event.repository` is empty on scheduled runs,
      // and this repository's own CI previews the app repository, not itself.
      owner,
      repositories: name,
      ...permissions,
    },
  };
}

/** The token `pulumi` runs with: for the app repository, with the identity's permissions. */
function appToken(s: AppWorkflowSettings, identity: AppIdentity): ActionStep {
  return mintToken(identity, "app-token", s.repository, appTokenPermissions[identity], `${s.repository}, for pulumi`);
}

/**
 * The secrets test.yml takes when a deploy workflow calls it. Declared whether
 * or not Codecov is on: deploy-production.yml belongs to the production stack,
 * which does not know the governing stack's settings, and GitHub rejects a call
 * that passes a secret the called workflow does not declare. An unset secret
 * arrives empty.
 */
const testWorkflowSecrets: Readonly<Record<string, WorkflowCallSecret>> = {
  CODECOV_TOKEN: { description: "Codecov upload token; unused when the upload is off.", required: false },
};

/** A job calling a check workflow, passing it each secret it declares by name: never `secrets: inherit`. */
function callCheck(name: string, path: string, secrets: Readonly<Record<string, WorkflowCallSecret>>, needs?: readonly string[]): CallJob {
  const names = Object.keys(secrets);
  return {
    name,
    ...(needs === undefined ? {} : { needs }),
    uses: `./${path}`,
    ...(names.length === 0 ? {} : { secrets: Object.fromEntries(names.map((n) => [n, `\${{ secrets.${n} }}`])) }),
    permissions: read,
  };
}

/**
 * Test and lint are the required checks, run on the same events, callable by
 * the deploy workflows, superseded runs cancelled (they change nothing).
 */
function checkWorkflow(
  s: AppWorkflowSettings,
  path: string,
  name: string,
  jobs: Readonly<Record<string, Job>>,
  secrets: Readonly<Record<string, WorkflowCallSecret>> = {},
): Workflow {
  const branches = [s.defaultBranch, s.developBranch];
  return {
    path,
    name,
    on: {
      push: { branches: [...branches, "feature/**"] },
      pullRequest: { branches },
      workflowCall: Object.keys(secrets).length === 0 ? {} : { secrets },
    },
    permissions: {},
    concurrency: { group: `${name}-\${{ github.workflow }}-\${{ github.ref }}`, cancelInProgress: true },
    jobs,
  };
}

/** pip's cache is keyed on every requirements file, the dev ones included. */
function setupPythonWith(version: string, name = `Set up Python ${version}`): ActionStep {
  const step = setupPython(version);
  return { ...step, name, with: { ...step.with, "cache-dependency-path": "**/requirements*.txt" } };
}

/**
 * The pull request's own proof that the image builds: `docker buildx build`
 * of the configured Dockerfile for every configured platform, pushing
 * nothing and logging in nowhere. It reads the stacks' per-platform registry
 * cache and never writes it (a pull request's code must not seed the cache
 * the deploys build from); a private repository's cache is simply not found.
 * Skipped when a deploy workflow calls test.yml: the deploy builds (or
 * promotes) the image itself.
 */
function imageBuildJob(s: AppWorkflowSettings): StepsJob {
  const platforms = s.image.platforms.join(",");
  return {
    // A required check in the rulesets: GitHub reports it under this name. On a push it is skipped, which passes.
    name: imageCheckName,
    if: "github.event_name == 'pull_request'",
    runsOn: runner,
    timeoutMinutes: 45,
    permissions: read,
    steps: [
      checkout(),
      ...buildxSteps(s),
      run(
        `Build ${s.image.dockerfile} for ${platforms} without pushing`,
        [
          "cache_from=()",
          'for ref in $CACHE_REFS; do cache_from+=(--cache-from "type=registry,ref=$ref"); done',
          "# No --push, no --load: the result stays in this runner's build cache and is discarded with it.",
          'docker buildx build --platform "$PLATFORMS" --file "$DOCKERFILE" "${cache_from[@]}" .',
        ].join("\n"),
        { PLATFORMS: platforms, DOCKERFILE: s.image.dockerfile, CACHE_REFS: s.image.cacheRefs.join(" ") },
      ),
    ],
  };
}

/** Names of the JUnit files test.yml writes and uploads, one per Python version. */
const junitFile = "junit-${{ matrix.python-version }}.xml";

export function testWorkflow(s: AppWorkflowSettings): Workflow {
  const pytest: StepsJob = {
    name: jobIds.test,
    runsOn: runner,
    timeoutMinutes: 20,
    permissions: read,
    strategy: { failFast: false, matrix: { "python-version": [...s.pythonVersions] } },
    services: {
      redis: {
        image: "redis:7-alpine",
        ports: ["6379:6379"],
        options: '--health-cmd "redis-cli ping" --health-interval 5s --health-timeout 3s --health-retries 10',
      },
    },
    env: { REDIS_URL: "redis://localhost:6379/0" },
    steps: [
      // No `ref`: the commit of the event, which a calling deploy workflow hands its program as ${{ github.sha }}.
      checkout(),
      setupPythonWith("${{ matrix.python-version }}", "Set up Python"),
      pipInstall("pytest pytest-cov"),
      run(
        `pytest with coverage of ${s.pythonPackage} (minimum ${s.coverageMinimum}%)`,
        [
          `pytest --cov=${s.pythonPackage} --cov-report=xml --cov-report=html --cov-fail-under=${s.coverageMinimum}`,
          `--junitxml=${junitFile}`,
        ].join(" "),
      ),
      ...(s.codecov
        ? [
            {
              name: "Upload coverage to Codecov",
              action: "codecov/codecov-action" as const,
              with: { token: "${{ secrets.CODECOV_TOKEN }}", files: "coverage.xml", fail_ci_if_error: true },
            },
          ]
        : []),
      {
        name: "Upload coverage report",
        if: "always()",
        action: "actions/upload-artifact",
        with: {
          name: "coverage-${{ matrix.python-version }}",
          path: "coverage.xml\nhtmlcov/",
          "if-no-files-found": "ignore",
          "retention-days": 14,
        },
      },
      {
        name: "Upload JUnit results",
        if: "always()",
        action: "actions/upload-artifact",
        with: { name: "junit-${{ matrix.python-version }}", path: junitFile, "if-no-files-found": "warn", "retention-days": 14 },
      },
    ],
  };
  return checkWorkflow(s, workflowPaths.test, "test", { [jobIds.test]: pytest, [jobIds.image]: imageBuildJob(s) }, testWorkflowSecrets);
}

export function lintWorkflow(s: AppWorkflowSettings): Workflow {
  const python = s.pythonVersions[s.pythonVersions.length - 1] ?? "3.12";
  const pkg = s.pythonPackage;
  // Settings a black-formatted app passes: flake8 at black's line length, without the two checks black's own
  // style contradicts (E203 whitespace before ':', W503 line break before a binary operator).
  const flake8 = "flake8 --max-line-length 100 --extend-ignore E203,W503 --extend-exclude .venv,venv,build,dist";
  return checkWorkflow(s, workflowPaths.lint, "lint", {
    [jobIds.lint]: {
      name: jobIds.lint,
      runsOn: runner,
      timeoutMinutes: 15,
      permissions: read,
      steps: [
        checkout(),
        setupPythonWith(python),
        pipInstall("black isort flake8 mypy pip-audit bandit interrogate"),
        run("black formatting (line length 100)", "black --check --line-length 100 ."),
        run("isort import order", "isort --check-only --profile black --line-length 100 ."),
        run("flake8 style", `${flake8} .`),
        run(`mypy types of ${pkg}`, `mypy --ignore-missing-imports ${pkg}`),
        run("pip-audit dependency vulnerabilities", "if [ -f requirements.txt ]; then pip-audit -r requirements.txt; else pip-audit; fi"),
        run(`bandit security scan of ${pkg}`, `bandit -r ${pkg} -q`),
        run("complexity gate (max 10 per function)", `${flake8} --select C901 --max-complexity 10 .`),
        run(`docstring coverage gate of ${pkg}`, `interrogate --fail-under 80 ${pkg}`),
      ],
    },
  });
}

/**
 * Check out the program and install it. In its own repository it is checked
 * out with a token of its own that can only read that repository; no other
 * token exists yet, so `npm ci` never runs beside one.
 */
function programSetup(s: AppWorkflowSettings, identity: AppIdentity): Step[] {
  const own = s.program.repository;
  const deploy = identity === "delivery";
  return [
    ...(own === undefined
      ? [checkout()]
      : [
          mintToken(identity, "program-token", own, { "permission-contents": "read" }, `${own}, to check out the program`),
          checkout({ repository: own, ref: s.program.ref, path: s.program.path, token: "${{ steps.program-token.outputs.token }}" }),
        ]),
    {
      name: "Set up Node.js",
      action: "actions/setup-node",
      // A deploy restores no cache: an entry another workflow on the branch saved could feed `pulumi up` poisoned
      // modules. Omitting `cache` is not enough: since v5, setup-node caches npm by itself when package.json's
      // `packageManager` names it, unless `package-manager-cache: false`.
      with: deploy
        ? { "node-version": "20", "package-manager-cache": false }
        : { "node-version": "20", cache: "npm", "cache-dependency-path": `${s.program.path}/package-lock.json` },
    },
    { name: "Install the delivery program", run: "npm ci", workingDirectory: s.program.path },
  ];
}

/** The policy pack, relative to the program folder (`work-dir`): every preview and deploy runs it. */
export const policyPackPath = "infra/policy";

/** The Actions variable each stack publishes its policy pack config in (src/policies/packConfig.ts; no secret). */
export const policyPackConfigVariable = "POLICY_PACK_CONFIG";
/** Where a job writes that config for `--policy-pack-config` (pulumi/actions' `policyPackConfigs`): outside the checkout. */
export const policyPackConfigFile = "${{ runner.temp }}/policy-pack-config.json";

/**
 * Writes the stack's policy pack config to a file. It comes from the
 * environment the job runs in (each stack's own settings, also in the preview
 * matrix the governing stack generates), through `env:`, never inside the
 * script. An environment without it (this program's own CI, whose
 * environments a person sets up) gets `{}`: the policies then judge what needs
 * no setting.
 */
function writePolicyPackConfig(): Step {
  return run(
    "Write the policy pack's config for this stack",
    [
      'if [ -z "$POLICY_PACK_CONFIG" ]; then POLICY_PACK_CONFIG="{}"; fi',
      'printf \'%s\\n\' "$POLICY_PACK_CONFIG" > "$RUNNER_TEMP/policy-pack-config.json"',
    ].join("\n"),
    { POLICY_PACK_CONFIG: `\${{ vars.${policyPackConfigVariable} }}` },
  );
}

/**
 * The state backend's credentials, under the names Pulumi reads: a Pulumi
 * Cloud token; AWS keys (the region is in the URL); a Google service
 * account's JSON key (GOOGLE_CREDENTIALS, the key itself, since a runner has
 * no key file); an Azure storage account key (the account is in the URL).
 */
const backendCredentials: Readonly<Record<StateBackendKind, readonly string[]>> = {
  "pulumi-cloud": ["PULUMI_ACCESS_TOKEN"],
  s3: ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"],
  gs: ["GOOGLE_CREDENTIALS"],
  azblob: ["AZURE_STORAGE_KEY"],
  file: [],
};

/** What a job that runs `pulumi` needs in its environment, by name only. */
function pulumiEnv(s: AppWorkflowSettings): Record<string, string> {
  return {
    PULUMI_BACKEND_URL: "${{ vars.PULUMI_BACKEND_URL }}",
    PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}",
    ...Object.fromEntries(backendCredentials[s.stateBackend].map((name) => [name, `\${{ secrets.${name} }}`])),
    GITHUB_TOKEN: "${{ steps.app-token.outputs.token }}",
  };
}

/**
 * A `file://` backend is a folder on the machine that ran `pulumi up`. A runner
 * would find an empty folder there and fail later with "no stack named ...";
 * the job stops first and says why, and what to do.
 */
function backendReachable(s: AppWorkflowSettings): Step[] {
  if (s.stateBackend !== "file") return [];
  return [
    run(
      "Stop: the state backend is a local folder",
      [
        'echo "::error::stateBackendUrl is a file:// folder on the machine that ran pulumi up; this runner cannot reach it.' +
          " Move both stacks to an s3://, gs://, azblob:// or Pulumi Cloud backend (README: Before you start, state backend)," +
          ' then pulumi config set stateBackendUrl <url> for each stack and pulumi up."',
        "exit 1",
      ].join("\n"),
    ),
  ];
}

/** QEMU for the platforms the amd64 runner cannot run natively, then Buildx for the multi-platform build. */
function buildxSteps(s: AppWorkflowSettings): Step[] {
  const emulated = s.image.platforms.filter((p) => p !== "linux/amd64").map((p) => p.replace(/^linux\//, ""));
  return [
    ...(emulated.length === 0
      ? []
      : [
          {
            name: `Set up QEMU (${emulated.join(", ")} builds)`,
            action: "docker/setup-qemu-action" as const,
            with: { platforms: emulated.join(",") },
          },
        ]),
    { name: "Set up Docker Buildx", action: "docker/setup-buildx-action" },
  ];
}

function notify(s: AppWorkflowSettings, what: string, when: "always()" | "failure()" = "always()"): Step[] {
  if (!s.slack) return [];
  return [
    {
      name: "Notify Slack of the outcome",
      if: when,
      action: "slackapi/slack-github-action",
      with: {
        webhook: "${{ secrets.SLACK_WEBHOOK_URL }}",
        "webhook-type": "incoming-webhook",
        payload: `text: "${what}: \${{ job.status }} (\${{ github.server_url }}/\${{ github.repository }}/actions/runs/\${{ github.run_id }})"`,
      },
    },
  ];
}

/**
 * `pulumi up` of one stack in its environment. `revision` is the expression
 * of the exact revision the workflow ran for, handed to the program in
 * DELIVERY_APP_REVISION through `env:` (never inside a command line). The
 * delivery App's token is minted last, after `npm ci`, so no install script
 * ever runs beside it.
 */
function deployJob(
  s: AppWorkflowSettings,
  stack: "staging" | "production",
  needs: readonly string[],
  url: string,
  revision: string,
): StepsJob {
  return {
    name: `deploy to ${stack}`,
    needs,
    runsOn: runner,
    timeoutMinutes: 60,
    permissions: read,
    environment: { name: stack, url },
    // One update per stack at a time, and never cancelled half-way.
    concurrency: { group: `pulumi-${stack}`, cancelInProgress: false },
    steps: [
      ...backendReachable(s),
      ...programSetup(s, "delivery"),
      ...(s.deployBuilds ? buildxSteps(s) : []),
      writePolicyPackConfig(),
      appToken(s, "delivery"),
      {
        name: `pulumi up --stack ${stack}`,
        action: "pulumi/actions",
        with: {
          command: "up",
          "stack-name": stack,
          "work-dir": s.program.path,
          diff: true,
          "suppress-outputs": true,
          policyPacks: policyPackPath,
          policyPackConfigs: policyPackConfigFile,
        },
        env: { ...pulumiEnv(s), [handedOverRevisionVariable]: revision },
      },
      ...notify(s, `Deploy to ${stack}`),
    ],
  };
}

/**
 * On a push to the default branch: test and lint that commit, then ship that
 * commit (`github.sha`, the commit the called test and lint workflows checked
 * out), never whatever the branch points at by then.
 */
export function deployStagingWorkflow(s: AppWorkflowSettings, url: string): Workflow {
  const jobs: Record<string, Job> = {
    test: callCheck("test", workflowPaths.test, testWorkflowSecrets),
    lint: callCheck("lint", workflowPaths.lint, {}),
    deploy: deployJob(s, "staging", ["test", "lint"], url, "${{ github.sha }}"),
  };
  return {
    path: workflowPaths.deployStaging,
    name: "deploy-staging",
    on: { push: { branches: [s.defaultBranch] }, workflowDispatch: {} },
    permissions: {},
    jobs,
  };
}

/**
 * A release tag, checked before anything runs: the tag of the release that
 * triggered the run, or the tag a dispatch names, which must also be the ref
 * the run is on (so the tests, the audit and the program's checkout are that
 * tag's commit). Rolling back is dispatching the workflow on an older tag.
 * Bash's `=~` matches the whole value, so a tag with a line break cannot pass.
 */
const releaseTagCheck = [
  // The one release tag format (src/formats), which is also a POSIX extended regular expression.
  `if [[ ! "$TAG" =~ ${releaseTagPattern.source} ]]; then`,
  '  echo "::error::\\"$TAG\\" is not a release tag like v1.2.3"; exit 1',
  "fi",
  'if [ "$GITHUB_REF" != "refs/tags/$TAG" ]; then',
  '  echo "::error::run this workflow on the tag $TAG: gh workflow run deploy-production.yml --ref $TAG -f version=$TAG"; exit 1',
  "fi",
  'echo "tag=$TAG" >> "$GITHUB_OUTPUT"',
].join("\n");

export function deployProductionWorkflow(s: AppWorkflowSettings, url: string): Workflow {
  return {
    path: workflowPaths.deployProduction,
    name: "deploy-production",
    on: {
      // `released` leaves pre-releases out (and fires when one is promoted to a release); the program refuses them too.
      release: { types: [s.allowPrerelease ? "published" : "released"] },
      workflowDispatch: {
        inputs: {
          version: {
            description: "Release tag to deploy, e.g. v1.4.1 (an older tag rolls back); run the workflow on that same tag",
            required: true,
            type: "string",
          },
        },
      },
    },
    permissions: {},
    jobs: {
      version: {
        name: "validate the release tag",
        runsOn: runner,
        timeoutMinutes: 5,
        permissions: {},
        outputs: { tag: "${{ steps.tag.outputs.tag }}" },
        steps: [
          {
            ...run("Check the tag is a release tag and the ref being deployed", releaseTagCheck, {
              TAG: "${{ inputs.version || github.event.release.tag_name }}",
            }),
            id: "tag",
          },
        ],
      },
      test: callCheck("test", workflowPaths.test, testWorkflowSecrets, ["version"]),
      audit: callCheck("audit", workflowPaths.lint, {}, ["version"]),
      deploy: deployJob(s, "production", ["version", "test", "audit"], url, "${{ needs.version.outputs.tag }}"),
    },
  };
}

/** Days a new release must age before Dependabot proposes it: a compromised release is usually yanked sooner. */
export const dependabotCooldownDays = 7;

/** Dependabot for the app's pip, Docker and Actions dependencies (not a workflow, same header). */
export function dependabotConfig(): Record<string, unknown> {
  const weekly = { interval: "weekly" };
  const cooldown = { "default-days": dependabotCooldownDays };
  return {
    version: 2,
    updates: [
      { "package-ecosystem": "pip", directory: "/", schedule: weekly, cooldown, "open-pull-requests-limit": 5 },
      { "package-ecosystem": "docker", directory: "/", schedule: weekly, cooldown },
      // A bump here is a signal: generated workflows take their pins from the program's table, so copy it there.
      { "package-ecosystem": "github-actions", directory: "/", schedule: weekly, cooldown },
    ],
  };
}

/**
 * `pulumi preview` of both stacks, each in its preview environment, as the
 * read-only preview App: a PR comment, or a drift check. Nothing is built
 * unless `buildImageOnPreview` (the governing stack's setting) asks for it;
 * the pull request's own image check proves the Dockerfile builds.
 */
export function previewJob(s: AppWorkflowSettings, mode: "pull-request" | "drift"): StepsJob {
  const pr = mode === "pull-request";
  const common = {
    command: "preview",
    "stack-name": "${{ matrix.stack }}",
    "work-dir": s.program.path,
    diff: true,
    policyPacks: policyPackPath,
    policyPackConfigs: policyPackConfigFile,
  };
  return {
    name: pr ? "pulumi preview (${{ matrix.stack }})" : "drift (${{ matrix.stack }})",
    runsOn: runner,
    timeoutMinutes: 30,
    // Commenting on the pull request is the only write a preview makes.
    permissions: pr ? { contents: "read", "pull-requests": "write" } : read,
    strategy: { failFast: false, matrix: { stack: [...stacks] } },
    environment: { name: "${{ matrix.stack }}-preview" },
    steps: [
      ...backendReachable(s),
      ...programSetup(s, "preview"),
      ...(s.buildImageOnPreview ? buildxSteps(s) : []),
      writePolicyPackConfig(),
      appToken(s, "preview"),
      {
        name: pr ? "pulumi preview" : "pulumi preview --refresh --expect-no-changes",
        action: "pulumi/actions",
        with: pr
          ? { ...common, "comment-on-pr": true, "edit-pr-comment": true, "github-token": "${{ github.token }}" }
          : { ...common, refresh: true, "expect-no-changes": true },
        env: pulumiEnv(s),
      },
      ...(pr ? [] : notify(s, "Drift detected in ${{ matrix.stack }}", "failure()")),
    ],
  };
}

/** Pull requests that touch the program (kept in the app repository) show what they would change. */
export function infraPreviewWorkflow(s: AppWorkflowSettings): Workflow {
  return {
    path: workflowPaths.infraPreview,
    name: "infra-preview",
    // pull_request, never pull_request_target: a fork's pull request gets no secrets.
    on: { pullRequest: { branches: [s.defaultBranch], paths: [`${s.program.path}/**`] } },
    permissions: {},
    concurrency: { group: "infra-preview-${{ github.ref }}", cancelInProgress: true },
    jobs: { preview: previewJob(s, "pull-request") },
  };
}

/** Daily: live state must match the program; any difference fails the run and notifies. */
export function driftWorkflow(s: AppWorkflowSettings): Workflow {
  return {
    path: workflowPaths.drift,
    name: "drift",
    on: { schedule: [{ cron: "17 6 * * *" }], workflowDispatch: {} },
    permissions: {},
    jobs: { drift: previewJob(s, "drift") },
  };
}
