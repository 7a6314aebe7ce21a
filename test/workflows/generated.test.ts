// Every generated file, as GitHub and actionlint read it, plus the hardening rules on each.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isAlias, isNode, parse, parseDocument, visit } from "yaml";
import { describe, expect, it } from "vitest";
import { githubEntries, secretKeys, validateStackConfig } from "../../src/config";
import {
  buildPipelineSpec,
  cloneTokenVariable,
  handedOverCommitVariable,
  handedOverRevisionVariable,
  requiredCheckNames,
  stackEnvironments,
} from "../../src/pipeline";
import { dependabotCooldownDays } from "../../src/workflows/dependabot";
import { releaseTagCheck } from "../../src/workflows/deployWorkflows";
import { appTokenPermissions, variablesPermissionInput } from "../../src/workflows/identities";
import { pinnedImagePattern, pinnedImages } from "../../src/workflows/images";
import { driftCron } from "../../src/workflows/previewWorkflows";
import { engineCliVersion, policyPackConfigVariable, policyPackPath } from "../../src/workflows/pulumiSteps";
import { policyPackConfig } from "../../src/policies/packConfig";
import type { GeneratedFile } from "../../src/workflows/files";
import { pins, type ActionName } from "../../src/workflows/pins";
import {
  checkActionInputs,
  selfRepositoryIgnore,
  toGithubObject,
  undeclaredInputsRead,
  WorkflowModelError,
} from "../../src/workflows/render";
import { programCiPath, renderProgramCi } from "../../src/workflows/programWorkflow";
import { projectDir, rawConfig, stackWithSecrets } from "../helpers/stacks";
import { actionlintFindings, workflowParserErrors } from "../helpers/validators";
import { backends, filesFor } from "./backendVariants";

type Yaml = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed YAML under test

const filesOf = (
  stack: string,
  secrets = secretKeys as readonly (typeof secretKeys)[number][],
  overrides: Record<string, string> = {},
): GeneratedFile[] => [
  ...buildPipelineSpec(validateStackConfig(rawConfig(stackWithSecrets(stack, secrets, overrides), stack)).config).files,
];

// Codecov (by OIDC) on, every secret set: every optional step is in the files.
const staging = filesOf("staging", secretKeys, { codecovUpload: "true" });
const production = filesOf("production");
const all = [...staging, ...production];
const minimal = filesOf(
  "staging",
  secretKeys.filter((k) => k !== "slackWebhookUrl"),
  {
    stateBackendUrl: "https://api.pulumi.com",
    programRepository: "acme/delivery-pipeline",
    programRef: "v1.0.0",
  },
);
// Settings that change what the deploy and preview jobs set up.
const building = filesOf("staging", secretKeys, {
  buildImageOnPreview: "true",
  platforms: '["linux/amd64"]',
  dockerfile: "Dockerfile.optimized",
});
const productionBuilding = filesOf("production", secretKeys, { buildUnverifiedRelease: "true", allowPrerelease: "true" });
// This repository's own CI, as committed.
const programCi: GeneratedFile = { path: programCiPath, content: readFileSync(join(projectDir, programCiPath), "utf8") };
const doc = (path: string, files = all): Yaml => parse(files.find((f) => f.path === path)?.content ?? "") as Yaml;
const workflows = [...all.filter((f) => f.path.startsWith(".github/workflows/")), programCi];

/**
 * The check names GitHub reports for a workflow's jobs: the job's `name` (or
 * its id), and for a matrix job one check per combination, `<name> (<v1>, <v2>)`.
 */
function reportedChecks(workflow: Yaml): string[] {
  return Object.entries(workflow["jobs"] as Yaml).flatMap(([id, job]: [string, Yaml]) => {
    const name = String(job["name"] ?? id);
    const matrix = Object.entries(((job["strategy"] as Yaml | undefined)?.["matrix"] ?? {}) as Yaml).filter(
      ([k]) => k !== "include" && k !== "exclude",
    );
    const combos = matrix.reduce<string[][]>(
      (acc, [, values]) => acc.flatMap((c) => (values as unknown[]).map((v) => [...c, String(v)])),
      [[]],
    );
    return matrix.length === 0 ? [name] : combos.map((c) => `${name} (${c.join(", ")})`);
  });
}

describe("ownership of generated files", () => {
  it("the governing stack commits the shared files and its deploy workflow; production only its own", () => {
    expect(staging.map((f) => f.path)).toEqual([
      ".github/workflows/test.yml",
      ".github/workflows/lint.yml",
      ".github/dependabot.yml",
      ".github/workflows/infra-preview.yml",
      ".github/workflows/drift.yml",
      ".github/workflows/deploy-staging.yml",
    ]);
    expect(production.map((f) => f.path)).toEqual([".github/workflows/deploy-production.yml"]);
  });
});

describe.each(
  [...all, ...minimal, ...building, ...productionBuilding, programCi]
    .filter((f) => f.path.startsWith(".github/workflows/"))
    .map((f, i) => [`${f.path} #${i}`, f] as const),
)("%s", (_, file) => {
  const files = file.content.includes("codecov") || file.content.includes("slack") ? all : [...minimal, ...all];
  it("passes actionlint with zero findings", async () => {
    expect(await actionlintFindings(file)).toEqual([]);
  });
  it("passes GitHub's workflow parser with zero errors", async () => {
    expect(await workflowParserErrors(file, files)).toEqual([]);
  });
});

// Each state backend's files, with only the secrets it requires (their credentials: backends.test.ts).
describe.each(backends.map(({ url }) => [url] as const))("state backend %s", (url) => {
  const files = [...filesFor("staging", url).files, ...filesFor("production", url).files];
  it.each(files.filter((f) => f.path.startsWith(".github/workflows/")).map((f) => [f.path, f] as const))(
    "%s passes actionlint and GitHub's workflow parser",
    async (_, file) => {
      expect(await actionlintFindings(file)).toEqual([]);
      expect(await workflowParserErrors(file, files)).toEqual([]);
    },
  );
});

describe("hardening, on every workflow", () => {
  it.each(workflows.map((f) => [f.path, f] as const))("%s", (_, file) => {
    const wf = parse(file.content) as Yaml;
    expect(file.content.startsWith("# Generated by delivery-pipeline")).toBe(true);
    expect(file.content).toMatch(/regenerate with:\n# {3}(pulumi up --stack (staging|production)|npm run render-ci)\n/);
    expect(wf["permissions"]).toEqual({});
    expect(Object.keys(wf["on"] as Yaml)).not.toContain("pull_request_target");
    for (const [id, job] of Object.entries(wf["jobs"] as Record<string, Yaml>)) {
      expect(job["permissions"], id).toBeDefined();
      for (const [scope, level] of Object.entries(job["permissions"] as Record<string, string>)) {
        // The writes a generated job gets: the preview's pull request comment, and GitHub's OIDC token for the Codecov
        // upload (test.yml's pytest job, and the jobs that call test.yml, which must grant it).
        const comment = (file.path.endsWith("infra-preview.yml") || file === programCi) && scope === "pull-requests";
        const oidc =
          scope === "id-token" && ((file.path.endsWith("/test.yml") && id === "pytest") || job["uses"] === "./.github/workflows/test.yml");
        expect(level, `${id} ${scope}`).toBe(comment || oidc ? "write" : "read");
      }
      if (job["uses"] !== undefined) {
        expect(job["uses"], id).toMatch(/^\.\/\.github\/workflows\/[a-z-]+\.yml$/);
        // Never `secrets: inherit`: exactly the secrets the called workflow declares, each by its own name.
        const called = doc(String(job["uses"]).slice(2), [...all, ...minimal]);
        const declared = Object.keys((((called["on"] as Yaml)["workflow_call"] as Yaml | null)?.["secrets"] ?? {}) as Yaml);
        const passed = (job["secrets"] ?? {}) as Yaml;
        expect(typeof passed, id).toBe("object");
        expect(Object.keys(passed), id).toEqual(declared);
        for (const name of declared) expect(passed[name], `${id} ${name}`).toBe(`\${{ secrets.${name} }}`);
        continue;
      }
      expect(job["timeout-minutes"], id).toBeGreaterThan(0);
      for (const step of job["steps"] as Yaml[]) {
        const run = step["run"] as string | undefined;
        if (run !== undefined) {
          expect(run, `${id}/${String(step["name"])}`).not.toMatch(/\$\{\{\s*(github\.event|github\.head_ref|inputs\.|secrets\.)/);
          expect(run).not.toMatch(/--debug|--verbose|-v\b/);
        }
        const uses = step["uses"] as string | undefined;
        if (uses !== undefined) {
          const [action, sha] = uses.split("@");
          expect(pins[action ?? ""]?.sha, uses).toBe(sha);
          expect(file.content).toContain(`${uses} # ${pins[action ?? ""]?.version ?? ""}`);
          if (action === "actions/checkout") expect((step["with"] as Yaml)["persist-credentials"]).toBe(false);
          if (action === "pulumi/actions") {
            expect(Object.keys(step["with"] as Yaml)).not.toEqual(expect.arrayContaining(["debug", "log-verbosity", "log-flow"]));
            // The exact CLI the engine suite is verified against, never the action's newest.
            expect((step["with"] as Yaml)["pulumi-version"], `${id}/${String(step["name"])}`).toBe(engineCliVersion);
          }
        }
      }
    }
  });
});

/**
 * Every container image a workflow names: job containers and services, `image:` inputs of steps (setup-qemu-action's
 * binfmt), BuildKit's `driver-opts: image=` (setup-buildx-action) and `docker://` steps.
 */
function imageReferences(workflow: Yaml): string[] {
  const refs: string[] = [];
  const imageOf = (value: unknown): string => String(typeof value === "object" && value !== null ? (value as Yaml)["image"] : value);
  for (const job of Object.values(workflow["jobs"] as Record<string, Yaml>)) {
    if (job["container"] !== undefined) refs.push(imageOf(job["container"]));
    for (const service of Object.values((job["services"] ?? {}) as Yaml)) refs.push(imageOf(service));
    for (const step of (job["steps"] ?? []) as Yaml[]) {
      const inputs = (step["with"] ?? {}) as Yaml;
      if (inputs["image"] !== undefined) refs.push(String(inputs["image"]));
      for (const option of String(inputs["driver-opts"] ?? "").split(/[\n,]/)) {
        const image = /^\s*image=(.+)$/.exec(option)?.[1];
        if (image !== undefined) refs.push(image.trim());
      }
      const uses = String(step["uses"] ?? "");
      if (uses.startsWith("docker://")) refs.push(uses.slice("docker://".length));
    }
  }
  return refs;
}

describe("every container image a generated workflow runs is pinned by digest", () => {
  const backendFiles = backends.flatMap(({ url }) => [...filesFor("staging", url).files, ...filesFor("production", url).files]);
  const every = [...all, ...minimal, ...building, ...productionBuilding, ...backendFiles, programCi].filter((f) =>
    f.path.startsWith(".github/workflows/"),
  );

  it.each(every.map((f, i) => [`${f.path} #${i}`, f] as const))("%s", (_, file) => {
    for (const ref of imageReferences(parse(file.content) as Yaml)) expect(ref).toMatch(pinnedImagePattern);
  });

  it("finds each image the workflows run: Redis beside the tests, binfmt for QEMU, BuildKit for Buildx", () => {
    const found = new Set(every.flatMap((f) => imageReferences(parse(f.content) as Yaml)));
    expect([...found].sort()).toEqual([pinnedImages.binfmt, pinnedImages.buildkit, pinnedImages.redis].sort());
    // Neither QEMU's image nor Buildx's binary comes from the Actions cache another workflow could have written.
    for (const file of every) {
      for (const job of Object.values((parse(file.content) as Yaml)["jobs"] as Record<string, Yaml>)) {
        for (const step of (job["steps"] ?? []) as Yaml[]) {
          const uses = String(step["uses"] ?? "");
          if (uses.startsWith("docker/setup-qemu-action@")) expect((step["with"] as Yaml)["cache-image"]).toBe(false);
          if (uses.startsWith("docker/setup-buildx-action@")) expect((step["with"] as Yaml)["cache-binary"]).toBe(false);
        }
      }
    }
  });

  it("reads every form a workflow names an image in, and so would catch an unpinned one", () => {
    const workflow = {
      jobs: {
        j: {
          container: "node:20",
          services: { db: { image: "postgres:16" }, cache: "redis" },
          steps: [
            { uses: "docker://alpine:3" },
            { with: { image: "tonistiigi/binfmt:latest" } },
            { with: { "driver-opts": "network=host\nimage=moby/buildkit:latest" } },
          ],
        },
      },
    };
    const refs = imageReferences(workflow);
    expect(refs).toEqual(["node:20", "postgres:16", "redis", "alpine:3", "tonistiigi/binfmt:latest", "moby/buildkit:latest"]);
    for (const ref of refs) expect(ref).not.toMatch(pinnedImagePattern);
  });
});

describe("installs in the app repository's workflows", () => {
  it.each(
    [...all, ...minimal, ...building, ...productionBuilding]
      .filter((f) => f.path.startsWith(".github/workflows/"))
      .map((f, i) => [`${f.path} #${i}`, f] as const),
  )("%s runs no install script, and a deploy (or the plan it applies) installs no dev dependency", (_, file) => {
    for (const [id, job] of Object.entries((parse(file.content) as Yaml)["jobs"] as Record<string, Yaml>)) {
      const deploys = (id === "deploy" || id === "plan") && file.path.includes("/deploy-");
      for (const step of (job["steps"] ?? []) as Yaml[]) {
        const run = String(step["run"] ?? "");
        if (!run.startsWith("npm ci")) continue;
        expect(run, id).toBe(deploys ? "npm ci --omit=dev --ignore-scripts" : "npm ci --ignore-scripts");
      }
    }
  });
});

describe("test.yml", () => {
  const wf = doc(".github/workflows/test.yml");
  it("runs on pushes, pull requests and when called, taking no secret", () => {
    expect(wf["on"]).toEqual({
      push: { branches: ["main", "develop", "feature/**"] },
      pull_request: { branches: ["main", "develop"] },
      workflow_call: null,
    });
  });
  it("declares the same secrets when called whether or not Codecov is on (the production stack cannot tell)", () => {
    expect(doc(".github/workflows/test.yml", minimal)["on"]).toEqual(wf["on"]);
  });
  it("tests every Python version against Redis with a coverage minimum, uploading reports", () => {
    const job = (wf["jobs"] as Yaml)["pytest"] as Yaml;
    expect(job["strategy"]).toEqual({ "fail-fast": false, matrix: { "python-version": ["3.11", "3.12"] } });
    expect((job["services"] as Yaml)["redis"]).toMatchObject({ image: pinnedImages.redis, ports: ["6379:6379"] });
    // Codecov is on here: the job gets GitHub's OIDC token for it, and nothing else beyond reading.
    expect(job["permissions"]).toEqual({ contents: "read", "id-token": "write" });
    expect(((job["services"] as Yaml)["redis"] as Yaml)["options"]).toContain("--health-cmd");
    const steps = job["steps"] as Yaml[];
    expect(steps.map((s) => String(s["run"])).join("\n")).toContain("--cov-fail-under=80");
    expect(steps.find((s) => String(s["uses"]).startsWith("actions/setup-python"))?.["with"]).toMatchObject({ cache: "pip" });
    expect(steps.find((s) => String(s["uses"]).startsWith("codecov/codecov-action"))?.["with"]).toEqual({
      use_oidc: "${{ !(github.event_name == 'pull_request' && github.event.pull_request.head.repo.fork) }}",
      files: "coverage.xml",
      fail_ci_if_error: true,
    });
    expect(JSON.stringify(job)).not.toContain("secrets.");
    expect(steps.find((s) => String(s["uses"]).startsWith("actions/upload-artifact"))?.["with"]).toMatchObject({
      path: "coverage.xml\nhtmlcov/",
    });
  });
  it("installs the app's requirements and dev requirements when present, measures the package, not the tests, and uploads JUnit results", () => {
    const steps = ((wf["jobs"] as Yaml)["pytest"] as Yaml)["steps"] as Yaml[];
    const install = String(steps.find((s) => s["name"] === "Install dependencies")?.["run"]);
    expect(install).toContain("if [ -f requirements.txt ]; then pip install -r requirements.txt; fi");
    expect(install).toContain("if [ -f requirements-dev.txt ]; then pip install -r requirements-dev.txt; fi");
    const pytest = String(steps.find((s) => String(s["run"]).startsWith("pytest"))?.["run"]);
    expect(pytest).toContain("--cov=app ");
    expect(pytest).not.toContain("--cov=.");
    expect(pytest).toContain("--junitxml=junit-${{ matrix.python-version }}.xml");
    expect(steps.find((s) => s["name"] === "Upload JUnit results")).toMatchObject({
      if: "always()",
      with: { path: "junit-${{ matrix.python-version }}.xml" },
    });
    const other = filesOf("staging", secretKeys, { pythonPackage: "src/voice_agent" }).find(
      (f) => f.path === ".github/workflows/test.yml",
    )?.content;
    expect(other).toContain("--cov=src/voice_agent ");
  });
  it("checks out the commit of the event, which is the commit a calling deploy hands its program", () => {
    const steps = ((wf["jobs"] as Yaml)["pytest"] as Yaml)["steps"] as Yaml[];
    expect(steps.find((s) => String(s["uses"]).startsWith("actions/checkout"))?.["with"]).toEqual({ "persist-credentials": false });
  });
  it("leaves the Codecov step and the OIDC token out when codecovUpload is off", () => {
    const off = doc(".github/workflows/test.yml", minimal);
    expect(minimal.find((f) => f.path === ".github/workflows/test.yml")?.content).not.toContain("codecov");
    expect(((off["jobs"] as Yaml)["pytest"] as Yaml)["permissions"]).toEqual({ contents: "read" });
  });
  it("builds the image of every pull request for the configured platforms, pushing nothing, logging in nowhere, writing no cache", () => {
    const image = (wf["jobs"] as Yaml)["image"] as Yaml;
    expect(image).toMatchObject({ if: "github.event_name == 'pull_request'", permissions: { contents: "read" } });
    const steps = image["steps"] as Yaml[];
    expect(steps.map((s) => String(s["uses"] ?? "run").split("@")[0])).toEqual([
      "actions/checkout",
      "docker/setup-qemu-action",
      "docker/setup-buildx-action",
      "run",
    ]);
    const build = steps[3] as Yaml;
    expect(build["env"]).toEqual({
      PLATFORMS: "linux/amd64,linux/arm64",
      DOCKERFILE: "Dockerfile",
      CACHE_REFS: "docker.io/acme/learning-voice-agent:buildcache-amd64 docker.io/acme/learning-voice-agent:buildcache-arm64",
    });
    expect(String(build["run"])).toContain('docker buildx build --platform "$PLATFORMS" --file "$DOCKERFILE" "${cache_from[@]}" .');
    const command = String(build["run"])
      .split("\n")
      .filter((line) => !line.startsWith("#"))
      .join("\n");
    expect(command).not.toMatch(/--push|--load|--output|--cache-to|docker login/);
    expect(JSON.stringify(image)).not.toContain("secrets.");
    // The dockerfile and platforms settings reach it; amd64 alone needs no QEMU.
    const single = (parse(building.find((f) => f.path === ".github/workflows/test.yml")?.content ?? "") as Yaml)["jobs"] as Yaml;
    const singleSteps = (single["image"] as Yaml)["steps"] as Yaml[];
    expect(singleSteps.map((s) => String(s["uses"] ?? "run").split("@")[0])).toEqual([
      "actions/checkout",
      "docker/setup-buildx-action",
      "run",
    ]);
    expect(singleSteps[2]?.["env"]).toMatchObject({ PLATFORMS: "linux/amd64", DOCKERFILE: "Dockerfile.optimized" });
  });
  it("names its checks exactly as the rulesets require them: every job a pull request runs, the image build included", () => {
    const checks = [...reportedChecks(wf), ...reportedChecks(doc(".github/workflows/lint.yml"))];
    expect(checks).toContain("docker build (no push)");
    expect(new Set(checks)).toEqual(new Set(requiredCheckNames(["3.11", "3.12"])));
    expect(
      new Set(
        (
          buildPipelineSpec(validateStackConfig(rawConfig(stackWithSecrets("staging"), "staging")).config).governance?.rulesets ?? []
        ).flatMap((r) => r.rules.requiredStatusChecks.requiredChecks),
      ),
    ).toEqual(new Set(checks));
  });
});

describe("dependabot.yml", () => {
  it("waits out a cooldown of at least 7 days on every update entry", () => {
    const updates = doc(".github/dependabot.yml")["updates"] as Yaml[];
    expect(updates.map((u) => String(u["package-ecosystem"]))).toEqual(["pip", "docker", "github-actions"]);
    expect(dependabotCooldownDays).toBeGreaterThanOrEqual(7);
    for (const update of updates)
      expect(update["cooldown"], String(update["package-ecosystem"])).toEqual({ "default-days": dependabotCooldownDays });
  });
});

describe("no anchors or aliases in any generated file (Dependabot rejects them)", () => {
  it.each([...all, ...minimal, programCi].map((f) => [f.path, f] as const))("%s", (_, file) => {
    const found: string[] = [];
    visit(parseDocument(file.content), (_key, node) => {
      if (isAlias(node)) found.push(`alias *${node.source}`);
      else if (isNode(node) && node.anchor !== undefined) found.push(`anchor &${node.anchor}`);
    });
    expect(found).toEqual([]);
  });
});

describe("lint.yml", () => {
  const steps = ((doc(".github/workflows/lint.yml")["jobs"] as Yaml)["lint"] as Yaml)["steps"] as Yaml[];
  const runOf = (name: string): string => String(steps.find((s) => String(s["name"]).includes(name))?.["run"]);
  it("has one named step per gate", () => {
    const names = steps.map((s) => String(s["name"]));
    for (const gate of [
      "black formatting (line length 100)",
      "isort",
      "flake8",
      "mypy",
      "pip-audit",
      "bandit",
      "complexity gate (max 10 per function)",
      "docstring coverage",
    ]) {
      expect(
        names.some((s) => s.includes(gate)),
        gate,
      ).toBe(true);
    }
  });
  it("passes a black-formatted app: flake8 at black's line length without E203 and W503, mypy and bandit on the package only", () => {
    expect(runOf("flake8 style")).toBe("flake8 --max-line-length 100 --extend-ignore E203,W503 --extend-exclude .venv,venv,build,dist .");
    expect(runOf("complexity gate")).toContain("--extend-ignore E203,W503");
    expect(runOf("mypy")).toBe("mypy --ignore-missing-imports app");
    expect(runOf("bandit")).toBe("bandit -r app -q");
    expect(runOf("docstring coverage")).toBe("interrogate --fail-under 80 app");
  });
});

describe("deploy workflows", () => {
  const stepsOf = (path: string, files = all): Yaml[] => ((doc(path, files)["jobs"] as Yaml)["deploy"] as Yaml)["steps"] as Yaml[];
  const stepOf = (path: string, action: string, files = all): Yaml | undefined =>
    stepsOf(path, files).find((s) => String(s["uses"]).startsWith(action));
  const actionsOf = (steps: Yaml[]): string[] => steps.map((s) => String(s["uses"] ?? "run").split("@")[0] ?? "");

  it("deploy-staging: on push to main, test and lint first, then pulumi up in the staging environment, never cancelled", () => {
    const wf = doc(".github/workflows/deploy-staging.yml");
    expect(wf["on"]).toEqual({ push: { branches: ["main"] }, workflow_dispatch: null });
    const jobs = wf["jobs"] as Yaml;
    // No secret passed: the called workflows take none. test.yml gets the OIDC token its Codecov upload may use.
    expect(jobs["test"]).toEqual({
      name: "test",
      uses: "./.github/workflows/test.yml",
      permissions: { contents: "read", "id-token": "write" },
    });
    expect(jobs["lint"]).toEqual({ name: "lint", uses: "./.github/workflows/lint.yml", permissions: { contents: "read" } });
    const deploy = jobs["deploy"] as Yaml;
    expect(deploy).toMatchObject({
      needs: ["test", "lint"],
      environment: { name: "staging", url: "https://learning-voice-agent-staging.up.railway.app" },
      concurrency: { group: "pulumi-staging", "cancel-in-progress": false },
    });
    expect(actionsOf(deploy["steps"] as Yaml[])).toEqual(
      expect.arrayContaining(["docker/setup-qemu-action", "docker/setup-buildx-action", "pulumi/actions", "slackapi/slack-github-action"]),
    );
    expect(stepOf(".github/workflows/deploy-staging.yml", "pulumi/actions")?.["with"]).toMatchObject({
      command: "up",
      "stack-name": "staging",
    });
  });

  it("deploy-staging hands the program the pushed commit its test and lint jobs checked, through env", () => {
    const up = stepOf(".github/workflows/deploy-staging.yml", "pulumi/actions");
    expect(handedOverRevisionVariable).toBe("DELIVERY_APP_REVISION");
    expect((up?.["env"] as Yaml | undefined)?.[handedOverRevisionVariable]).toBe("${{ github.sha }}");
    // The called workflows check out the event's commit (no ref): the same github.sha.
    for (const path of [".github/workflows/test.yml", ".github/workflows/lint.yml"]) {
      for (const job of Object.values(doc(path)["jobs"] as Record<string, Yaml>)) {
        const checkout = (job["steps"] as Yaml[]).find((s) => String(s["uses"]).startsWith("actions/checkout"));
        expect(checkout?.["with"], path).toEqual({ "persist-credentials": false });
      }
    }
  });

  it("deploy-production: on a full release or a dispatch naming a tag, tests and audit required, gated by the environment", () => {
    const wf = doc(".github/workflows/deploy-production.yml");
    expect(wf["on"]).toMatchObject({
      release: { types: ["released"] },
      workflow_dispatch: { inputs: { version: { required: true, type: "string" } } },
    });
    expect(String(((((wf["on"] as Yaml)["workflow_dispatch"] as Yaml)["inputs"] as Yaml)["version"] as Yaml)["description"])).toContain(
      "Release tag",
    );
    const jobs = wf["jobs"] as Yaml;
    expect((jobs["plan"] as Yaml)["needs"]).toEqual(["version", "test", "audit"]);
    expect((jobs["plan"] as Yaml)["environment"]).toEqual({ name: "production-plan" });
    expect((jobs["deploy"] as Yaml)["needs"]).toEqual(["version", "test", "audit", "plan"]);
    expect((jobs["deploy"] as Yaml)["environment"]).toMatchObject({ name: "production" });
    expect(jobs["audit"]).toMatchObject({ uses: "./.github/workflows/lint.yml" });
  });

  it("deploy-production listens to published pre-releases only when allowPrerelease is true", () => {
    expect(doc(".github/workflows/deploy-production.yml", productionBuilding)["on"]).toMatchObject({ release: { types: ["published"] } });
  });

  it("deploy-production hands the program the validated tag, which must be the ref the run is on (rolling back: dispatch on an older tag)", () => {
    const version = (doc(".github/workflows/deploy-production.yml")["jobs"] as Yaml)["version"] as Yaml;
    expect(version["outputs"]).toEqual({ tag: "${{ steps.tag.outputs.tag }}" });
    const check = (version["steps"] as Yaml[])[0] as Yaml;
    expect(check["id"]).toBe("tag");
    expect(check["env"]).toEqual({ TAG: "${{ inputs.version || github.event.release.tag_name }}" });
    const up = stepOf(".github/workflows/deploy-production.yml", "pulumi/actions");
    expect((up?.["env"] as Yaml | undefined)?.[handedOverRevisionVariable]).toBe("${{ needs.version.outputs.tag }}");
    // And the commit the run is for: a tag moved since is refused.
    expect((up?.["env"] as Yaml | undefined)?.[handedOverCommitVariable]).toBe("${{ github.sha }}");
    expect(
      (stepOf(".github/workflows/deploy-staging.yml", "pulumi/actions")?.["env"] as Yaml | undefined)?.[handedOverCommitVariable],
    ).toBeUndefined();
    expect(stepOf(".github/workflows/deploy-staging.yml", "pulumi/actions")?.["env"]).toBeDefined();
    // The program (in the app repository) is checked out at the run's commit: the tag's.
    expect(stepOf(".github/workflows/deploy-production.yml", "actions/checkout")?.["with"]).toEqual({ "persist-credentials": false });
  });

  it("the release tag check runs, as rendered, exactly the script whose cases deployWorkflows.test.ts runs in bash", () => {
    const step = (((doc(".github/workflows/deploy-production.yml")["jobs"] as Yaml)["version"] as Yaml)["steps"] as Yaml[])[0] as Yaml;
    expect(step["run"]).toBe(releaseTagCheck);
    // The same for a stack that may ship pre-releases: the script does not depend on the settings.
    expect(
      (
        (
          ((doc(".github/workflows/deploy-production.yml", productionBuilding)["jobs"] as Yaml)["version"] as Yaml)["steps"] as Yaml[]
        )[0] as Yaml
      )["run"],
    ).toBe(releaseTagCheck);
  });

  it.each([
    [".github/workflows/deploy-staging.yml", all],
    [".github/workflows/deploy-production.yml", all],
    [".github/workflows/deploy-staging.yml", minimal],
  ] as const)("%s restores no package-manager cache (cache poisoning)", (path, files) => {
    expect(stepOf(path, "actions/setup-node", files)?.["with"]).toEqual({ "node-version": "20", "package-manager-cache": false });
  });

  it.each([
    [".github/workflows/deploy-staging.yml", all, true],
    [".github/workflows/deploy-production.yml", all, false],
    [".github/workflows/deploy-staging.yml", minimal, true],
  ] as const)(
    "%s mints the delivery App's token for the app repository, with exactly what pulumi up needs, after npm ci",
    (path, files, builds) => {
      const steps = stepsOf(path, files);
      const app = steps.find((s) => s["id"] === "app-token") as Yaml;
      expect(app["with"]).toEqual({
        "app-id": "${{ vars.DELIVERY_APP_ID }}",
        "private-key": "${{ secrets.DELIVERY_APP_PRIVATE_KEY }}",
        owner: "acme",
        repositories: "learning-voice-agent",
        "permission-administration": "write",
        "permission-contents": "write",
        "permission-workflows": "write",
        "permission-environments": "write",
        "permission-secrets": "write",
        "permission-actions-variables": "write",
        "permission-members": "read",
        "permission-actions": "read",
      });
      const install = steps.findIndex((s) => s["run"] === "npm ci --omit=dev --ignore-scripts");
      expect(install).toBeGreaterThan(-1);
      expect(steps.indexOf(app)).toBeGreaterThan(install);
      // A build of the (private) app repository clones it with a second, read-only token, minted right after.
      const up = steps.findIndex((s) => String(s["uses"]).startsWith("pulumi/actions"));
      expect(steps.indexOf(app)).toBe(up - (builds ? 2 : 1));
      const clone = steps.find((s) => s["id"] === "clone-token");
      if (builds) {
        expect(steps.indexOf(clone as Yaml)).toBe(up - 1);
        expect(clone?.["with"]).toEqual({
          "app-id": "${{ vars.DELIVERY_APP_ID }}",
          "private-key": "${{ secrets.DELIVERY_APP_PRIVATE_KEY }}",
          owner: "acme",
          repositories: "learning-voice-agent",
          "permission-contents": "read",
        });
        expect((steps[up]?.["env"] as Yaml | undefined)?.[cloneTokenVariable]).toBe("${{ steps.clone-token.outputs.token }}");
      } else {
        expect(clone).toBeUndefined();
        expect(steps[up]?.["env"]).toBeDefined();
        expect((steps[up]?.["env"] as Yaml | undefined)?.[cloneTokenVariable]).toBeUndefined();
      }
    },
  );

  it("checks out the program's own repository at a pinned ref with a token that can only read it", () => {
    const steps = stepsOf(".github/workflows/deploy-staging.yml", minimal);
    expect(steps.find((s) => s["id"] === "program-token")?.["with"]).toEqual({
      "app-id": "${{ vars.DELIVERY_APP_ID }}",
      "private-key": "${{ secrets.DELIVERY_APP_PRIVATE_KEY }}",
      owner: "acme",
      repositories: "delivery-pipeline",
      "permission-contents": "read",
    });
    expect(stepOf(".github/workflows/deploy-staging.yml", "actions/checkout", minimal)?.["with"]).toEqual({
      "persist-credentials": false,
      repository: "acme/delivery-pipeline",
      ref: "v1.0.0",
      path: "delivery-pipeline",
      token: "${{ steps.program-token.outputs.token }}",
    });
    const up = stepOf(".github/workflows/deploy-staging.yml", "pulumi/actions", minimal);
    expect(Object.keys(up?.["env"] as Yaml)).toContain("PULUMI_ACCESS_TOKEN");
    expect((up?.["env"] as Yaml | undefined)?.["GITHUB_TOKEN"]).toBe("${{ steps.app-token.outputs.token }}");
    expect(JSON.stringify(steps)).not.toContain("slack");
  });

  it("sets up QEMU and Buildx only where pulumi up may build the image", () => {
    expect(actionsOf(stepsOf(".github/workflows/deploy-staging.yml"))).toContain("docker/setup-buildx-action");
    // Production promotes staging's verified digest; it builds only with buildUnverifiedRelease.
    expect(actionsOf(stepsOf(".github/workflows/deploy-production.yml"))).not.toContain("docker/setup-buildx-action");
    expect(actionsOf(stepsOf(".github/workflows/deploy-production.yml", productionBuilding))).toEqual(
      expect.arrayContaining(["docker/setup-qemu-action", "docker/setup-buildx-action"]),
    );
  });
});

describe("this repository's CI (.github/workflows/ci.yml)", () => {
  it("is exactly what the model renders from the governing stack (run `npm run render-ci` after a change)", () => {
    const governing = validateStackConfig(rawConfig(stackWithSecrets("staging", []), "staging")).config;
    expect(programCi.content).toBe(renderProgramCi(governing));
  });

  it("tests, plans, then previews both stacks on this repository's own pull requests", () => {
    const ci = parse(programCi.content) as Yaml;
    const jobs = ci["jobs"] as Yaml;
    const runs = ((jobs["test"] as Yaml)["steps"] as Yaml[]).filter((s) => s["run"] !== undefined).map((s) => String(s["run"]));
    expect(runs).toEqual(["npm ci", "npm test", "npm run plan -- --stack staging\nnpm run plan -- --stack production"]);
    expect(jobs["preview"]).toMatchObject({ needs: ["test"], strategy: { matrix: { stack: ["staging", "production"] } } });
    expect(String((jobs["preview"] as Yaml)["if"])).toContain("head.repo.full_name == github.repository");
  });

  it("previews the app repository as the read-only preview App, with a token minted for that repository by name", () => {
    const steps = (((parse(programCi.content) as Yaml)["jobs"] as Yaml)["preview"] as Yaml)["steps"] as Yaml[];
    expect(steps.find((s) => s["id"] === "app-token")?.["with"]).toEqual({
      "app-id": "${{ vars.PREVIEW_APP_ID }}",
      "private-key": "${{ secrets.PREVIEW_APP_PRIVATE_KEY }}",
      owner: "acme",
      repositories: "learning-voice-agent",
      ...appTokenPermissions.preview,
    });
    expect(steps.find((s) => String(s["uses"]).startsWith("pulumi/actions"))?.["with"]).toMatchObject({
      "work-dir": ".",
      policyPacks: policyPackPath,
    });
  });
});

describe("infra-preview.yml and drift.yml", () => {
  const preview = doc(".github/workflows/infra-preview.yml");
  const drift = doc(".github/workflows/drift.yml");
  const stepsOf = (wf: Yaml, job: string): Yaml[] => ((wf["jobs"] as Yaml)[job] as Yaml)["steps"] as Yaml[];
  const stepOf = (wf: Yaml, job: string, action: string): Yaml | undefined =>
    stepsOf(wf, job).find((s) => String(s["uses"]).startsWith(action));
  const actionsOf = (wf: Yaml, job: string): string[] => stepsOf(wf, job).map((s) => String(s["uses"]).split("@")[0] ?? "");

  it("plans both stacks offline on every pull request that touches the program: no environment, no secret, no token", () => {
    expect(Object.keys(preview["jobs"] as Yaml)).toEqual(["plan", "preview"]);
    const plan = (preview["jobs"] as Yaml)["plan"] as Yaml;
    expect(plan["environment"]).toBeUndefined();
    expect(plan["permissions"]).toEqual({ contents: "read" });
    expect(JSON.stringify(plan)).not.toMatch(/secrets\.|vars\./);
    expect(actionsOf(preview, "plan")).toEqual([
      "actions/checkout",
      "actions/setup-node",
      "undefined",
      "undefined",
      "actions/upload-artifact",
    ]);
    const steps = stepsOf(preview, "plan");
    expect(steps[2]).toEqual({
      name: "Install the delivery program",
      "working-directory": "delivery-pipeline",
      run: "npm ci --ignore-scripts",
    });
    expect(String(steps[3]?.["run"])).toContain('npm run --silent plan -- --stack production --out "$RUNNER_TEMP/offline-plan/production"');
  });

  it("previews both stacks on the engine once a preview reviewer approves, after the offline plan, commenting once and editing it", () => {
    expect(preview["on"]).toEqual({ pull_request: { branches: ["main"], paths: ["delivery-pipeline/**"] } });
    const job = (preview["jobs"] as Yaml)["preview"] as Yaml;
    expect(job).toMatchObject({
      needs: ["plan"],
      strategy: { matrix: { stack: ["staging", "production"] } },
      environment: { name: "${{ matrix.stack }}-preview" },
    });
    expect(stepOf(preview, "preview", "pulumi/actions")?.["with"]).toMatchObject({
      command: "preview",
      "comment-on-pr": true,
      "edit-pr-comment": true,
      diff: true,
    });
  });

  it("builds nothing in previews by default: no QEMU, no Buildx (the pull request's image check builds)", () => {
    for (const [wf, job] of [
      [preview, "preview"],
      [drift, "drift"],
    ] as const) {
      expect(actionsOf(wf, job)).not.toContain("docker/setup-qemu-action");
      expect(actionsOf(wf, job)).not.toContain("docker/setup-buildx-action");
    }
  });

  it("sets up Buildx in previews when buildImageOnPreview is true", () => {
    const built = doc(".github/workflows/infra-preview.yml", building);
    const actions = actionsOf(built, "preview");
    expect(actions.indexOf("docker/setup-buildx-action")).toBeLessThan(actions.indexOf("pulumi/actions"));
    // amd64 only: nothing to emulate.
    expect(actions).not.toContain("docker/setup-qemu-action");
  });

  it.each([
    ["infra-preview", preview, "preview"],
    ["drift", drift, "drift"],
    ["drift, program in its own repository", doc(".github/workflows/drift.yml", minimal), "drift"],
  ] as const)("%s runs as the read-only preview App, for the app repository named from config", (_, wf, job) => {
    const token = stepsOf(wf, job).find((s) => s["id"] === "app-token")?.["with"] as Yaml;
    expect(token).toEqual({
      "app-id": "${{ vars.PREVIEW_APP_ID }}",
      "private-key": "${{ secrets.PREVIEW_APP_PRIVATE_KEY }}",
      owner: "acme",
      repositories: "learning-voice-agent",
      ...appTokenPermissions.preview,
    });
    for (const [key, level] of Object.entries(token).filter(([k]) => k.startsWith("permission-"))) expect(level, key).toBe("read");
    // Refreshing repository variables needs the Variables permission.
    expect(token[variablesPermissionInput]).toBe("read");
    expect(JSON.stringify(wf)).not.toContain("DELIVERY_APP");
    expect(JSON.stringify(wf)).not.toContain("github.event.repository");
  });

  it("checks the program's own repository out with a read-only token of the preview App", () => {
    const steps = stepsOf(doc(".github/workflows/drift.yml", minimal), "drift");
    expect(steps.find((s) => s["id"] === "program-token")?.["with"]).toEqual({
      "app-id": "${{ vars.PREVIEW_APP_ID }}",
      "private-key": "${{ secrets.PREVIEW_APP_PRIVATE_KEY }}",
      owner: "acme",
      repositories: "delivery-pipeline",
      "permission-contents": "read",
    });
  });

  it("gives pull requests only the offline plan when the stacks have no preview reviewers", () => {
    const offline = filesOf("staging", secretKeys, { previewReviewerTeams: "[]" });
    expect(Object.keys(doc(".github/workflows/infra-preview.yml", offline)["jobs"] as Yaml)).toEqual(["plan"]);
  });

  it("checks drift daily, at an hour of its own, and on demand with a refresh in the drift environment, failing on any change", () => {
    expect(drift["on"]).toEqual({ schedule: [{ cron: driftCron("acme/learning-voice-agent") }], workflow_dispatch: null });
    expect(driftCron("acme/learning-voice-agent")).toBe("29 4 * * *");
    expect((drift["jobs"] as Yaml)["drift"]).toMatchObject({ environment: { name: "${{ matrix.stack }}-drift" } });
    expect(stepOf(drift, "drift", "pulumi/actions")?.["with"]).toMatchObject({
      command: "preview",
      refresh: true,
      "expect-no-changes": true,
    });
    const slack = stepOf(drift, "drift", "slackapi/slack-github-action");
    expect(slack?.["if"]).toBe("failure()");
  });

  it("leaves previews to the program's own repository when it has one", () => {
    expect(minimal.map((f) => f.path)).not.toContain(".github/workflows/infra-preview.yml");
    expect(minimal.map((f) => f.path)).toContain(".github/workflows/drift.yml");
  });
});

describe("the policy pack runs in every preview and deploy", () => {
  it.each(
    [...all, ...minimal, ...productionBuilding, programCi]
      .filter((f) => f.path.startsWith(".github/workflows/"))
      .map((f, i) => [`${f.path} #${i}`, f] as const),
  )("%s", (_, file) => {
    for (const job of Object.values((parse(file.content) as Yaml)["jobs"] as Record<string, Yaml>)) {
      for (const step of (job["steps"] ?? []) as Yaml[]) {
        const inputs = step["with"] as Yaml | undefined;
        // pulumi/actions with a command runs pulumi; without one it only installs the CLI (ci.yml's engine job).
        if (String(step["uses"]).startsWith("pulumi/actions") && inputs?.["command"] !== undefined)
          expect(inputs["policyPacks"]).toBe(policyPackPath);
      }
    }
  });
  it.each(
    [...all, ...minimal, ...productionBuilding, programCi]
      .filter((f) => f.path.startsWith(".github/workflows/"))
      .map((f, i) => [`${f.path} #${i}`, f] as const),
  )("%s hands the pack the stack's config file, written first from the environment's variable", (_, file) => {
    for (const job of Object.values((parse(file.content) as Yaml)["jobs"] as Record<string, Yaml>)) {
      const steps = (job["steps"] ?? []) as Yaml[];
      const pulumi = steps.findIndex(
        (s) => String(s["uses"]).startsWith("pulumi/actions") && (s["with"] as Yaml | undefined)?.["command"] !== undefined,
      );
      if (pulumi === -1) continue;
      expect((steps[pulumi]?.["with"] as Yaml | undefined)?.["policyPackConfigs"]).toBe("${{ runner.temp }}/policy-pack-config.json");
      const writer = steps.slice(0, pulumi).find((s) => String(s["run"] ?? "").includes('> "$RUNNER_TEMP/policy-pack-config.json"'));
      expect(writer?.["env"]).toEqual({ [policyPackConfigVariable]: `\${{ vars.${policyPackConfigVariable} }}` });
    }
  });
  it("each stack publishes its own config, as JSON of policyPackConfig, to its deploy, preview, plan (production) and drift environments", () => {
    for (const stack of ["staging", "production"]) {
      const config = validateStackConfig(rawConfig(stackWithSecrets(stack), stack)).config;
      const spec = buildPipelineSpec(config);
      const places = [...stackEnvironments(spec), ...(spec.governance === undefined ? [] : [spec.governance])];
      const holders = places.filter((p) => p.variables.some((v) => v.githubName === policyPackConfigVariable));
      // Environments only: the repository-wide variables (governance) never carry one stack's config.
      expect(holders).toEqual(stackEnvironments(spec));
      const plan = stack === "production" ? [`${stack}-plan`] : [];
      expect(holders.map((p) => ("name" in p ? p.name : "repository"))).toEqual([stack, `${stack}-preview`, ...plan, `${stack}-drift`]);
      const published = holders.flatMap((p) => p.variables.filter((v) => v.githubName === policyPackConfigVariable));
      expect(published).toHaveLength(3 + plan.length);
      for (const v of published) expect(JSON.parse(v.value)).toEqual(policyPackConfig(config));
    }
  });
  it("names the pack relative to the program folder, where pulumi runs", () => {
    expect(existsSync(join(projectDir, policyPackPath, "PulumiPolicy.yaml"))).toBe(true);
  });
});

describe("every secret and variable a workflow reads is one the stacks publish", () => {
  const published = new Set(githubEntries.map((e) => `${e.kind === "secret" ? "secrets" : "vars"}.${e.name}`));
  it.each([...all, ...minimal, ...building, ...productionBuilding].map((f, i) => [`${f.path} #${i}`, f] as const))("%s", (_, file) => {
    const read = [...file.content.matchAll(/\b(secrets|vars)\.([A-Z0-9_]+)/g)].map((m) => `${m[1]}.${m[2]}`);
    for (const name of read) expect(published, name).toContain(name);
  });
  it("publishes no Docker Hub token: no workflow reads one (the program pushes with its own config)", () => {
    expect(githubEntries.map((e) => e.name)).not.toContain("DOCKERHUB_TOKEN");
    expect([...all, ...minimal].map((f) => f.content).join("\n")).not.toContain("DOCKERHUB_TOKEN");
  });
  it("keeps the delivery App's key out of the preview environments, and gives them the read-only App's", () => {
    const entry = (name: string) => githubEntries.find((e) => e.name === name);
    expect(entry("DELIVERY_APP_PRIVATE_KEY")).toMatchObject({ scope: "environment" });
    expect(entry("DELIVERY_APP_PRIVATE_KEY")?.preview).toBeUndefined();
    expect(entry("PREVIEW_APP_PRIVATE_KEY")).toMatchObject({
      scope: "environment",
      preview: "only",
      source: { configKey: "previewAppPrivateKey" },
    });
    expect(entry("PREVIEW_APP_ID")).toMatchObject({ kind: "variable", scope: "repository", source: { configKey: "previewAppId" } });
  });
});

describe("the model refuses inputs an action does not declare", () => {
  it("unknown and missing required inputs", () => {
    expect(() => {
      checkActionInputs({ name: "x", action: "actions/cache", with: { paths: "a" } }, "w");
    }).toThrow(WorkflowModelError);
    expect(() => {
      checkActionInputs({ name: "x", action: "actions/cache", with: { paths: "a" } }, "w");
    }).toThrow(/undeclared inputs paths and lacks required inputs key, path/);
    expect(() => {
      checkActionInputs({ name: "x", action: "actions/cache", with: { key: "k", path: "p" } }, "w");
    }).not.toThrow();
  });

  it("accepts exactly one undeclared input, on exactly one action: create-github-app-token's permission-actions-variables", () => {
    expect(undeclaredInputsRead).toEqual({ "actions/create-github-app-token": [variablesPermissionInput] });
    const token = (extra: Record<string, string>) => ({
      name: "t",
      action: "actions/create-github-app-token" as const,
      with: { "app-id": "1", "private-key": "k", ...extra },
    });
    expect(() => {
      checkActionInputs(token({ [variablesPermissionInput]: "read" }), "w");
    }).not.toThrow();
    expect(() => {
      checkActionInputs(token({ "permission-variables": "read" }), "w");
    }).toThrow(/undeclared inputs permission-variables/);
    expect(() => {
      checkActionInputs({ name: "x", action: "actions/cache", with: { key: "k", path: "p", [variablesPermissionInput]: "read" } }, "w");
    }).toThrow(WorkflowModelError);
  });

  it("lists only inputs the pinned version really lacks (drop the exception once a pin declares it)", () => {
    for (const [action, inputs] of Object.entries(undeclaredInputsRead)) {
      for (const input of inputs) expect(Object.keys(pins[action as ActionName]?.inputs ?? {}), `${action} ${input}`).not.toContain(input);
    }
  });
});

describe("same-repository calls keep ./ (zizmor's self-repository finding is silenced with its reason)", () => {
  it("every ./ call line carries the ignore comment", () => {
    const calls = all.flatMap((f) => f.content.split("\n").filter((line) => /^\s+uses: \.\//.test(line)));
    // deploy-staging calls test and lint; deploy-production calls test and lint (its audit).
    expect(calls.length).toBe(4);
    for (const line of calls) {
      expect(line).toMatch(/^\s+uses: \.\/\.github\/workflows\/[a-z-]+\.yml #/);
      expect(line.endsWith(`#${selfRepositoryIgnore}`), line).toBe(true);
    }
  });
  it("because actionlint rejects the $/ form zizmor recommends (drop the ignore once it does not)", async () => {
    const dollar: GeneratedFile = {
      path: ".github/workflows/dollar.yml",
      content: "name: d\non: push\npermissions: {}\njobs:\n  t:\n    permissions: {}\n    uses: $/.github/workflows/test.yml\n",
    };
    expect((await actionlintFindings(dollar)).join("\n")).toContain("is not following the format");
  });
});

describe("the model passes secrets to a called workflow by name only", () => {
  it("renders the secrets a workflow takes when called, and those a call job passes", () => {
    const called = toGithubObject({
      path: ".github/workflows/t.yml",
      name: "t",
      on: { workflowCall: { secrets: { TOKEN: { description: "d", required: true } } } },
      permissions: {},
      jobs: {},
    });
    expect(called["on"]).toEqual({ workflow_call: { secrets: { TOKEN: { description: "d", required: true } } } });
    expect(toGithubObject({ path: "p", name: "n", on: { workflowCall: {} }, permissions: {}, jobs: {} })["on"]).toEqual({
      workflow_call: null,
    });
    const caller = toGithubObject({
      path: ".github/workflows/c.yml",
      name: "c",
      on: { push: {} },
      permissions: {},
      jobs: { t: { name: "t", uses: "./.github/workflows/t.yml", secrets: { TOKEN: "${{ secrets.TOKEN }}" }, permissions: {} } },
    });
    expect((caller["jobs"] as Yaml)["t"]).toEqual({
      name: "t",
      permissions: {},
      uses: "./.github/workflows/t.yml",
      secrets: { TOKEN: "${{ secrets.TOKEN }}" },
    });
  });
});

describe("snapshots", () => {
  it.each(all.map((f) => [f.path, f] as const))("%s", async (_, file) => {
    await expect(file.content).toMatchFileSnapshot(`__snapshots__/${file.path.replace(/^\.github\//, "").replace(/\//g, "__")}`);
  });
});

describe("the validators can fail", () => {
  const broken: GeneratedFile = {
    path: ".github/workflows/broken.yml",
    content:
      "name: broken\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.issue.title }}\n      - uses: actions/checkout@v4\n        with:\n          nope: 1\n  b:\n    needs: [missing]\n    runs-on: ubuntu-latest\n    steps: []\n",
  };
  it("actionlint reports an untrusted expression in run: and an unknown needs", async () => {
    const findings = await actionlintFindings(broken);
    expect(findings.join("\n")).toMatch(/untrusted|potentially/);
    expect(findings.join("\n")).toContain("missing");
  });
  it("GitHub's parser reports an unknown job in needs", async () => {
    expect((await workflowParserErrors(broken, [broken])).join("\n")).toContain("missing");
  });
});
