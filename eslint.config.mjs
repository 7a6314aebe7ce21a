import js from "@eslint/js";
import tseslint from "typescript-eslint";
import pulumi from "@pulumi/eslint-plugin";

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
  {
    files: ["**/*.mjs", "**/*.cjs"],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", exports: "writable", module: "writable", __dirname: "readonly" } },
    // CommonJS modules load others with require: that is what the format is.
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
