// The Railway token is published under the name Railway's own CLI reads for its kind, and a private image needs its own read-only pull token.
import { describe, expect, it } from "vitest";
import {
  allGithubEntries,
  configKeys,
  githubEntries,
  githubEntriesFor,
  requiredSecrets,
  secretDefinitions,
  secretKeys,
  validateStackConfig,
} from "../../src/config";
import { rawConfig, stackWithSecrets } from "../helpers/stacks";

const railwayNames = (kind: "account" | "project"): string[] =>
  githubEntriesFor(kind)
    .filter((e) => "configKey" in e.source && e.source.configKey === "railwayToken")
    .map((e) => e.name);

describe("Railway token names", () => {
  it("an account or workspace token is RAILWAY_API_TOKEN, a project token RAILWAY_TOKEN, never both", () => {
    expect(railwayNames("account")).toEqual(["RAILWAY_API_TOKEN"]);
    expect(railwayNames("project")).toEqual(["RAILWAY_TOKEN"]);
  });

  it("the default entries are the account kind's (railwayTokenKind defaults to account); the README documents both", () => {
    expect(githubEntries).toEqual(githubEntriesFor("account"));
    expect(allGithubEntries.map((e) => e.name)).toEqual(expect.arrayContaining(["RAILWAY_API_TOKEN", "RAILWAY_TOKEN"]));
  });
});

// docs/railway.md §10: Railway's docs and CLI use a project token to set variables and deploy, within its one environment.
describe("railwayTokenKind project", () => {
  it("is accepted, and says what a project token reaches instead of calling it undocumented", () => {
    // validateStackConfig throws a ConfigError on any problem.
    const { config } = validateStackConfig(rawConfig(stackWithSecrets("staging", undefined, { railwayTokenKind: "project" }), "staging"));
    expect(config.railwayTokenKind).toBe("project");
    const { description, allowed } = configKeys.railwayTokenKind;
    expect(description).not.toContain("does not document");
    expect(description).toContain("sets variables and deploys, but only in the one environment it was created for");
    expect(allowed).toContain("project (a project token of the environment railwayEnvironmentId names, sent as Project-Access-Token)");
  });
});

describe("dockerhubPullToken", () => {
  it("is required only with privateImageRepository", () => {
    expect(requiredSecrets("s3://bucket")).not.toContain("dockerhubPullToken");
    expect(requiredSecrets("s3://bucket", { privateImageRepository: true })).toContain("dockerhubPullToken");
    expect(secretDefinitions.find((d) => d.key === "dockerhubPullToken")?.description).toContain("Read-only");
  });

  it("a private-image stack without it is reported with the command that sets it", () => {
    // Every other secret of the catalog set, so the pull token is the only one that can be missing.
    const secrets = secretKeys.filter((k) => k !== "dockerhubPullToken");
    const result = validateStackConfig(rawConfig(stackWithSecrets("staging", secrets, { privateImageRepository: "true" }), "staging"));
    expect(result.missingSecrets).toEqual(["dockerhubPullToken"]);
    expect(validateStackConfig(rawConfig(stackWithSecrets("staging", secrets), "staging")).missingSecrets).toEqual([]);
  });
});
