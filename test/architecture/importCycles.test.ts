// No module of the program, the spec or the tools imports itself back through others: a cycle
// (even a type-only one) means two modules are one in two files, and makes load order matter.
// The layers between folders are the linter's (.oxlintrc.json); this catches cycles inside a folder.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const projectDir = resolve(__dirname, "..", "..");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith(".ts") && !name.endsWith(".d.ts") ? [path] : [];
  });
}

/** The project files a module imports by relative path (static, re-exports and dynamic imports). */
export function relativeImports(file: string, text: string): string[] {
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)].map((m) => m[1] ?? "");
  return specifiers.flatMap((specifier) => {
    const base = resolve(dirname(file), specifier.replace(/\.js$/, ""));
    const found = [`${base}.ts`, join(base, "index.ts")].find((candidate) => existsSync(candidate));
    return found === undefined ? [] : [found];
  });
}

/** Every cycle's files, each found once, from a depth-first walk. */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, "active" | "done">();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, "active");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === "active") cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (state.get(next) === undefined) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of graph.keys()) if (state.get(node) === undefined) visit(node);
  return cycles;
}

describe("import cycles", () => {
  it("finds a cycle when there is one (the check can fail)", () => {
    const graph = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a"]],
      ["d", ["a"]],
    ]);
    expect(findCycles(graph)).toEqual([["a", "b", "c", "a"]]);
    expect(
      findCycles(
        new Map([
          ["a", ["b"]],
          ["b", []],
        ]),
      ),
    ).toEqual([]);
  });

  it("resolves the imports the project writes (extensionless, .js for dynamic import, folders)", () => {
    const file = join(projectDir, "src", "pipeline", "index.ts");
    const text = 'export * from "../shipping";\nimport { x } from "./spec";\nconst m = () => import("../../infra/index.js");\n';
    expect(relativeImports(file, text).map((f) => relative(projectDir, f))).toEqual([
      "src/shipping/index.ts",
      "src/pipeline/spec.ts",
      "infra/index.ts",
    ]);
  });

  it("has none in infra/, src/ and tools/", () => {
    const files = [...sources(join(projectDir, "infra")), ...sources(join(projectDir, "src")), ...sources(join(projectDir, "tools"))];
    const graph = new Map(files.map((file) => [file, relativeImports(file, readFileSync(file, "utf8"))]));
    expect(findCycles(graph).map((cycle) => cycle.map((f) => relative(projectDir, f)).join(" → "))).toEqual([]);
  });
});
