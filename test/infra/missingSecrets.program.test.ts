// Outside the offline plan, missing secrets stop the real program before any resource exists.
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { MissingSecretsError, secretKeys } from "../../src/config";
import { evaluate } from "../helpers/program";
import { stackWithSecrets } from "../helpers/stacks";

describe("program with missing secrets", () => {
  it("lists the exact command for each missing secret and registers nothing", async () => {
    const settings = stackWithSecrets(
      "production",
      secretKeys.filter((k) => k !== "railwayToken" && k !== "openaiApiKey"),
    );
    const error: unknown = await evaluate("production", settings, false).catch((e: unknown) => e);
    // Reported as Pulumi reports a user's mistake: a RunError, whose message the CLI prints alone.
    expect(pulumi.RunError.isInstance(error)).toBe(true);
    expect((error as Error).stack).toBeUndefined();
    expect((error as Error).cause).toBeInstanceOf(MissingSecretsError);
    expect((error as Error).message).toBe(((error as Error).cause as MissingSecretsError).message);
    expect(((error as Error).cause as MissingSecretsError).commands).toEqual([
      "pulumi config set --secret railwayToken --stack production",
      "pulumi config set --secret openaiApiKey --stack production",
    ]);
    const monitor = pulumi.runtime.getMonitor() as unknown as { resources: Map<string, unknown> };
    expect([...monitor.resources.keys()]).toEqual([]);
  });
});
