// @ts-check
/**
 * ts-node's transpiler for `pulumi preview` and `pulumi up` (named in tsconfig.json's
 * "ts-node" section): esbuild, the transpiler tsx and vitest already use for the offline
 * plan and the tests, so the engine runs the same JavaScript they do.
 *
 * Why: Pulumi's Node.js host runs the program through ts-node, which type-checks every
 * file at start and, even told to transpile only, runs the TypeScript emitter cold in a
 * fresh process on every preview; together most of a preview's time here (README:
 * Performance). Type checking stays in `npm test` (`tsc --noEmit`), where it belongs.
 * This is ts-node's documented custom-transpiler interface (`create` returning
 * `transpile(input, { fileName })`); it needs transpileOnly, which the same section sets.
 */
"use strict";
const { transformSync } = require("esbuild");

exports.create = function create() {
  return {
    /** @param {string} input @param {{ fileName: string }} options */
    transpile(input, { fileName }) {
      const result = transformSync(input, {
        loader: fileName.endsWith(".tsx") ? "tsx" : "ts",
        // The project is CommonJS (package.json has no "type": "module"), as tsc emits it.
        format: "cjs",
        target: "node20",
        sourcefile: fileName,
        // ts-node inlines the map, so stack traces and Pulumi's source positions name the .ts lines.
        sourcemap: "external",
        // What tsc's settings mean for emit; esbuild reads only these few from a tsconfig.
        tsconfigRaw: { compilerOptions: { esModuleInterop: true, useDefineForClassFields: true, verbatimModuleSyntax: false } },
      });
      return { outputText: result.code, sourceMapText: result.map };
    },
  };
};
