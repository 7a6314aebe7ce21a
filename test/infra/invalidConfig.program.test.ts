// Invalid config stops the real program before any resource exists.
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config";
import { evaluate } from "../helpers/program";
import { stackWithSecrets } from "../helpers/stacks";

describe("program with invalid config", () => {
  it("throws one ConfigError naming every problem and registers nothing", async () => {
    const settings = stackWithSecrets("staging", undefined, {
      repository: "acme/bad repo",
      platforms: JSON.stringify(["linux/amd64", "windows/amd64"]),
      reposiotryPlan: "team",
    });
    const error: unknown = await evaluate("staging", settings).catch((e: unknown) => e);
    // Reported as Pulumi reports a user's mistake: a RunError, whose message the CLI prints alone.
    expect(pulumi.RunError.isInstance(error)).toBe(true);
    expect((error as Error).stack).toBeUndefined();
    expect((error as Error).cause).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(((error as Error).cause as ConfigError).message);
    const problems = ((error as Error).cause as ConfigError).problems.map((p) => p.key).sort();
    expect(problems).toEqual(["platforms", "reposiotryPlan", "repository"]);
    // The only registration allowed is none at all: the error comes before the first resource.
    const monitor = pulumi.runtime.getMonitor() as unknown as { resources: Map<string, unknown> };
    expect([...monitor.resources.keys()]).toEqual([]);
  });
});
