import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The real-engine suite needs the Pulumi CLI: npm run test:engine.
    exclude: ["test/engine/**", "node_modules/**"],
    // Each file evaluates at most one Pulumi program: the runtime keeps global state.
    pool: "forks",
    isolate: true,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    server: {
      deps: {
        // @actions/workflow-parser imports JSON without an import attribute, which Node 20 refuses.
        inline: ["@actions/workflow-parser", "@actions/expressions"],
      },
    },
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts", "infra/**/*.ts", "tools/**/*.ts"],
      // CLIs are exercised as child processes (their own tests), which v8 coverage of this process cannot see.
      exclude: ["tools/cli/**"],
      thresholds: { lines: 90, branches: 90, functions: 90, statements: 90 },
      reporter: ["text-summary", "text"],
    },
  },
});
