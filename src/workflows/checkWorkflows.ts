/**
 * The required checks, test.yml and lint.yml: run on pushes and pull requests
 * to the default and develop branches, and called by the deploy workflows.
 * test.yml also holds the pull request's image build check.
 */
import { imageCheckName, jobIds } from "../shipping";
import type { ActionStep, Job, Step, StepsJob, Workflow, WorkflowCallSecret } from "./model";
import { readContents, runner, workflowPaths, type AppWorkflowSettings } from "./settings";
import { pinnedImages } from "./images";
import { buildxSteps, checkout, pipInstall, run, setupPython } from "./steps";

/**
 * What a deploy workflow grants the test.yml it calls: reading the checkout, and
 * GitHub's OIDC token, which the Codecov upload authenticates with when it is on
 * (a called workflow's jobs may ask no more than the calling job grants, and the
 * production stack that owns deploy-production.yml does not know the governing
 * stack's Codecov setting). test.yml takes no secret: a repository secret would be
 * readable by a workflow on any branch.
 */
export const testCallPermissions = { contents: "read", "id-token": "write" } as const;

/**
 * Test and lint are the required checks, run on the same events, callable by
 * the deploy workflows, superseded runs cancelled (they change nothing).
 */
export function checkWorkflow(
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
export function setupPythonWith(version: string, name = `Set up Python ${version}`): ActionStep {
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
export function imageBuildJob(s: AppWorkflowSettings): StepsJob {
  const platforms = s.image.platforms.join(",");
  return {
    // A required check in the rulesets: GitHub reports it under this name. On a push it is skipped, which passes.
    name: imageCheckName,
    if: "github.event_name == 'pull_request'",
    runsOn: runner,
    timeoutMinutes: 45,
    permissions: readContents,
    steps: [
      checkout(),
      ...buildxSteps(s.image.platforms),
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

/** After pytest: coverage to Codecov when it is on, then the coverage and JUnit reports as artifacts, even after a failure. */
export function testReportSteps(s: AppWorkflowSettings): Step[] {
  return [
    ...(s.codecov
      ? [
          {
            name: "Upload coverage to Codecov",
            action: "codecov/codecov-action" as const,
            // GitHub's OIDC token instead of an upload token; a fork's pull request has none and uploads tokenless.
            with: {
              use_oidc: "${{ !(github.event_name == 'pull_request' && github.event.pull_request.head.repo.fork) }}",
              files: "coverage.xml",
              fail_ci_if_error: true,
            },
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
  ];
}

/** pytest with coverage on each configured Python version, beside a Redis service. */
export function pytestJob(s: AppWorkflowSettings): StepsJob {
  return {
    name: jobIds.test,
    runsOn: runner,
    timeoutMinutes: 20,
    // The OIDC token is for Codecov alone: GitHub signs it for this repository and ref, and no secret comes with it.
    permissions: s.codecov ? { ...readContents, "id-token": "write" } : readContents,
    strategy: { failFast: false, matrix: { "python-version": [...s.pythonVersions] } },
    services: {
      redis: {
        image: pinnedImages.redis,
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
      ...testReportSteps(s),
    ],
  };
}

export function testWorkflow(s: AppWorkflowSettings): Workflow {
  const jobs = { [jobIds.test]: pytestJob(s), [jobIds.image]: imageBuildJob(s) };
  return checkWorkflow(s, workflowPaths.test, "test", jobs);
}

/** The lint job's gates, on the newest configured Python (3.12 when none is). */
export function lintJob(s: AppWorkflowSettings): StepsJob {
  const python = s.pythonVersions[s.pythonVersions.length - 1] ?? "3.12";
  const pkg = s.pythonPackage;
  // Settings a black-formatted app passes: flake8 at black's line length, without the two checks black's own
  // style contradicts (E203 whitespace before ':', W503 line break before a binary operator).
  const flake8 = "flake8 --max-line-length 100 --extend-ignore E203,W503 --extend-exclude .venv,venv,build,dist";
  return {
    name: jobIds.lint,
    runsOn: runner,
    timeoutMinutes: 15,
    permissions: readContents,
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
  };
}

export function lintWorkflow(s: AppWorkflowSettings): Workflow {
  return checkWorkflow(s, workflowPaths.lint, "lint", { [jobIds.lint]: lintJob(s) });
}
