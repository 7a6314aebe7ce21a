// Each guardrail passes a good resource and catches a bad one.
import { describe, expect, it } from "vitest";
import {
  deployCommandViolations,
  imageViolations,
  productionDeploymentPolicyViolations,
  productionEnvironmentViolations,
  rulesetViolations,
  noRotationRecorded,
  rotationRecord,
  secretAgeViolations,
  workflowFileViolations,
} from "../../src/policies/checks";

const sha = "3d3c42e5aac5ba805825da76410c181273ba90b1";
const workflow = (body: string) => ({ file: ".github/workflows/x.yml", content: `name: x\non: push\n${body}` });
const goodJobs = `jobs:\n  a:\n    permissions:\n      contents: read\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@${sha}\n`;

describe("workflowFileViolations", () => {
  it("passes a pinned, least-privilege workflow and ignores other files", () => {
    expect(workflowFileViolations(workflow(`permissions: {}\n${goodJobs}`))).toEqual([]);
    expect(workflowFileViolations({ file: ".github/dependabot.yml", content: "uses: x@v1" })).toEqual([]);
  });
  it.each([
    ["a tag instead of a SHA", `permissions: {}\n${goodJobs.replace(`@${sha}`, "@v4")}`, /pin actions to a full commit SHA/],
    ["no top-level permissions", goodJobs, /no top-level permissions/],
    ["write-all at the top", `permissions: write-all\n${goodJobs}`, /write permissions to every job/],
    ["a job without permissions", `permissions: {}\njobs:\n  a:\n    runs-on: x\n    steps: []\n`, /job a has no permissions/],
    ["a pasted token", `permissions: {}\n${goodJobs}env:\n  T: ghp_${"a".repeat(36)}\n`, /looks like a GitHub token/],
    ["a private key", `permissions: {}\n${goodJobs}# -----BEGIN RSA PRIVATE KEY-----\n`, /looks like a private key/],
    [
      "a database URL with its password",
      `permissions: {}\n${goodJobs}env:\n  DB: postgres://admin:hunter2@db:5432/app\n`,
      /looks like a URL with a password/,
    ],
  ])("catches %s", (_, body, message) => {
    expect(workflowFileViolations(workflow(body)).join("\n")).toMatch(message);
  });
  it("reports unparsable YAML", () => {
    expect(workflowFileViolations({ file: ".github/workflows/x.yml", content: "a: [" })).toEqual([
      ".github/workflows/x.yml is not valid YAML",
    ]);
  });
});

describe("productionEnvironmentViolations", () => {
  const good = {
    environment: "production",
    reviewers: [{ users: [1], teams: [] }],
    canAdminsBypass: false,
    preventSelfReview: true,
    deploymentBranchPolicy: { customBranchPolicies: true, protectedBranches: false },
  };
  it("passes a gated production environment, and ignores staging", () => {
    expect(productionEnvironmentViolations(good, { reviewersAllowed: true })).toEqual([]);
    expect(productionEnvironmentViolations({ environment: "staging" }, { reviewersAllowed: true })).toEqual([]);
  });
  it("catches each missing gate", () => {
    const bad = productionEnvironmentViolations(
      { environment: "production", reviewers: [], canAdminsBypass: true },
      { reviewersAllowed: true },
    );
    expect(bad).toHaveLength(4);
  });
  it("does not demand reviewers where the plan cannot have them", () => {
    expect(productionEnvironmentViolations({ ...good, reviewers: [] }, { reviewersAllowed: false })).toEqual([]);
  });
  it("deployment policy: release tags only", () => {
    expect(productionDeploymentPolicyViolations({ environment: "production", tagPattern: "v*" })).toEqual([]);
    expect(productionDeploymentPolicyViolations({ environment: "production", branchPattern: "main" })).toHaveLength(1);
    expect(productionDeploymentPolicyViolations({ environment: "staging", branchPattern: "main" })).toEqual([]);
  });
});

describe("rulesetViolations", () => {
  const good = {
    name: "protect-main",
    target: "branch",
    bypassActors: [{ actorType: "Integration", actorId: 7, bypassMode: "always" }],
    rules: {
      deletion: true,
      nonFastForward: true,
      pullRequest: { requiredApprovingReviewCount: 1 },
      requiredStatusChecks: { requiredChecks: [{ context: "lint" }] },
    },
  };
  it("passes a protective ruleset", () => {
    expect(rulesetViolations(good, { deliveryAppId: 7 })).toEqual([]);
  });
  it("catches weak rules and foreign bypass actors", () => {
    const bad = rulesetViolations(
      { ...good, bypassActors: [{ actorType: "RepositoryRole", actorId: 5 }], rules: { deletion: false } },
      { deliveryAppId: 7 },
    );
    expect(bad.map((v) => v.split(": ")[1]?.split(" ")[0])).toEqual(["require", "require", "forbid", "forbid", "only"]);
    expect(rulesetViolations({ ...good, bypassActors: [{ actorType: "Integration", actorId: 8 }] }, { deliveryAppId: 7 })).toHaveLength(1);
  });
});

describe("deployCommandViolations", () => {
  const good = {
    create: "npx --no-install tsx src/railway/deployCli.ts",
    logging: "stderr",
    environment: { RAILWAY_TOKEN: "tok-123456", DEPLOY_IMAGE: `docker.io/a/b@sha256:${"a".repeat(64)}` },
  };
  it("passes secrets in environment, quiet logging, a digest", () => {
    expect(deployCommandViolations(good)).toEqual([]);
  });
  it.each([
    ["a secret in the command line", { ...good, create: "deploy --token tok-123456" }, /appears in the command line/],
    ["an inline credential", { ...good, create: "RAILWAY_TOKEN=abc deploy" }, /assigns a credential/],
    ["echoing logging", { ...good, logging: "stdoutAndStderr" }, /use stderr or none/],
    ["default logging", { create: "x" }, /use stderr or none/],
    ["a mutable tag", { ...good, environment: { DEPLOY_IMAGE: "docker.io/a/b:latest" } }, /deploy by digest/],
  ])("catches %s", (_, props, message) => {
    expect(deployCommandViolations(props).join("\n")).toMatch(message);
  });
});

describe("imageViolations", () => {
  it("passes every configured platform, catches a missing one", () => {
    const both = ["linux/amd64", "linux/arm64"];
    expect(imageViolations([{ platforms: ["linux/amd64"] }, { platforms: ["linux/arm64"] }], both)).toEqual([]);
    expect(imageViolations([{ platforms: ["linux/amd64"] }], both)).toEqual([
      "the image is not built for linux/arm64: build every configured platform",
    ]);
    // Nothing built (production promotes a verified digest): nothing to judge.
    expect(imageViolations([], both)).toEqual([]);
  });
});

describe("secretAgeViolations", () => {
  const now = new Date("2026-11-25T12:00:00Z");
  it("reports only secrets older than the maximum, with the rotate command", () => {
    expect(secretAgeViolations({ railwayToken: "2026-11-01", openaiApiKey: "2026-06-01" }, 90, now)).toEqual([
      "openaiApiKey was last rotated 2026-06-01 (177 days ago, more than 90): npm run rotate -- --stack <stack> openaiApiKey",
    ]);
    expect(secretAgeViolations({}, 90, now)).toEqual([]);
  });

  it("reports a secret with no rotation date recorded, with the two ways to record one", () => {
    expect(secretAgeViolations({ railwayToken: noRotationRecorded, openaiApiKey: "2026-11-01" }, 90, now)).toEqual([
      "railwayToken: no rotation date recorded, so its age is unknown: rotate it (npm run rotate -- --stack <stack> railwayToken, which records the day), " +
        "or record the day it was last rotated: pulumi config set --path secretRotatedAt.railwayToken <YYYY-MM-DD> --stack <stack>",
    ]);
  });

  it.each([
    ["2026-13-45", "is no day of the calendar"],
    ["2026-02-30", "is no day of the calendar"],
    ["2999-01-01", "is in the future"],
    ["last week", "is not a YYYY-MM-DD date"],
  ])("reports a recorded date no rotation could have (%s), never drops it", (date, fault) => {
    expect(secretAgeViolations({ railwayToken: date }, 90, now)).toEqual([
      `railwayToken: its recorded rotation date ${JSON.stringify(date)} ${fault}, so its age is unknown: ` +
        "record the day it was last rotated in secretRotatedAt (YYYY-MM-DD), or rotate it: npm run rotate -- --stack <stack> railwayToken",
    ]);
  });

  it("counts the age to the day: the maximum itself is not over it", () => {
    expect(secretAgeViolations({ railwayToken: "2026-08-27" }, 90, now)).toEqual([]);
    expect(secretAgeViolations({ railwayToken: "2026-08-26" }, 90, now)).toHaveLength(1);
  });
});

describe("rotationRecord", () => {
  it("lists every secret the stack reads, undated ones as noRotationRecorded, and keeps every recorded date", () => {
    expect(rotationRecord({ openaiApiKey: "2026-11-01", slackWebhookUrl: "2026-10-01" }, ["railwayToken", "openaiApiKey"])).toEqual({
      railwayToken: noRotationRecorded,
      openaiApiKey: "2026-11-01",
      slackWebhookUrl: "2026-10-01",
    });
    expect(rotationRecord({}, [])).toEqual({});
  });
});
