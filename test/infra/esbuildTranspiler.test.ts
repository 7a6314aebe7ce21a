// The transpiler tsconfig.json names for ts-node, which is how `pulumi preview` and `pulumi up`
// load the program: every module of the program and the policy pack must come out as the
// CommonJS the project is, with a source map naming the TypeScript file.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const projectDir = join(__dirname, "..", "..");
interface TsNodeSection {
  readonly transpileOnly?: boolean;
  readonly transpiler?: string;
}
interface TranspilerModule {
  create(): { transpile(input: string, options: { fileName: string }): { outputText: string; sourceMapText?: string } };
}

const tsconfig = JSON.parse(readFileSync(join(projectDir, "tsconfig.json"), "utf8")) as { "ts-node"?: TsNodeSection };
const section = tsconfig["ts-node"];

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

describe("the program's transpiler under ts-node", () => {
  it("is named in tsconfig.json with transpileOnly, which ts-node requires of a custom transpiler", () => {
    expect(section?.transpileOnly).toBe(true);
    expect(section?.transpiler).toBe("./infra/esbuildTranspiler.cjs");
  });

  const transpiler = (createRequire(join(projectDir, "tsconfig.json"))(section?.transpiler ?? "") as TranspilerModule).create();
  const files = [...tsFiles(join(projectDir, "infra")), ...tsFiles(join(projectDir, "src"))];

  it.each(files.map((f) => relative(projectDir, f)))("turns %s into CommonJS with a source map of it", (file) => {
    const fileName = join(projectDir, file);
    const output = transpiler.transpile(readFileSync(fileName, "utf8"), { fileName });
    expect(output.outputText).not.toMatch(/^\s*(import|export)\s/m);
    expect(output.outputText).toMatch(/\b(require\(|module\.exports|exports\.)/);
    const map = JSON.parse(output.sourceMapText ?? "{}") as { sources?: string[] };
    expect(map.sources).toEqual([fileName]);
  });

  it("is not used for the policy pack, whose runner forces type checking (a custom transpiler cannot type-check)", () => {
    const policy = readFileSync(join(projectDir, "infra", "policy", "tsconfig.json"), "utf8");
    expect(policy).toMatch(/"ts-node":\s*\{\s*"transpiler":\s*null\s*\}/);
  });

  it("keeps each output in node_modules/.cache and reads it back, and a changed source is transpiled again", () => {
    const fileName = join(projectDir, "infra", `cache-probe-${String(process.pid)}-${String(Date.now())}.ts`);
    const cacheDir = join(projectDir, "node_modules", ".cache", "delivery-pipeline-transpile");
    const before = existsSync(cacheDir) ? readdirSync(cacheDir).length : 0;
    const first = transpiler.transpile("export const probe: number = 1;\n", { fileName });
    expect(readdirSync(cacheDir).length).toBe(before + 1);
    expect(transpiler.transpile("export const probe: number = 1;\n", { fileName })).toEqual(first);
    expect(readdirSync(cacheDir).length).toBe(before + 1);
    const changed = transpiler.transpile("export const probe: number = 2;\n", { fileName });
    expect(changed.outputText).toContain("2");
    expect(changed.outputText).not.toEqual(first.outputText);
    expect(readdirSync(cacheDir).length).toBe(before + 2);
  });

  it("reports a syntax error naming the file, instead of running broken code", () => {
    expect(() => transpiler.transpile("export const x = ;\n", { fileName: "/tmp/broken.ts" })).toThrow(/broken\.ts/);
  });
});
