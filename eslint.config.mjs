import js from "@eslint/js";
import tseslint from "typescript-eslint";
import pulumi from "@pulumi/eslint-plugin";

/**
 * The layers of DESIGN.md, as lint errors: each folder of src/ may import only
 * the folders below it, and nothing below the program may load a Pulumi SDK.
 * From the bottom: formats (reference formats), policies (pure checks), config, shipping, workflows,
 * pipeline (the spec). infra/ (the Pulumi program) builds on them, and tools/
 * (the commands and the plan's mock harness) on everything; nothing in src/ or
 * infra/ loads tools/ or tests. railway/ is the
 * deploy command's own code and imports nothing of the rest but formats.
 */
const srcFolders = ["formats", "policies", "config", "shipping", "workflows", "pipeline", "railway"];
const sdks = ["@pulumi/*"];
function layer(folder, allowed, extra = []) {
  const forbidden = srcFolders.filter((f) => f !== folder && !allowed.includes(f));
  return {
    files: [`src/${folder}/**/*.ts`],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                ...forbidden.flatMap((f) => [`../${f}`, `../${f}/*`]),
                "../../infra",
                "../../infra/*",
                "../../tools/*",
                "../../test/*",
                ...extra,
              ],
              message: `src/${folder} sits below that module in the layers (eslint.config.mjs, DESIGN.md): move the shared code down instead.`,
            },
          ],
        },
      ],
    },
  };
}
const layers = [
  layer("formats", [], sdks),
  layer("policies", ["formats"], sdks),
  layer("config", ["formats", "policies"], sdks),
  layer("shipping", ["formats", "config", "policies"], sdks),
  layer("workflows", ["formats", "config", "policies", "shipping"], sdks),
  layer("pipeline", ["formats", "config", "policies", "shipping", "workflows"], sdks),
  layer("railway", ["formats"], sdks),
];

export default tseslint.config(
  { ignores: ["node_modules/", "bin/", "coverage/", "plan-out/"] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    files: ["**/*.ts", "**/*.mts"],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { "@pulumi": pulumi },
    rules: {
      // `${output}` in a template renders "Calling [toString] on an [Output<T>]": a classic Pulumi bug.
      "@pulumi/no-output-in-template-literal": "error",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      // Resources are declared for their effect; Pulumi tracks them.
      "no-new": "off",
      "@typescript-eslint/no-extraneous-class": "off",
    },
  },
  ...layers,
  {
    // The program and its policy pack build on the spec, never on the mock harness or the commands.
    files: ["infra/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/tools/*", "**/tools/**", "**/test/*", "**/test/**"],
              message: "infra/ is the program: it must not load the tools (commands, the plan's mock harness) or tests.",
            },
          ],
        },
      ],
    },
  },
  {
    // A function a maintainer can hold in one screen: past 60 lines, split it into named steps (issue 12's bar).
    files: ["src/**/*.ts", "infra/**/*.ts", "tools/**/*.ts"],
    rules: { "max-lines-per-function": ["error", { max: 60, skipBlankLines: false, skipComments: false, IIFEs: true }] },
  },
  {
    files: ["**/*.mjs", "**/*.cjs"],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ["**/*.cjs"],
    languageOptions: {
      sourceType: "commonjs",
      globals: { require: "readonly", exports: "writable", module: "writable", __dirname: "readonly" },
    },
    // CommonJS modules load others with require: that is what the format is.
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
