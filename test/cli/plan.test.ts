// The offline plan as a user runs it: `npm run plan -- --stack <name>`.
import { planInProcess, runTool } from "../helpers/tool";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fixtureStacksDir } from "../helpers/stacks";

interface Planned {
  readonly stdout: string;
  readonly outDir: string;
  readonly resources: { type: string; name: string; inputs: Record<string, unknown>; secretInputs: string[] }[];
}

// The stack files these tests own, unless a test names its own folder: a user's stacks/ must not change them.
function withStacks(stack: string, extra: readonly string[]): string[] {
  return ["--stack", stack, ...(extra.includes("--stacks-dir") ? [] : ["--stacks-dir", fixtureStacksDir]), ...extra];
}
/** The plan in this process, as `npm run plan -- <args>` runs it. */
function plan(stack: string, ...extra: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return planInProcess(withStacks(stack, extra));
}

/**
 * The plan in its own process, as a user runs it, for the refusal of an invalid config (its exit code goes
 * through the process). Whole plans of both stacks run as processes in .ci/run's "offline plans" phase and
 * the README's Quickstart; here they run in this process, where the SDK is loaded once.
 */
function planAsProcess(stack: string, ...extra: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = runTool("plan", withStacks(stack, extra));
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const planned: Record<string, Planned> = {};
beforeAll(async () => {
  for (const stack of ["staging", "production"]) {
    const outDir = mkdtempSync(join(tmpdir(), `plan-${stack}-`));
    const { status, stdout, stderr } = await plan(stack, "--out", outDir);
    if (status !== 0) throw new Error(`plan ${stack} failed (${String(status)}): ${stderr}`);
    planned[stack] = {
      stdout,
      outDir,
      resources: JSON.parse(readFileSync(join(outDir, "resources.json"), "utf8")) as Planned["resources"],
    };
  }
}, 120_000);

describe("npm run plan", () => {
  it("prints the staging environment, secrets, variables and rulesets", () => {
    const out = planned["staging"]?.stdout ?? "";
    expect(out).toContain('Offline plan for stack "staging"');
    expect(out).toContain("+ github:RepositoryEnvironment  delivery-staging-environment");
    expect(out).toContain("+ github:ActionsEnvironmentSecret  delivery-staging-secret-railway-api-token");
    expect(out).toContain("+ github:ActionsVariable  delivery-repository-variable-dockerhub-username");
    expect(out).toContain("+ github:RepositoryRuleset  delivery-repository-protect-main");
    expect(out).toContain("value: [secret]");
    expect(out).toContain("environmentUrl: https://learning-voice-agent-staging.up.railway.app");
  });

  it("says before it fails that only the delivery App can commit to the protected branch", () => {
    for (const stack of ["staging", "production"]) expect(planned[stack]?.stdout).toContain("run `pulumi up` as the delivery GitHub App");
    expect(planned["production"]?.stdout).toContain("ids in this plan are stand-ins");
    expect(planned["staging"]?.stdout).not.toContain("ids in this plan are stand-ins");
  });

  it("lists every missing secret with the command that sets it", () => {
    const out = planned["production"]?.stdout ?? "";
    expect(out).toContain("Secrets still to set (9)");
    for (const key of [
      "railwayToken",
      "anthropicApiKey",
      "openaiApiKey",
      "pulumiConfigPassphrase",
      "awsAccessKeyId",
      "awsSecretAccessKey",
      "deliveryAppPrivateKey",
      "previewAppPrivateKey",
      "dockerhubToken",
    ]) {
      expect(out).toContain(`pulumi config set --secret ${key} --stack production`);
    }
  });

  it("writes the plan and the redacted resources to the folder it names", () => {
    const { outDir, stdout } = planned["production"] as Planned;
    expect(stdout).toMatch(/Written to .*plan-production-/);
    expect(readdirSync(outDir)).toEqual(expect.arrayContaining(["plan.txt", "resources.json"]));
    expect(readFileSync(join(outDir, "plan.txt"), "utf8")).toBe(stdout);
  });

  it("writes exactly the generated files each stack owns, byte for byte as committed", () => {
    const files = (stack: string): string[] =>
      readdirSync(join(planned[stack]?.outDir ?? "", "app-repository"), { recursive: true, withFileTypes: true })
        .filter((d) => d.isFile())
        .map((d) => join(d.parentPath, d.name).split("app-repository/")[1] ?? "")
        .sort();
    expect(files("staging")).toEqual([
      ".github/dependabot.yml",
      ".github/workflows/deploy-staging.yml",
      ".github/workflows/drift.yml",
      ".github/workflows/infra-preview.yml",
      ".github/workflows/lint.yml",
      ".github/workflows/test.yml",
    ]);
    expect(files("production")).toEqual([".github/workflows/deploy-production.yml"]);
    const committed = planned["production"]?.resources.find((r) => r.type === "github:index/repositoryFile:RepositoryFile")?.inputs[
      "content"
    ];
    expect(readFileSync(join(planned["production"]?.outDir ?? "", "app-repository/.github/workflows/deploy-production.yml"), "utf8")).toBe(
      committed,
    );
  });

  it("writes the pipeline as a Mermaid diagram GitHub renders", () => {
    const md = readFileSync(join(planned["production"]?.outDir ?? "", "pipeline.md"), "utf8");
    expect(md).toMatch(/^# Pipeline of stack production\n\n```mermaid\nflowchart LR\n[\s\S]*```\n$/);
    expect(md).toContain("env_production");
  });

  it("marks every secret input, and a placeholder never leaks as a value", () => {
    const secrets = planned["staging"]?.resources.filter((r) => r.type.includes("Secret")) ?? [];
    expect(secrets.length).toBeGreaterThan(0);
    for (const s of secrets) expect(s.secretInputs).toEqual(["value"]);
    expect(JSON.stringify(planned)).not.toContain("<not set>");
  });

  it("shows no GitHub object in both stacks", () => {
    const identity = (r: Planned["resources"][number]): string =>
      [r.type, r.inputs["environment"], r.inputs["secretName"] ?? r.inputs["variableName"] ?? r.inputs["name"] ?? r.inputs["file"]]
        .map(String)
        .join("|");
    const staging = new Set(planned["staging"]?.resources.filter((r) => r.type.startsWith("github:")).map(identity));
    const shared = planned["production"]?.resources
      .filter((r) => r.type.startsWith("github:"))
      .map(identity)
      .filter((i) => staging.has(i));
    expect(shared).toEqual([]);
  });

  it("stops with exit 2 and every problem on invalid config, writing nothing", () => {
    const dir = mkdtempSync(join(tmpdir(), "stacks-"));
    const text = readFileSync(join(fixtureStacksDir, "Pulumi.staging.yaml"), "utf8")
      .replace("delivery-pipeline:repository: acme/learning-voice-agent", "delivery-pipeline:repository: acme/bad repo")
      .replace("    - linux/arm64", "    - linux/sparc")
      .replace("delivery-pipeline:githubPlan: enterprise", "delivery-pipeline:githubPlann: enterprise");
    writeFileSync(join(dir, "Pulumi.staging.yaml"), text);
    const outDir = join(dir, "out");
    const result = planAsProcess("staging", "--stacks-dir", dir, "--out", outDir);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("problems; nothing was created or changed");
    for (const key of ["repository", "platforms", "githubPlann", "githubPlan"]) expect(result.stderr).toContain(`- ${key}`);
    expect(result.stderr).toContain("did you mean githubPlan?");
    expect(() => readdirSync(outDir)).toThrow();
  });

  it("refuses an unknown stack with a hint", async () => {
    const result = await plan("qa");
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('No stack file for stack "qa"');
  });

  it("explains its usage on a bad argument", async () => {
    const result = await plan("staging", "--bogus");
    expect(result.status).toBe(64);
    expect(result.stderr).toContain("usage: npm run plan");
  });
});
