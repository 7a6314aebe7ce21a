// The lint rules and the type check this project relies on, run as `npm run lint` runs them: the project's own
// .oxlintrc.json and tsconfig.json, copied verbatim into a scratch project with a few small
// modules that each break one rule. A rule that stopped firing (a renamed rule, an override glob
// that no longer matches, a lint run without type information) fails here, not in review.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSync } from "../helpers/runSync";

const projectDir = resolve(__dirname, "..", "..");
const lintScript =
  (JSON.parse(readFileSync(join(projectDir, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts["lint"] ?? "";

/** Each probe module, by path in the scratch project. */
const probes: Record<string, string> = {
  "src/formats/leaf.ts": `export const leaf = 1;\n`,
  "src/config/keys.ts": `export const key = "k";\n`,
  // formats is the bottom layer: it may not import config, nor load a Pulumi SDK.
  "src/formats/upward.ts": `import { key } from "../config/keys";\nexport const upward = key;\n`,
  "src/formats/sdk.ts": `import * as pulumi from "@pulumi/pulumi";\nexport const sdk = pulumi.output(1);\n`,
  // config may import formats: not a finding.
  "src/config/downward.ts": `import { leaf } from "../formats/leaf";\nexport const downward = leaf;\n`,
  // The program may not load the tools.
  "infra/usesTools.ts": `import { tool } from "../tools/tool";\nexport const usesTools = tool;\n`,
  "tools/tool.ts": `export const tool = 1;\n`,
  // An Output in an untagged template renders "Calling [toString] on an [Output<T>]"; pulumi.interpolate is the way.
  "test/outputInTemplate.ts": [
    `import * as pulumi from "@pulumi/pulumi";`,
    `export const url = (host: pulumi.Output<string>): string => \`https://\${host}/\`;`,
    `export const fine = (host: pulumi.Output<string>) => pulumi.interpolate\`https://\${host}/\`;`,
    ``,
  ].join("\n"),
  // Type-aware: a promise nobody awaits.
  "test/floating.ts": `export function later(): Promise<number> { return Promise.resolve(1); }\nexport function caller(): void { later(); }\n`,
  // The type check runs in the same pass (--type-check): a type error is a finding.
  "src/formats/mistyped.ts": `export const port: number = "8080";\n`,
  // Over 60 lines in src/: split it.
  "src/config/long.ts": `export function long(): number {\n  let n = 0;\n${"  n += 1;\n".repeat(60)}  return n;\n}\n`,
};

interface Finding {
  readonly file: string;
  readonly rule: string;
  readonly help: string;
}

/** oxlint's --format json: each diagnostic's file, code ("plugin(rule)") and help. */
function parseFindings(json: string): Finding[] {
  const report = JSON.parse(json) as { diagnostics: { filename: string; code: string; help?: string }[] };
  return report.diagnostics.map((d) => ({ file: d.filename, rule: /\(([\w-]+)\)$/.exec(d.code)?.[1] ?? d.code, help: d.help ?? "" }));
}

let scratch = "";
let findings: Finding[] = [];
let output = "";

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "lint-rules-"));
  cpSync(join(projectDir, ".oxlintrc.json"), join(scratch, ".oxlintrc.json"));
  cpSync(join(projectDir, "tsconfig.json"), join(scratch, "tsconfig.json"));
  symlinkSync(join(projectDir, "node_modules"), join(scratch, "node_modules"));
  for (const [path, text] of Object.entries(probes)) {
    mkdirSync(dirname(join(scratch, path)), { recursive: true });
    writeFileSync(join(scratch, path), text);
  }
  // With the flags package.json's lint script gives it (read, not copied), and findings as JSON.
  const [linter, ...flags] = lintScript.split(" ");
  expect(linter).toBe("oxlint");
  const run = runSync(join(projectDir, "node_modules", ".bin", "oxlint"), [...flags, "--format", "json"], { cwd: scratch });
  output = `${run.stdout}${run.stderr}`;
  expect(run.status, output).toBe(1);
  findings = parseFindings(run.stdout);
}, 60_000);

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

const rulesIn = (file: string): string[] => [...new Set(findings.filter((f) => f.file === file).map((f) => f.rule))].sort();

describe("the lint rules (.oxlintrc.json)", () => {
  it("refuse an import against the layers, and a Pulumi SDK below the program", () => {
    expect(rulesIn("src/formats/upward.ts"), output).toEqual(["no-restricted-imports"]);
    expect(rulesIn("src/formats/sdk.ts"), output).toContain("no-restricted-imports");
    expect(findings.find((f) => f.file === "src/formats/upward.ts")?.help).toMatch(/^src\/formats sits below that module in the layers/);
    expect(rulesIn("infra/usesTools.ts"), output).toEqual(["no-restricted-imports"]);
  });

  it("let a layer import the layers below it", () => {
    expect(rulesIn("src/config/downward.ts"), output).toEqual([]);
    expect(rulesIn("src/formats/leaf.ts"), output).toEqual([]);
  });

  it("refuse an Output in an untagged template literal, and accept pulumi.interpolate", () => {
    expect(rulesIn("test/outputInTemplate.ts"), output).toEqual(["no-base-to-string", "restrict-template-expressions"]);
    expect(findings.filter((f) => f.file === "test/outputInTemplate.ts" && f.rule === "restrict-template-expressions")).toHaveLength(1);
  });

  it("use type information: a floating promise is refused", () => {
    expect(rulesIn("test/floating.ts"), output).toEqual(["no-floating-promises"]);
  });

  it("type-check: TypeScript's own error is a finding", () => {
    expect(rulesIn("src/formats/mistyped.ts"), output).toEqual(["TS2322"]);
  });

  it("refuse a function over 60 lines in src/", () => {
    expect(rulesIn("src/config/long.ts"), output).toEqual(["max-lines-per-function"]);
  });
});
