import { defineConfig } from "vitest/config";

/**
 * Two projects, because isolation is what a vitest run spends its time on:
 * - `unit`: pure code, validators and loopback stand-ins. They share no state
 *   between files, so they run in worker threads without a fresh module graph
 *   per file (about half the time of isolated forks here).
 * - `program`: anything that evaluates the Pulumi program, drives a CLI or sets
 *   process-wide state, in worker processes. The Pulumi runtime is global, so a
 *   file evaluates one program at a time; files share a process (see the project).
 * Everything not listed as `unit` runs as `program`. A third project, `bench`,
 * runs the benchmark end to end: `npm run test:bench` (.ci/run), not `npm test`.
 */
const unitFolders = ["test/architecture", "test/config", "test/githubStandIn", "test/pipeline", "test/registryStandIn", "test/workflows"];
const unitFiles = [
  "test/formats.test.ts",
  "test/moduleNames.test.ts",
  "test/readme.test.ts",
  "test/docs.test.ts",
  // The deploy client against the Railway stand-in; the deploy command's own tests (deployCli) run it with an environment.
  "test/railway/!(deployCli).test.ts",
];
const unit = [...unitFolders.map((f) => `${f}/**/*.test.ts`), ...unitFiles];

export default defineConfig({
  test: {
    // The real-engine suite needs the Pulumi CLI: npm run test:engine.
    exclude: ["test/engine/**", "node_modules/**"],
    // vitest's default is one worker fewer than the cores: one on a 2-core machine. Many tests wait on child
    // processes and loopback servers rather than compute, so three workers keep two cores busy (150 s to 88 s here).
    maxWorkers: 3,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: unit,
          pool: "threads",
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: "program",
          include: ["test/**/*.test.ts"],
          exclude: ["test/engine/**", "test/bench/**", "node_modules/**", ...unit],
          pool: "forks",
          // Files share a process: the harness hands each program its config the way the Automation API does
          // (runtime.setAllConfig) and setMocks resets the runtime, and the setup file restores the environment.
          isolate: false,
          setupFiles: ["test/helpers/restoreEnv.ts"],
          // A spy (on pulumi.log.warn, say) ends with its test, not with the process.
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
      // CLIs are exercised as child processes (their own tests), which v8 coverage of this process cannot see.
      exclude: ["tools/cli/**"],
      thresholds: { lines: 90, branches: 90, functions: 90, statements: 90 },
      reporter: ["text-summary", "text"],
    },
  },
});
