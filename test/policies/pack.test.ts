// The pack's policy list, as the CLI would run it: levels, and each wired to its resource type.
import type {
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { unknownCheckingProxy } from "../helpers/policySdk";
// What the engine sends for a value not known until the update (the wire sentinel).
import { unknownValue as unknownStringValue } from "@pulumi/pulumi/runtime/rpc";
import { policies, type TypedResourcePolicy } from "../../infra/policy/policies";
import { rotationRecord } from "../../src/policies/checks";

class NotApplicable extends Error {}

/** Runs one resource policy as the SDK's server does: props behind its unknown-checking proxy. */
function resourceViolations(name: string, type: string, props: Record<string, unknown>, config: object = {}): string[] | "not applicable" {
  const policy = policies.find((p) => p.name === name) as ResourceValidationPolicy;
  const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
  const found: string[] = [];
  const notApplicable = (reason?: string): never => {
    throw new NotApplicable(reason);
  };
  const args = {
    type,
    props: unknownCheckingProxy(props),
    urn: "urn",
    name: "r",
    getConfig: () => config,
    notApplicable,
  } as unknown as ResourceValidationArgs;
  try {
    for (const validate of validations) void validate?.(args, (message: string) => found.push(message));
  } catch (error) {
    if (error instanceof NotApplicable) return "not applicable";
    throw error;
  }
  return found;
}

describe("policy pack", () => {
  it("has these policies at these enforcement levels", () => {
    expect(policies.map((p) => [p.name, p.enforcementLevel])).toEqual([
      ["workflow-files-hardened", "mandatory"],
      ["production-environment-gated", "mandatory"],
      ["branch-rulesets-protective", "mandatory"],
      ["secrets-behind-review", "mandatory"],
      ["release-tags-protected", "mandatory"],
      ["actions-token-read-only", "mandatory"],
      ["deploy-command-secrets-contained", "mandatory"],
      ["image-every-platform", "mandatory"],
      ["secret-age", "advisory"],
    ]);
  });

  it("applies each resource policy to its type only", () => {
    const badCommand = { create: "x", logging: "stdout" };
    expect(resourceViolations("deploy-command-secrets-contained", "command:local:Command", badCommand)).toHaveLength(1);
    expect(resourceViolations("deploy-command-secrets-contained", "github:index/repositoryFile:RepositoryFile", badCommand)).toBe(
      "not applicable",
    );
    expect(
      resourceViolations(
        "production-environment-gated",
        "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy",
        { environment: "production", branchPattern: "main" },
      ),
    ).toHaveLength(1);
    expect(
      resourceViolations(
        "production-environment-gated",
        "github:index/repositoryEnvironment:RepositoryEnvironment",
        { environment: "production", reviewers: [] },
        { reviewersAllowed: false },
      ),
    ).toHaveLength(3);
    expect(
      resourceViolations(
        "branch-rulesets-protective",
        "github:index/repositoryRuleset:RepositoryRuleset",
        { target: "branch", rules: {} },
        { deliveryAppId: 1 },
      ),
    ).toHaveLength(4);
    expect(
      resourceViolations("workflow-files-hardened", "github:index/repositoryFile:RepositoryFile", {
        file: ".github/workflows/a.yml",
        content: "jobs: {}",
      }),
    ).toHaveLength(1);
  });

  it("is not applicable to other types, so the engine counts a pass only where a policy really checked", () => {
    for (const policy of policies.filter((p): p is TypedResourcePolicy => "validateResource" in p)) {
      expect(resourceViolations(policy.name, "random:index/randomId:RandomId", {}), policy.name).toBe("not applicable");
    }
  });

  it("runs during preview: values unknown until the update are left alone, the known ones still checked", () => {
    // As the engine sends a new deploy command in preview: the image digest is not known yet.
    const preview = {
      create: "node deploy.js",
      logging: "stderr",
      environment: { DEPLOY_IMAGE: unknownStringValue, RAILWAY_TOKEN: "tok-1234" },
    };
    expect(resourceViolations("deploy-command-secrets-contained", "command:local:Command", preview)).toEqual([]);
    const leaky = { ...preview, create: "node deploy.js tok-1234", logging: "stdoutAndStderr" };
    expect(resourceViolations("deploy-command-secrets-contained", "command:local:Command", leaky)).toEqual([
      "the value of RAILWAY_TOKEN appears in the command line: pass it only through environment",
      "logging is \"stdoutAndStderr\": use stderr or none, so the command's output is not echoed into Pulumi's logs",
    ]);
    const unknownContent = { file: ".github/workflows/a.yml", content: unknownStringValue };
    expect(resourceViolations("workflow-files-hardened", "github:index/repositoryFile:RepositoryFile", unknownContent)).toEqual([
      expect.stringMatching(/no top-level permissions/),
    ]);
  });

  it("judges the image platforms across the stack's per-platform builds", () => {
    const policy = policies.find((p) => p.name === "image-every-platform") as StackValidationPolicy;
    const violations = (resources: object[]): string[] => {
      const found: string[] = [];
      void policy.validateStack(
        { resources, getConfig: () => ({ platforms: ["linux/amd64", "linux/s390x"] }) } as unknown as StackValidationArgs,
        (m: string) => found.push(m),
      );
      return found;
    };
    const build = (platform: string) => ({ type: "docker-build:index:Image", props: unknownCheckingProxy({ platforms: [platform] }) });
    expect(violations([build("linux/amd64"), build("linux/s390x")])).toEqual([]);
    expect(violations([build("linux/amd64")])).toEqual(["the image is not built for linux/s390x: build every configured platform"]);
    expect(violations([])).toEqual([]);
  });

  it("reports old secrets from the pipeline component's rotation dates", () => {
    const policy = policies.find((p) => p.name === "secret-age") as StackValidationPolicy;
    const found: string[] = [];
    const pipeline = {
      type: "delivery:index:DeliveryPipeline",
      props: { secretRotatedAt: { railwayToken: "2000-01-01", openaiApiKey: new Date().toISOString().slice(0, 10) }, secretMaxAgeDays: 90 },
    } as unknown as PolicyResource;
    void policy.validateStack({ resources: [pipeline], getConfig: () => ({}) } as unknown as StackValidationArgs, (m: string) =>
      found.push(m),
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^railwayToken was last rotated 2000-01-01/);
  });

  it("reports the secrets with no rotation date recorded", () => {
    const policy = policies.find((p) => p.name === "secret-age") as StackValidationPolicy;
    const found: string[] = [];
    const pipeline = {
      type: "delivery:index:DeliveryPipeline",
      props: { secretRotatedAt: rotationRecord({ railwayToken: new Date().toISOString().slice(0, 10) }, ["railwayToken", "openaiApiKey"]) },
    } as unknown as PolicyResource;
    void policy.validateStack({ resources: [pipeline], getConfig: () => ({}) } as unknown as StackValidationArgs, (m: string) =>
      found.push(m),
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^openaiApiKey: no rotation date recorded, .*npm run rotate -- --stack <stack> openaiApiKey/);
  });
});
