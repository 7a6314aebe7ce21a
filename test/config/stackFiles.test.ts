// The committed project and stack files, as a user and the Pulumi CLI read them.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { configKeys, projectName, secretKeys, validateStackConfig } from "../../src/config";
import { projectConfigDeclarations } from "../../src/config/projectFile";
import { buildPipelineSpec } from "../../src/pipeline";
import { aliasBombMessage, readProjectFile, readStackSettings } from "../../src/config/stackFiles";
import { committedStacksDir, projectDir, rawConfig, stackWithSecrets } from "../helpers/stacks";

const stackNames = readdirSync(join(projectDir, "stacks"))
  .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
  .filter((s): s is string => s !== undefined);

describe("Pulumi.yaml", () => {
  const project = readProjectFile(projectDir) as ReturnType<typeof readProjectFile> & { main: string; runtime: { name: string } };

  it("names the project and the stack folder, and leaves the entrypoint to package.json", () => {
    expect(project).toMatchObject({ name: projectName, stackConfigDir: "stacks", runtime: { name: "nodejs" } });
    // With \`main:\` in Pulumi.yaml the language host runs in infra/, finds no tsconfig.json
    // there and compiles with ts-node's defaults; from the project root it uses tsconfig.json.
    expect(project).not.toHaveProperty("main");
    const packageJson = JSON.parse(readFileSync(join(projectDir, "package.json"), "utf8")) as { main: string };
    expect(packageJson.main).toBe("infra/index.ts");
  });

  it("declares every setting, untyped (the program checks types and reports every problem), with its description and default", () => {
    expect(project.config).toEqual(projectConfigDeclarations());
    // Every key but the object-valued one `npm run rotate` keeps.
    expect(Object.keys(project.config ?? {}).sort()).toEqual(
      Object.keys(configKeys)
        .filter((k) => k !== "secretRotatedAt")
        .sort(),
    );
  });
});

describe("stack files", () => {
  it("exist for staging and production", () => {
    expect(stackNames.sort()).toEqual(["production", "staging"]);
  });

  it.each(stackNames)("%s validates with every secret set", (stack) => {
    expect(() => validateStackConfig(rawConfig(stackWithSecrets(stack, undefined, {}, committedStacksDir), stack))).not.toThrow();
  });

  // What must hold for any user's stacks, not the committed example values: `pulumi config set --secret`
  // writes `secure: v1:...` here, and that is how Pulumi stores secrets.
  it.each(stackNames)("%s holds no secret in plain text (encrypted ones are allowed)", (stack) => {
    const text = readFileSync(join(projectDir, "stacks", `Pulumi.${stack}.yaml`), "utf8");
    const config = (parse(text) as { config: Record<string, unknown> }).config;
    for (const key of secretKeys) {
      const value = config[`${projectName}:${key}`] ?? config[key];
      if (value === undefined) continue;
      expect(typeof value === "object" && value !== null && "secure" in value, `${key} must be set with pulumi config set --secret`).toBe(
        true,
      );
    }
  });

  it("exactly one stack governs the repository", () => {
    const governing = stackNames.filter(
      (s) =>
        buildPipelineSpec(validateStackConfig(rawConfig(stackWithSecrets(s, undefined, {}, committedStacksDir), s)).config).governance !==
        undefined,
    );
    expect(governing).toHaveLength(1);
  });

  it("deploy to distinct Railway environments and domains", () => {
    const settings = stackNames.map((s) => readStackSettings(projectDir, s).config);
    for (const key of ["railwayEnvironmentId", "railwayDomain"]) {
      const values = settings.map((c) => c[`${projectName}:${key}`]);
      expect(new Set(values).size, key).toBe(values.length);
    }
  });

  it("agree on every repository-wide setting", () => {
    const shared = [
      "repository",
      "repositoryVisibility",
      "githubPlan",
      "defaultBranch",
      "developBranch",
      "deliveryAppId",
      "previewAppId",
      "pythonVersions",
      "dockerhubUsername",
      "dockerhubRepository",
      "railwayProjectId",
      "stateBackendUrl",
    ];
    const [first, ...rest] = stackNames.map((s) => readStackSettings(projectDir, s).config);
    for (const other of rest) {
      for (const key of shared) expect(other[`${projectName}:${key}`], key).toEqual(first?.[`${projectName}:${key}`]);
    }
  });
});

describe("reading a stack file again", () => {
  it("sees an edit: parsed values are kept by the file's text, not its path", () => {
    const dir = mkdtempSync(join(tmpdir(), "stack-files-"));
    writeFileSync(join(dir, "Pulumi.yaml"), "name: demo\nruntime: nodejs\n");
    writeFileSync(join(dir, "Pulumi.dev.yaml"), "config:\n  demo:region: eu\n");
    expect(readStackSettings(dir, "dev").config).toEqual({ "demo:region": "eu" });
    expect(readStackSettings(dir, "dev").config).toEqual({ "demo:region": "eu" });
    writeFileSync(join(dir, "Pulumi.dev.yaml"), "config:\n  demo:region: us\n");
    expect(readStackSettings(dir, "dev").config).toEqual({ "demo:region": "us" });
    writeFileSync(join(dir, "Pulumi.dev.yaml"), "config: [\n");
    expect(() => readStackSettings(dir, "dev")).toThrow(/Pulumi\.dev\.yaml is not valid YAML/);
  });
});

describe("a YAML alias bomb", () => {
  it("is refused naming the file and the fix, not with the parser's bare words", () => {
    const dir = mkdtempSync(join(tmpdir(), "stack-files-"));
    writeFileSync(join(dir, "Pulumi.yaml"), "name: demo\nruntime: nodejs\n");
    // Nine levels of ten aliases each: a billion leaves, from a few hundred bytes.
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++) {
      const [prev, next] = [String.fromCharCode(96 + i), String.fromCharCode(97 + i)];
      levels.push(`${next}: &${next} [${Array<string>(10).fill(`*${prev}`).join(", ")}]`);
    }
    const file = join(dir, "Pulumi.dev.yaml");
    writeFileSync(file, `config:\n  demo:region: eu\n${levels.join("\n")}\n`);
    expect(() => readStackSettings(dir, "dev")).toThrow(aliasBombMessage(file));
    expect(aliasBombMessage(file).startsWith(`${file} is refused: its YAML aliases`)).toBe(true);
    expect(aliasBombMessage(file)).toContain(`Fix: write each value out in ${file}`);
  });
});
