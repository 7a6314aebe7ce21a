// `npm run test:engine`: the suite that drives the real Pulumi CLI (not part of `npm test`).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/engine/**/*.engine.test.ts"],
    globalSetup: ["test/engine/requirePulumi.ts"],
    // One engine run at a time: the CLI, the language host and the plugins share two cores.
    fileParallelism: false,
    pool: "forks",
    testTimeout: 300_000,
    hookTimeout: 900_000,
  },
});
