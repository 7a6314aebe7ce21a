// @ts-check
/**
 * ts-node's transpiler for `pulumi preview` and `pulumi up` (named in tsconfig.json's
 * "ts-node" section): esbuild, the transpiler tsx and vitest already use for the offline
 * plan and the tests, so the engine runs the same JavaScript they do.
 *
 * Why: Pulumi's Node.js host runs the program through ts-node, which type-checks every
 * file at start and, even told to transpile only, runs the TypeScript emitter cold in a
 * fresh process on every preview; together most of a preview's time here
 * (docs/performance.md). Type checking stays in `npm test` (`tsc --noEmit`), where it belongs.
 * This is ts-node's documented custom-transpiler interface (`create` returning
 * `transpile(input, { fileName })`); it needs transpileOnly, which the same section sets.
 *
 * Each output is kept in node_modules/.cache (as tsx keeps its own), keyed by a hash of
 * the source, its path, esbuild's version and these options: a preview of unchanged code
 * reads its JavaScript back instead of starting esbuild's service at all.
 */
"use strict";
const { createHash } = require("node:crypto");
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");
const { pid } = require("node:process");

/** @type {import("esbuild").TransformOptions} */
const options = {
  // The project is CommonJS (package.json has no "type": "module"), as tsc emits it.
  format: "cjs",
  target: "node20",
  // ts-node inlines the map, so stack traces and Pulumi's source positions name the .ts lines.
  sourcemap: "external",
  // What tsc's settings mean for emit; esbuild reads only these few from a tsconfig.
  tsconfigRaw: { compilerOptions: { useDefineForClassFields: true, verbatimModuleSyntax: false } },
};

const cacheDir = join(__dirname, "..", "node_modules", ".cache", "delivery-pipeline-transpile");
/** @type {string | undefined} */
let esbuildVersion;
const version = () =>
  (esbuildVersion ??= /** @type {{ version: string }} */ (JSON.parse(readFileSync(require.resolve("esbuild/package.json"), "utf8")))
    .version);

/** @param {string} input @param {string} fileName @param {import("esbuild").TransformOptions} settings */
function transform(input, fileName, settings) {
  // Loaded on the first miss only: starting esbuild's service is the cost the cache avoids.
  const { transformSync } = require("esbuild");
  const result = transformSync(input, { ...settings, loader: fileName.endsWith(".tsx") ? "tsx" : "ts", sourcefile: fileName });
  return { outputText: result.code, sourceMapText: result.map };
}

/**
 * `dynamicImport: false`: compile `import()` to `require` too (tools/register.cjs, whose require hook
 * must see every module); ts-node leaves it to Node.
 * @param {{ dynamicImport?: boolean }} [settings]
 */
exports.create = function create(settings = {}) {
  const own = settings.dynamicImport === false ? { ...options, supported: { "dynamic-import": false } } : options;
  return {
    /** @param {string} input @param {{ fileName: string }} options */
    transpile(input, { fileName }) {
      const key = createHash("sha256")
        .update(JSON.stringify([version(), own, fileName, input]))
        .digest("hex");
      const file = join(cacheDir, `${key}.json`);
      try {
        return /** @type {{ outputText: string, sourceMapText: string }} */ (JSON.parse(readFileSync(file, "utf8")));
      } catch {
        // Not cached yet (or unreadable): transpile, and keep it for the next run.
      }
      const output = transform(input, fileName, own);
      try {
        mkdirSync(cacheDir, { recursive: true });
        // Written whole, then renamed: a concurrent run never reads half a file.
        const partial = `${file}.${String(pid)}.tmp`;
        writeFileSync(partial, JSON.stringify(output));
        renameSync(partial, file);
      } catch {
        // A read-only node_modules only costs the next run the transpile.
      }
      return output;
    },
  };
};
