/**
 * The app repository's workflows, as typed models. Which stack owns which
 * file follows the ownership rule: the governing stack owns the shared ones,
 * each stack its own deploy workflow.
 */
import { jobIds } from "../pipeline/checks";
import type { CallJob, Job, StepsJob, Workflow, WorkflowCallSecret } from "./model";
import { checkout, pipInstall, run, setupPython } from "./steps";

export interface ProgramSource {
  /** `same-repository`: the program lives in the app repository under `path`. */
  readonly repository: string | undefined;
  readonly ref: string;
  readonly path: string;
}

export interface AppWorkflowSettings {
  readonly defaultBranch: string;
  readonly developBranch: string;
  readonly pythonVersions: readonly string[];
  readonly coverageMinimum: number;
  readonly codecov: boolean;
  readonly slack: boolean;
  readonly stateBackend: "pulumi-cloud" | "s3";
  readonly program: ProgramSource;
  /** Image platforms; QEMU emulates those the runner (amd64) is not. */
  readonly platforms: readonly string[];
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
const stacks = ["staging", "production"] as const;

/**
 * A preview only reads GitHub: its token is cut down to read access, so a
 * preview job cannot change what it inspects.
 */
const readOnlyAppPermissions = {
  "permission-administration": "read",
  "permission-actions": "read",
  "permission-contents": "read",
  "permission-environments": "read",
  "permission-secrets": "read",
  "permission-members": "read",
} as const;

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
 * Test and lint are the required checks: one job each, run on the same events,
 * callable by the deploy workflows, superseded runs cancelled (they change nothing).
 */
function checkWorkflow(
  s: AppWorkflowSettings,
  path: string,
  name: string,
  jobId: string,
  job: StepsJob,
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
    jobs: { [jobId]: job },
  };
}

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
        options: "--health-cmd \"redis-cli ping\" --health-interval 5s --health-timeout 3s --health-retries 10",
      },
    },
    env: { REDIS_URL: "redis://localhost:6379/0" },
    steps: [
      checkout(),
      { name: "Set up Python", action: "actions/setup-python", with: { "python-version": "${{ matrix.python-version }}", cache: "pip" } },
      pipInstall("pytest pytest-cov"),
      run(
        `pytest with coverage (minimum ${s.coverageMinimum}%)`,
        `pytest --cov=. --cov-report=xml --cov-report=html --cov-fail-under=${s.coverageMinimum}`,
      ),
      ...(s.codecov
        ? [{ name: "Upload coverage to Codecov", action: "codecov/codecov-action" as const, with: { token: "${{ secrets.CODECOV_TOKEN }}", files: "coverage.xml", fail_ci_if_error: true } }]
        : []),
      {
        name: "Upload coverage report",
        if: "always()",
        action: "actions/upload-artifact",
        with: { name: "coverage-${{ matrix.python-version }}", path: "coverage.xml\nhtmlcov/", "if-no-files-found": "ignore", "retention-days": 14 },
      },
    ],
  };
  return checkWorkflow(s, workflowPaths.test, "test", jobIds.test, pytest, testWorkflowSecrets);
}

export function lintWorkflow(s: AppWorkflowSettings): Workflow {
  const python = s.pythonVersions[s.pythonVersions.length - 1] ?? "3.12";
  return checkWorkflow(s, workflowPaths.lint, "lint", jobIds.lint, {
        name: jobIds.lint,
        runsOn: runner,
        timeoutMinutes: 15,
        permissions: read,
        steps: [
          checkout(),
          setupPython(python),
          pipInstall("black isort flake8 mypy pip-audit bandit interrogate"),
          run("black formatting (line length 100)", "black --check --line-length 100 ."),
          run("isort import order", "isort --check-only --profile black --line-length 100 ."),
          run("flake8 style", "flake8 --max-line-length 100 ."),
          run("mypy types", "mypy ."),
          run("pip-audit dependency vulnerabilities", "if [ -f requirements.txt ]; then pip-audit -r requirements.txt; else pip-audit; fi"),
          run("bandit security scan", "bandit -r . -x ./tests,./.venv -q"),
          run("complexity gate (max 10 per function)", "flake8 --select C901 --max-complexity 10 ."),
          run("docstring coverage gate", "interrogate --fail-under 80 --exclude tests ."),
        ],
  });
}

/** What a job that runs `pulumi` needs in its environment, by name only. */
function pulumiEnv(s: AppWorkflowSettings): Record<string, string> {
  return {
    PULUMI_BACKEND_URL: "${{ vars.PULUMI_BACKEND_URL }}",
    PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}",
    ...(s.stateBackend === "s3"
      ? { AWS_ACCESS_KEY_ID: "${{ secrets.AWS_ACCESS_KEY_ID }}", AWS_SECRET_ACCESS_KEY: "${{ secrets.AWS_SECRET_ACCESS_KEY }}" }
      : { PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}" }),
  };
}

/** Mint a short-lived token of the delivery App, check out the program, install it. */
function programSetup(s: AppWorkflowSettings, access: "deploy" | "read"): StepsJob["steps"] {
  const own = s.program.repository;
  const [owner, name] = own === undefined ? [undefined, undefined] : own.split("/");
  return [
    {
      name: "Mint a short-lived token of the delivery App",
      id: "app-token",
      action: "actions/create-github-app-token",
      with: {
        "app-id": "${{ vars.DELIVERY_APP_ID }}",
        "private-key": "${{ secrets.DELIVERY_APP_PRIVATE_KEY }}",
        ...(owner !== undefined && name !== undefined ? { owner, repositories: `\${{ github.event.repository.name }},${name}` } : {}),
        ...(access === "read" ? readOnlyAppPermissions : {}),
      },
    },
    own === undefined
      ? checkout()
      : checkout({ repository: own, ref: s.program.ref, path: s.program.path, token: "${{ steps.app-token.outputs.token }}" }),
    {
      name: "Set up Node.js",
      action: "actions/setup-node",
      // A deploy restores no cache: an entry another workflow on the branch saved could feed `pulumi up` poisoned
      // modules. Omitting `cache` is not enough: since v5, setup-node caches npm by itself when package.json's
      // `packageManager` names it, unless `package-manager-cache: false`.
      with:
        access === "deploy"
          ? { "node-version": "20", "package-manager-cache": false }
          : { "node-version": "20", cache: "npm", "cache-dependency-path": `${s.program.path}/package-lock.json` },
    },
    { name: "Install the delivery program", run: "npm ci", workingDirectory: s.program.path },
  ];
}

/** QEMU for the platforms the amd64 runner cannot run natively, then Buildx for the multi-platform build. */
function buildxSteps(s: AppWorkflowSettings): StepsJob["steps"] {
  const emulated = s.platforms.filter((p) => p !== "linux/amd64").map((p) => p.replace(/^linux\//, ""));
  return [
    ...(emulated.length === 0 ? [] : [{ name: `Set up QEMU (${emulated.join(", ")} builds)`, action: "docker/setup-qemu-action" as const, with: { platforms: emulated.join(",") } }]),
    { name: "Set up Docker Buildx", action: "docker/setup-buildx-action" },
  ];
}

function notify(s: AppWorkflowSettings, what: string, when: "always()" | "failure()" = "always()"): StepsJob["steps"] {
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

function deployJob(s: AppWorkflowSettings, stack: "staging" | "production", needs: readonly string[], url: string): StepsJob {
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
      ...programSetup(s, "deploy"),
      ...buildxSteps(s),
      {
        name: `pulumi up --stack ${stack}`,
        action: "pulumi/actions",
        with: { command: "up", "stack-name": stack, "work-dir": s.program.path, diff: true, "suppress-outputs": true },
        env: { ...pulumiEnv(s), GITHUB_TOKEN: "${{ steps.app-token.outputs.token }}" },
      },
      ...notify(s, `Deploy to ${stack}`),
    ],
  };
}

export function deployStagingWorkflow(s: AppWorkflowSettings, url: string): Workflow {
  const jobs: Record<string, Job> = {
    test: callCheck("test", workflowPaths.test, testWorkflowSecrets),
    deploy: deployJob(s, "staging", ["test"], url),
  };
  return {
    path: workflowPaths.deployStaging,
    name: "deploy-staging",
    on: { push: { branches: [s.defaultBranch] }, workflowDispatch: {} },
    permissions: {},
    jobs,
  };
}

export function deployProductionWorkflow(s: AppWorkflowSettings, url: string): Workflow {
  return {
    path: workflowPaths.deployProduction,
    name: "deploy-production",
    on: {
      release: { types: ["published"] },
      workflowDispatch: { inputs: { version: { description: "Release tag to deploy (run the workflow on that tag)", required: true, type: "string" } } },
    },
    permissions: {},
    jobs: {
      version: {
        name: "validate version",
        runsOn: runner,
        timeoutMinutes: 5,
        permissions: {},
        steps: [
          run(
            "Check the version is a release tag and the ref being deployed",
            [
              'if ! printf "%s" "$VERSION" | grep -Eq "^v[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?$"; then',
              '  echo "::error::version \\"$VERSION\\" is not a release tag like v1.2.3"; exit 1',
              "fi",
              'if [ "$VERSION" != "$REF_NAME" ]; then',
              '  echo "::error::run this workflow on the tag $VERSION (gh workflow run deploy-production.yml --ref $VERSION -f version=$VERSION)"; exit 1',
              "fi",
            ].join("\n"),
            { VERSION: "${{ inputs.version || github.event.release.tag_name }}", REF_NAME: "${{ github.ref_name }}" },
          ),
        ],
      },
      test: callCheck("test", workflowPaths.test, testWorkflowSecrets, ["version"]),
      audit: callCheck("audit", workflowPaths.lint, {}, ["version"]),
      deploy: deployJob(s, "production", ["version", "test", "audit"], url),
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

/** `pulumi preview` of both stacks, each in its preview environment: a PR comment, or a drift check. */
export function previewJob(s: AppWorkflowSettings, mode: "pull-request" | "drift"): StepsJob {
  const pr = mode === "pull-request";
  return {
    name: pr ? "pulumi preview (${{ matrix.stack }})" : "drift (${{ matrix.stack }})",
    runsOn: runner,
    timeoutMinutes: 30,
    // Commenting on the pull request is the only write a preview makes.
    permissions: pr ? { contents: "read", "pull-requests": "write" } : read,
    strategy: { failFast: false, matrix: { stack: [...stacks] } },
    environment: { name: "${{ matrix.stack }}-preview" },
    steps: [
      ...programSetup(s, "read"),
      // Previews build the image too (without pushing), so a broken Dockerfile fails the preview, not the deploy.
      ...buildxSteps(s),
      {
        name: pr ? "pulumi preview" : "pulumi preview --refresh --expect-no-changes",
        action: "pulumi/actions",
        with: pr
          ? { command: "preview", "stack-name": "${{ matrix.stack }}", "work-dir": s.program.path, diff: true, "comment-on-pr": true, "edit-pr-comment": true, "github-token": "${{ github.token }}" }
          : { command: "preview", "stack-name": "${{ matrix.stack }}", "work-dir": s.program.path, diff: true, refresh: true, "expect-no-changes": true },
        env: { ...pulumiEnv(s), GITHUB_TOKEN: "${{ steps.app-token.outputs.token }}" },
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
