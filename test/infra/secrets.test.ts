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
  it("gives a public repository's build no token", () => {
    expect(cloneToken("public", { githubToken }, "from-env")).toBeUndefined();
  });
  it("prefers the provider's githubToken, then GITHUB_TOKEN as a secret, else none", async () => {
    expect(cloneToken("private", { githubToken }, "from-env")).toBe(githubToken);
    const fromEnvironment = cloneToken("internal", {}, "from-env");
    expect(fromEnvironment).toBeDefined();
    if (fromEnvironment === undefined) return;
    expect(await pulumi.isSecret(fromEnvironment)).toBe(true);
    expect(await value(fromEnvironment)).toBe("from-env");
    expect(cloneToken("private", {}, undefined)).toBeUndefined();
  });
});
