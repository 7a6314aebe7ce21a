// The entrypoint's secret helpers: one secret's value, and the token the image build clones with.
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { cloneToken, secretValue } from "../../infra/secrets";

const value = (output: pulumi.Output<string>): Promise<unknown> => (output as unknown as { promise(): Promise<unknown> }).promise();

describe("secretValue", () => {
  it("returns the value read for the key, and refuses a key the entrypoint did not read", () => {
    const token = pulumi.secret("t");
    expect(secretValue({ railwayToken: token }, "railwayToken")).toBe(token);
    expect(() => secretValue({ railwayToken: token }, "dockerhubToken")).toThrow("secret dockerhubToken was not read by the entrypoint");
  });
});

describe("cloneToken", () => {
  const githubToken = pulumi.secret("from-config");
  const none = { clone: undefined, github: undefined };
  it("gives a public repository's build no token, not even a handed-over clone token", () => {
    expect(cloneToken("public", { githubToken }, { clone: "clone-token", github: "from-env" })).toBeUndefined();
  });
  it("prefers the read-only clone token a deploy workflow hands over, as a secret", async () => {
    const handed = cloneToken("private", { githubToken }, { clone: "clone-token", github: "from-env" });
    expect(handed).toBeDefined();
    if (handed === undefined) return;
    expect(await pulumi.isSecret(handed)).toBe(true);
    expect(await value(handed)).toBe("clone-token");
  });
  it("run by hand (no clone token, or an empty one), takes the provider's githubToken, then GITHUB_TOKEN as a secret, else none", async () => {
    expect(cloneToken("private", { githubToken }, { clone: undefined, github: "from-env" })).toBe(githubToken);
    expect(cloneToken("private", { githubToken }, { clone: "", github: "from-env" })).toBe(githubToken);
    const fromEnvironment = cloneToken("internal", {}, { clone: "", github: "from-env" });
    expect(fromEnvironment).toBeDefined();
    if (fromEnvironment === undefined) return;
    expect(await pulumi.isSecret(fromEnvironment)).toBe(true);
    expect(await value(fromEnvironment)).toBe("from-env");
    expect(cloneToken("private", {}, none)).toBeUndefined();
    expect(cloneToken("private", {}, { clone: "", github: "" })).toBeUndefined();
  });
});
