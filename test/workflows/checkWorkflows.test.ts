import { describe, expect, it } from "vitest";
import { imageCheckName, jobIds } from "../../src/shipping";
import {
  checkWorkflow,
  imageBuildJob,
  lintJob,
  lintWorkflow,
  pytestJob,
  setupPythonWith,
  testReportSteps,
  testCallPermissions,
  testWorkflow,
} from "../../src/workflows/checkWorkflows";
import { pinnedImages } from "../../src/workflows/images";
import { isCallJob, type Job, type Step, type StepsJob } from "../../src/workflows/model";
import { appSettings } from "./appSettings";

const stepsJob = (job: Job | undefined): StepsJob => {
  if (job === undefined || isCallJob(job)) throw new Error("expected a job that runs steps");
  return job;
};
const names = (steps: readonly Step[]): string[] => steps.map((s) => s.name);

describe("checkWorkflow", () => {
  it("runs on pushes to the two branches and feature branches, on their pull requests, and cancels superseded runs", () => {
    const w = checkWorkflow(appSettings({ defaultBranch: "trunk", developBranch: "next" }), "p.yml", "n", {});
    expect(w.on.push?.branches).toEqual(["trunk", "next", "feature/**"]);
    expect(w.on.pullRequest?.branches).toEqual(["trunk", "next"]);
    expect(w.permissions).toEqual({});
    expect(w.concurrency).toEqual({ group: "n-${{ github.workflow }}-${{ github.ref }}", cancelInProgress: true });
  });

  it("declares the secrets callers pass, and none when it takes none", () => {
    const secrets = { SOME_TOKEN: { description: "a token", required: false } };
    expect(checkWorkflow(appSettings(), "p", "n", {}).on.workflowCall).toEqual({});
    expect(checkWorkflow(appSettings(), "p", "n", {}, secrets).on.workflowCall).toEqual({ secrets });
  });
});

describe("test.yml", () => {
  it("takes no secret when called, with Codecov on or off: a repository secret would be readable by any branch", () => {
    for (const codecov of [true, false]) expect(testWorkflow(appSettings({ codecov })).on.workflowCall).toEqual({});
  });

  it("asks callers for reading the checkout and GitHub's OIDC token, which the Codecov upload authenticates with", () => {
    expect(testCallPermissions).toEqual({ contents: "read", "id-token": "write" });
  });

  it("gives the pytest job the OIDC token only when Codecov is on", () => {
    expect(pytestJob(appSettings({ codecov: true })).permissions).toEqual({ contents: "read", "id-token": "write" });
    expect(pytestJob(appSettings({ codecov: false })).permissions).toEqual({ contents: "read" });
  });

  it("holds the pytest job and the image check, under the ids the rulesets name", () => {
    expect(Object.keys(testWorkflow(appSettings()).jobs)).toEqual([jobIds.test, jobIds.image]);
  });

  it("runs pytest on every configured Python, beside Redis, with the package's coverage minimum", () => {
    const job = pytestJob(appSettings({ pythonVersions: ["3.10", "3.13"], coverageMinimum: 91, pythonPackage: "pkg" }));
    expect(job.strategy?.matrix).toEqual({ "python-version": ["3.10", "3.13"] });
    expect(job.services?.["redis"]?.image).toBe(pinnedImages.redis);
    expect(job.services?.["redis"]?.image).toBe(
      "docker.io/library/redis:7-alpine@sha256:6ab0b6e7381779332f97b8ca76193e45b0756f38d4c0dcda72dbb3c32061ab99",
    );
    const pytest = job.steps.find((s) => s.name.startsWith("pytest"));
    expect(pytest && "run" in pytest ? pytest.run : "").toBe(
      "pytest --cov=pkg --cov-report=xml --cov-report=html --cov-fail-under=91 --junitxml=junit-${{ matrix.python-version }}.xml",
    );
  });

  it("uploads to Codecov only when it is on; the reports always, even after a failure", () => {
    expect(names(testReportSteps(appSettings({ codecov: true })))).toEqual([
      "Upload coverage to Codecov",
      "Upload coverage report",
      "Upload JUnit results",
    ]);
    // With GitHub's OIDC token, never an upload token; a fork's pull request has none, and uploads tokenless.
    expect(testReportSteps(appSettings({ codecov: true }))[0]).toEqual({
      name: "Upload coverage to Codecov",
      action: "codecov/codecov-action",
      with: {
        use_oidc: "${{ !(github.event_name == 'pull_request' && github.event.pull_request.head.repo.fork) }}",
        files: "coverage.xml",
        fail_ci_if_error: true,
      },
    });
    const off = testReportSteps(appSettings({ codecov: false }));
    expect(names(off)).toEqual(["Upload coverage report", "Upload JUnit results"]);
    expect(off.map((s) => s.if)).toEqual(["always()", "always()"]);
  });

  it("builds the image on pull requests only, for every platform, reading the caches, pushing nothing", () => {
    const job = imageBuildJob(appSettings({ image: { dockerfile: "D", platforms: ["linux/amd64"], cacheRefs: ["r1", "r2"] } }));
    expect(job.name).toBe(imageCheckName);
    expect(job.if).toBe("github.event_name == 'pull_request'");
    expect(job.permissions).toEqual({ contents: "read" });
    const build = job.steps.at(-1);
    expect(build?.env).toEqual({ PLATFORMS: "linux/amd64", DOCKERFILE: "D", CACHE_REFS: "r1 r2" });
    const command = (build && "run" in build ? build.run : "").split("\n").at(-1);
    expect(command).toBe('docker buildx build --platform "$PLATFORMS" --file "$DOCKERFILE" "${cache_from[@]}" .');
    // One platform, the runner's own: no QEMU.
    expect(names(job.steps)).toEqual(["Check out", "Set up Docker Buildx", "Build D for linux/amd64 without pushing"]);
  });
});

describe("lint.yml", () => {
  it("lints on the newest configured Python, and on 3.12 when none is configured", () => {
    const pythonOf = (versions: readonly string[]): unknown => {
      const step = lintJob(appSettings({ pythonVersions: versions })).steps[1];
      return step && "action" in step ? step.with?.["python-version"] : undefined;
    };
    expect(pythonOf(["3.10", "3.11"])).toBe("3.11");
    expect(pythonOf([])).toBe("3.12");
  });

  it("is one lint job under the id the rulesets name, keyed pip cache on every requirements file", () => {
    const workflow = lintWorkflow(appSettings());
    expect(Object.keys(workflow.jobs)).toEqual([jobIds.lint]);
    expect(workflow.on.workflowCall).toEqual({});
    expect(stepsJob(workflow.jobs[jobIds.lint]).steps[1]).toEqual(setupPythonWith("3.12"));
    expect(setupPythonWith("3.9").with).toEqual({ "python-version": "3.9", cache: "pip", "cache-dependency-path": "**/requirements*.txt" });
  });
});
