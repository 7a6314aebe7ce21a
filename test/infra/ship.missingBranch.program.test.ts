// A stack whose branch the repository lacks stops with the user's fix, not a provider error, and declares nothing of the pipeline.
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { planInvokeMock } from "../../tools/plan/invokes";
import { evaluate } from "../helpers/program";
import { stackWithSecrets } from "../helpers/stacks";

describe("staging on a branch the repository lacks", () => {
  it("refuses, naming the branch and the setting that names it", async () => {
    const error: unknown = await evaluate("staging", stackWithSecrets("staging", undefined, { defaultBranch: "mian" }), false, {
      // GitHub's answer to GET /repos/{owner}/{repo}/commits?sha=<a branch it does not have>.
      invoke: (token, inputs) =>
        token === "github:index/getRestApi:getRestApi"
          ? {
              ...inputs,
              id: "stand-in-request",
              code: 404,
              status: "404 Not Found",
              headers: "{}",
              body: '{"message":"No commit found for SHA: mian"}',
            }
          : planInvokeMock(token, inputs),
    }).then(
      () => new Error("staging was not refused"),
      (e: unknown) => e,
    );
    expect(pulumi.RunError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /acme\/learning-voice-agent has no branch mian[\s\S]*pulumi config set defaultBranch <branch>/,
    );
    const monitor = pulumi.runtime.getMonitor() as unknown as { resources: Map<string, { urn: string }> };
    expect([...monitor.resources.values()].every((r) => r.urn.includes("::pulumi:providers:"))).toBe(true);
  });
});
