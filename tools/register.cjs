// @ts-check
/**
 * Runs the project's TypeScript tools in one Node process, with no loader thread: `node --require
 * ./tools/register.cjs tools/cli/plan.ts`. A require hook hands each .ts file to the same cached
 * esbuild transpiler `pulumi preview` uses (infra/esbuildTranspiler.cjs), so an unchanged tool reads
 * its JavaScript back from node_modules/.cache instead of transpiling at all.
 *
 * Why not tsx: `tsx file` starts a second Node process, and its ESM loader hooks run on a thread of
 * their own; together about 0.8 s of a 2 s `npm run plan` here (docs/performance.md). The project is
 * CommonJS (package.json has no "type"), so a require hook is all it needs. Imports written with a
 * .js suffix (as TypeScript's module resolution asks) resolve to the .ts file beside them, and a
 * dynamic import() of a .ts module goes through the same hook (esbuild compiles it to require).
 */
"use strict";
// First, so that every module after it (the transpiler's, the SDKs', the tool's) compiles from V8's cache.
require("./compileCache.cjs").enable();
const Module = require("node:module");
const { existsSync, readFileSync } = require("node:fs");
const { create } = require("../infra/esbuildTranspiler.cjs");

const transpiler = create({ dynamicImport: false });

// Each module carries its map inline, but Node reads maps only under --enable-source-maps (NODE_OPTIONS):
// turned on here it would parse the map of every package loaded, a tenth of a plan's time.
/** @param {NodeJS.Module & { _compile(code: string, file: string): void }} module @param {string} filename */
function compileTs(module, filename) {
  const { outputText, sourceMapText } = transpiler.transpile(readFileSync(filename, "utf8"), { fileName: filename });
  const map = Buffer.from(sourceMapText).toString("base64");
  module._compile(`${outputText}\n//# sourceMappingURL=data:application/json;base64,${map}`, filename);
}
// Module._extensions and Module._resolveFilename are Node's own hooks (what every require hook uses), untyped.
/** @type {{ _extensions: Record<string, unknown> }} */ (/** @type {unknown} */ (Module))._extensions[".ts"] = compileTs;

/** @type {(request: string, parent: unknown, ...rest: unknown[]) => string} */
const resolve = /** @type {any} */ (Module)._resolveFilename;
/** @type {any} */ (Module)._resolveFilename = function resolveTs(
  /** @type {string} */ request,
  /** @type {any} */ parent,
  /** @type {unknown[]} */ ...rest
) {
  if (request.endsWith(".js") && (request.startsWith(".") || request.startsWith("/")) && parent?.filename?.endsWith(".ts")) {
    const ts = require("node:path").resolve(require("node:path").dirname(parent.filename), request.replace(/\.js$/, ".ts"));
    if (existsSync(ts)) return ts;
  }
  return resolve.call(this, request, parent, ...rest);
};
