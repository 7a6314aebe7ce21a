/**
 * tools/compileCache.cjs in the processes it is made for: each run is a fresh Node process that turns the
 * cache on and requires a module of the test's own, so what is compiled from source and what from V8's
 * bytecode is the cache's doing alone.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runSync } from "../helpers/runSync";
import { projectDir } from "../helpers/stacks";

let dir: string;
let cache: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "compile-cache-"));
  cache = join(dir, "cache");
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Requires `entry` with the cache on, and prints what the module exported and the cache's counts. */
function run(
  entry: string,
  env: Readonly<Record<string, string>> = {},
): { exported: unknown; hits: number; misses: number; stderr: string; status: number | null } {
  const script = `
    const view = require(${JSON.stringify(join(projectDir, "tools", "compileCache.cjs"))}).enable({ dir: ${JSON.stringify(cache)} });
    let exported;
    try { exported = require(${JSON.stringify(entry)}); } catch (error) { exported = { error: String(error) }; }
    process.stdout.write(JSON.stringify({ exported, hits: view.hits(), misses: view.misses() }));`;
  const result = runSync(process.execPath, ["-e", script], { env: { ...process.env, ...env } });
  const parsed = JSON.parse(result.stdout || "{}") as { exported: unknown; hits: number; misses: number };
  return { ...parsed, stderr: result.stderr, status: result.status };
}

function module(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe("the compile cache", () => {
  it("compiles a module from source once, then from the entry the first run left", () => {
    module("lib.js", "exports.twice = (n) => n * 2;\n");
    const main = module(
      "main.js",
      `const { twice } = require("./lib.js"); module.exports = { four: twice(2), file: __filename, self: module.id === require.cache[__filename].id };\n`,
    );
    const first = run(main);
    expect(first).toMatchObject({ exported: { four: 4, file: main, self: true }, hits: 0, misses: 2 });
    expect(readdirSync(cache)).toHaveLength(2);
    const second = run(main);
    expect(second).toMatchObject({ exported: { four: 4, file: main, self: true }, hits: 2, misses: 0 });
  });

  it("misses for a module whose text changed, and serves the new text", () => {
    const main = module("main.js", "module.exports = 1;\n");
    expect(run(main)).toMatchObject({ exported: 1, misses: 1 });
    writeFileSync(main, "module.exports = 2;\n");
    expect(run(main)).toMatchObject({ exported: 2, hits: 0, misses: 1 });
    expect(run(main)).toMatchObject({ exported: 2, hits: 1, misses: 0 });
  });

  it("rewrites an entry V8 rejects, and the module still loads from source", () => {
    const main = module("main.js", "module.exports = 'ok';\n");
    run(main);
    const [entry] = readdirSync(cache);
    expect(entry).toBeDefined();
    writeFileSync(join(cache, entry ?? ""), "not V8's bytecode");
    expect(run(main)).toMatchObject({ exported: "ok", hits: 0, misses: 1 });
    expect(run(main)).toMatchObject({ exported: "ok", hits: 1, misses: 0 });
  });

  it("gives the module Node's require: resolve, resolve.paths, main, cache and extensions", () => {
    const main = module(
      "main.js",
      `module.exports = { resolved: require.resolve("./main.js"), paths: Array.isArray(require.resolve.paths("x")), main: require.main === undefined, cache: require.cache === require("node:module")._cache, js: typeof require.extensions[".js"] };\n`,
    );
    // Under -e there is no main module: Node's require.main is undefined there too.
    expect(run(main).exported).toEqual({ resolved: main, paths: true, main: true, cache: true, js: "function" });
  });

  it("leaves a file that is not CommonJS to Node, which words the error", () => {
    const broken = module("broken.js", "module.exports = {;\n");
    const result = run(broken);
    expect(JSON.stringify(result.exported)).toContain("SyntaxError");
    expect(result).toMatchObject({ hits: 0, misses: 0 });
  });

  it("is off with DELIVERY_PIPELINE_COMPILE_CACHE=0", () => {
    const main = module("main.js", "module.exports = 3;\n");
    expect(run(main, { DELIVERY_PIPELINE_COMPILE_CACHE: "0" })).toMatchObject({ exported: 3, hits: 0, misses: 0 });
    expect(() => readdirSync(cache)).toThrow();
  });
});
