import { defineConfig } from "vitest/config";

/**
 * `npm test` runs the project `suite`: every test but the real-engine suite (`npm run test:engine`,
 * its own config) and the benchmark (`bench`, run end to end by `npm run test:bench` in .ci/run).
 *
 * Why the suite runs the way it does (docs/performance.md, "The test suite"):
 * - Two worker processes, one per core. Each loads the Pulumi SDK, GitHub's API description and
 *   Railway's schema once, then runs file after file: the tests compute rather than wait (stand-ins
 *   answer on loopback, simulated clocks stand in for Railway's minutes), so a third worker only
 *   loaded everything a third time.
 * - Files share a process (no fresh module graph per file). The Pulumi runtime is global, so a file
 *   evaluates one program at a time: the harness hands each program its config the way the Automation
 *   API does (runtime.setAllConfig) and setMocks resets the runtime; the setup file restores the
 *   environment each file started with, and a spy (on pulumi.log.warn, say) ends with its test.
 */
export default defineConfig({
  test: {
    exclude: ["test/engine/**", "node_modules/**"],
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: "suite",
          include: ["test/**/*.test.ts"],
          exclude: ["test/engine/**", "test/bench/**", "node_modules/**"],
          pool: "forks",
          isolate: false,
          setupFiles: ["test/helpers/restoreEnv.ts"],
          restoreMocks: true,
        },
      },
      {
        extends: true,
        test: { name: "bench", include: ["test/bench/**/*.test.ts"], pool: "forks", isolate: true },
      },
    ],
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts", "infra/**/*.ts", "tools/**/*.ts"],
      // The benchmark runs end to end in its own process (npm run test:bench), which v8 coverage here cannot see.
      exclude: ["tools/cli/bench.ts"],
      thresholds: { lines: 90, branches: 90, functions: 90, statements: 90 },
      reporter: ["text-summary", "text"],
    },
  },
});
