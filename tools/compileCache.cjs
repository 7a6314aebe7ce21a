// @ts-check
/**
 * V8's code cache for the project's tools (loaded by tools/register.cjs): every CommonJS module a tool
 * loads, the provider SDKs' ~800 files above all, is compiled from the bytecode V8 kept from the last run
 * instead of from source. Node 22 has this built in (`module.enableCompileCache()`); Node 20, which this
 * project supports, does not, so this is the same idea on Node's documented `vm` API.
 *
 * Why: compiling the modules is most of what a Node process loading the Pulumi SDKs does; with the cache
 * `npm run plan` took about 0.6 s less here (2.4 s to 1.8 s) (docs/performance.md). The cache lives beside the
 * transpile cache, in node_modules/.cache/delivery-pipeline-v8, one file per module, keyed by the Node
 * version, the file's path and its exact text: a changed file, a new Node or an `npm ci` misses and is
 * compiled from source as without a cache. V8 itself checks each entry (its version, its flags, the
 * source's hash) and rejects one that does not fit; a rejected entry is rewritten. Entries are written
 * when the process exits, so they hold the functions the run compiled lazily too.
 *
 * It stands in for Node's own `Module.prototype._compile` for plain CommonJS only: an ES module
 * (`require(esm)`) or a file that does not compile as CommonJS goes to Node's, which gives its usual
 * error. What it does not do that Node's does: break on the first line under `--inspect-brk`.
 * `DELIVERY_PIPELINE_COMPILE_CACHE=0` turns it off (for a debugger, or to measure what it saves).
 */
"use strict";
const Module = require("node:module");
const { createHash } = require("node:crypto");
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require("node:fs");
const { dirname, join } = require("node:path");
const vm = require("node:vm");

const defaultDir = join(__dirname, "..", "node_modules", ".cache", "delivery-pipeline-v8");

/** @typedef {NodeJS.Module & { _compile(content: string, filename: string, format?: string): unknown }} CompilableModule */
/** Module's internals every require hook uses, untyped in @types/node. */
const internals =
  /** @type {{ prototype: CompilableModule; _resolveFilename: Function; _resolveLookupPaths: Function; _extensions: unknown; _cache: unknown }} */ (
    /** @type {unknown} */ (Module)
  );

/**
 * The `require` Node hands a module (lib/internal/modules/helpers.js, makeRequireFunction).
 * @param {CompilableModule} mod
 */
function makeRequire(mod) {
  /** @param {string} id */
  const require = (id) => mod.require(id);
  /** @param {string} request @param {unknown} [options] */
  const resolve = (request, options) => internals._resolveFilename(request, mod, false, options);
  /** @param {string} request */
  resolve.paths = (request) => internals._resolveLookupPaths(request, mod);
  return Object.assign(require, {
    resolve,
    main: process.mainModule,
    extensions: internals._extensions,
    cache: internals._cache,
  });
}

/**
 * Turns the cache on for this process; a second call does nothing.
 * @param {{ dir?: string }} [options] where the entries live (a test's own folder); node_modules/.cache by default
 * @returns {{ hits: () => number, misses: () => number }} how many modules came from the cache, and how many did not
 */
exports.enable = function enable({ dir: cacheDir = defaultDir } = {}) {
  const counts = { hits: 0, misses: 0 };
  const view = { hits: () => counts.hits, misses: () => counts.misses };
  if (process.env["DELIVERY_PIPELINE_COMPILE_CACHE"] === "0" || /** @type {any} */ (internals.prototype)._compileCached) return view;
  const nodeCompile = internals.prototype._compile;
  /** @type {[string, vm.Script][]} */
  const toWrite = [];

  /** @this {CompilableModule} @param {string} content @param {string} filename @param {string} [format] */
  function compileCached(content, filename, format) {
    if (format !== undefined && format !== "commonjs") return nodeCompile.call(this, content, filename, format);
    const key = createHash("sha256")
      .update(JSON.stringify([process.version, process.arch, filename]))
      .update(content)
      .digest("hex");
    const file = join(cacheDir, `${key}.bin`);
    /** @type {Buffer | undefined} */
    let cachedData;
    try {
      cachedData = readFileSync(file);
    } catch {
      // Not cached yet: compiled from source, and kept at exit.
    }
    /** @type {vm.Script} */
    let script;
    try {
      script = new vm.Script(Module.wrap(content), {
        filename,
        cachedData,
        importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
      });
    } catch {
      // Not CommonJS (an ES module's syntax) or a syntax error: Node's own compile decides, and words the error.
      return nodeCompile.call(this, content, filename, format);
    }
    if (cachedData === undefined || script.cachedDataRejected === true) {
      counts.misses++;
      toWrite.push([file, script]);
    } else counts.hits++;
    const wrapper = /** @type {(...args: unknown[]) => unknown} */ (script.runInThisContext({ displayErrors: true }));
    return Reflect.apply(wrapper, this.exports, [this.exports, makeRequire(this), this, filename, dirname(filename)]);
  }
  internals.prototype._compile = compileCached;
  Object.defineProperty(internals.prototype, "_compileCached", { value: true });

  process.once("exit", () => {
    if (toWrite.length === 0) return;
    try {
      mkdirSync(cacheDir, { recursive: true });
      for (const [file, script] of toWrite) {
        // Written whole, then renamed: a concurrent run never reads half an entry.
        const partial = `${file}.${String(process.pid)}.tmp`;
        writeFileSync(partial, script.createCachedData());
        renameSync(partial, file);
      }
    } catch {
      // A read-only node_modules only costs the next run its compile.
    }
  });
  return view;
};
