// A key under a misspelt namespace is refused with a did-you-mean, never skipped; providers' namespaces pass.
import { describe, expect, it } from "vitest";
import { providerNamespaces, validateStackConfig } from "../../src/config";
import { fixtureRaw } from "../helpers/fixtureConfig";
import { problemsOf } from "../helpers/problems";

describe("config namespaces", () => {
  it("accepts the fixture as is", () => {
    expect(problemsOf(fixtureRaw("production"))).toEqual([]);
  });

  it("refuses a typo of the project's namespace, suggesting the key and the command for this stack", () => {
    const raw = fixtureRaw("production", {}, { "delivery-pipline:waitTimerMinutes": "60" });
    const problems = problemsOf(raw);
    expect(problems).toHaveLength(1);
    const [problem] = problems;
    expect(problem?.key).toBe("delivery-pipline:waitTimerMinutes");
    expect(problem?.value).toBe("60");
    expect(problem?.allowed).toContain("did you mean delivery-pipeline:waitTimerMinutes?");
    expect(problem?.fix).toBe(
      "pulumi config rm delivery-pipline:waitTimerMinutes --stack production && pulumi config set waitTimerMinutes 60 --stack production",
    );
    const error = (() => {
      try {
        validateStackConfig(raw);
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error?.message).toContain(
      'delivery-pipline:waitTimerMinutes = "60" is in the namespace "delivery-pipline", which nothing reads',
    );
  });

  it("refuses a typo of a provider's namespace, suggesting the provider's", () => {
    const [problem] = problemsOf(fixtureRaw("staging", {}, { "githb:owner": "zephyr-labs" }));
    expect(problem?.key).toBe("githb:owner");
    expect(problem?.allowed).toContain("did you mean github:owner?");
    expect(problem?.fix).toBe("rename it to github:owner in stacks/Pulumi.staging.yaml");
  });

  it("refuses an unrelated namespace without a guess", () => {
    const [problem] = problemsOf(fixtureRaw("staging", {}, { "kubernetes:context": "prod" }));
    expect(problem?.allowed).not.toContain("did you mean");
    expect(problem?.fix).toBe("pulumi config rm kubernetes:context --stack staging");
  });

  it.each(providerNamespaces.map((n) => [n]))("lets %s: through (a provider the program uses)", (namespace) => {
    expect(problemsOf(fixtureRaw("staging", {}, { [`${namespace}:someSetting`]: "x" }))).toEqual([]);
  });
});
