// The policy pack config each stack publishes: what the pack declares it takes, and what the policies do with it.
import Ajv from "ajv";
import { beforeAll, describe, expect, it } from "vitest";
import { validateStackConfig } from "../../src/config";
import { buildPipelineSpec } from "../../src/pipeline";
import type { ProgramRun } from "../../tools/plan/harness";
import { policyPackConfig, policyNames } from "../../src/policies/packConfig";
import { policies } from "../../infra/policy/policies";
import { packViolations } from "../helpers/policies";
import { evaluate } from "../helpers/program";
import { rawConfig, stackWithSecrets } from "../helpers/stacks";

const configOf = (stack: string, overrides: Record<string, string> = {}) =>
  validateStackConfig(rawConfig(stackWithSecrets(stack, undefined, overrides), stack)).config;

let run: ProgramRun;
beforeAll(async () => {
  run = await evaluate("staging", stackWithSecrets("staging"));
});

describe("policyPackConfig", () => {
  it("names only policies of the pack, each with only the settings its schema declares (so the engine accepts the file)", () => {
    const ajv = new Ajv({ strict: false });
    for (const stack of ["staging", "production"]) {
      for (const [name, section] of Object.entries(policyPackConfig(configOf(stack)))) {
        const policy = policies.find((p) => p.name === name);
        expect(policy, name).toBeDefined();
        const schema = { type: "object", ...policy?.configSchema, additionalProperties: false };
        expect(ajv.validate(schema, section), `${name}: ${ajv.errorsText()}`).toBe(true);
      }
    }
  });

  it("holds the stack's delivery App, platforms and whether production can have reviewers", () => {
    expect(policyPackConfig(configOf("staging", { platforms: '["linux/amd64"]' }))).toEqual({
      [policyNames.rulesets]: { deliveryAppId: 1234567 },
      [policyNames.releaseTags]: { deliveryAppId: 1234567 },
      [policyNames.imagePlatforms]: { platforms: ["linux/amd64"] },
      [policyNames.productionEnvironment]: { reviewersAllowed: true },
    });
    const privateTeam = configOf("production", {
      repositoryVisibility: "private",
      githubPlan: "team",
      reviewerUsers: "[]",
      reviewerTeams: "[]",
      waitTimerMinutes: "0",
      // GitHub would not enforce preview reviewers there either.
      previewReviewerTeams: "[]",
    });
    expect(policyPackConfig(privateTeam)[policyNames.productionEnvironment]).toEqual({ reviewersAllowed: false });
  });
});

describe("the pack, given the config file, over staging's program", () => {
  it("passes with the stack's own config, but for the advisory of each secret the program reads with no rotation date", async () => {
    const found = await packViolations(run, policyPackConfig(configOf("staging")), true);
    const undated = /^secret-age: (\w+): no rotation date recorded/;
    expect(found.filter((v) => !undated.test(v))).toEqual([]);
    // The fixture stack records no date: every secret the staging spec reads is named once.
    const spec = buildPipelineSpec(configOf("staging"));
    const named = found.map((v) => undated.exec(v)?.[1]);
    expect(named).toHaveLength(spec.secretsRead.length);
    expect(new Set(named)).toEqual(new Set(spec.secretsRead));
    expect(spec.secretsRead.length).toBeGreaterThan(10);
  });

  it("catches a ruleset that lets another App bypass, which it cannot know without the config", async () => {
    const other = policyPackConfig({ ...configOf("staging"), deliveryAppId: 7654321 });
    expect((await packViolations(run, {}, true)).filter((v) => v.startsWith(policyNames.rulesets))).toEqual([]);
    const found = (await packViolations(run, other, true)).filter((v) => v.startsWith(policyNames.rulesets));
    expect(found).toHaveLength(2);
    for (const v of found) expect(v).toMatch(/only the delivery App may bypass the rules/);
  });

  it("judges the platforms the stack configures, not the pack's default", async () => {
    expect(
      await packViolations(
        run,
        policyPackConfig({ ...configOf("staging"), platforms: ["linux/amd64", "linux/arm64", "linux/s390x"] }),
        true,
        "mandatory",
      ),
    ).toEqual([`${policyNames.imagePlatforms}: the image is not built for linux/s390x: build every configured platform`]);
  });
});
