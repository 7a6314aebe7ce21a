// The saved plan as the reviewers' summary reads it: a plan the real engine wrote (production's first up,
// cut to six resources: test/fixtures/plans), and the same with its steps changed the way the engine writes
// an update, a replacement and a deletion.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseSavedPlan } from "../../src/plans/savedPlan";

const fixture = readFileSync(join(__dirname, "..", "fixtures", "plans", "production-first-up.plan.json"), "utf8");
type ResourcePlan = { steps: string[]; goal?: Record<string, unknown>; state?: Record<string, unknown> };
type Plan = { resourcePlans: Record<string, ResourcePlan> };
const urnOf = (plan: Plan, name: string): string => {
  const urn = Object.keys(plan.resourcePlans).find((u) => u.endsWith(`::${name}`));
  if (urn === undefined) throw new Error(`no ${name} in the fixture`);
  return urn;
};
const resource = (plan: Plan, name: string): ResourcePlan => {
  const found = plan.resourcePlans[urnOf(plan, name)];
  if (found === undefined) throw new Error(`no ${name} in the fixture`);
  return found;
};

describe("parseSavedPlan", () => {
  it("reads the engine's version, each resource's operation and changed properties, and the stack's outputs", () => {
    const plan = parseSavedPlan(fixture);
    expect(plan.engineVersion).toBe("v3.248.0");
    expect(plan.changes.map((c) => [c.name, c.type, c.operation])).toEqual(
      expect.arrayContaining([
        ["delivery-railway-deploy", "command:local:Command", "create"],
        ["delivery-app-version-tag", "docker-build:index:Index", "create"],
        ["delivery-production-secret-openai-api-key", "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret", "create"],
      ]),
    );
    // The stack itself is not a change; its outputs are what ships.
    expect(plan.changes.some((c) => c.type === "pulumi:pulumi:Stack")).toBe(false);
    expect(plan.changes.find((c) => c.name === "delivery-railway-deploy")?.properties).toEqual([
      "create",
      "environment",
      "logging",
      "triggers",
    ]);
    // The engine's and providers' bookkeeping (`__defaults`) is not a setting.
    expect(plan.changes.flatMap((c) => c.properties).some((p) => p.startsWith("__"))).toBe(false);
    expect(plan.outputs).toMatchObject({
      version: "v1.4.2",
      revision: "89e6c98d92887913cadf06b2adb97f26cde4849b",
      imageRef: expect.stringMatching(/@sha256:[0-9a-f]{64}$/) as unknown,
    });
  });

  it("reads a replacement's two steps as one replace, an update's and a deletion's as such, and same as no property", () => {
    const plan = JSON.parse(fixture) as Plan;
    resource(plan, "delivery-railway-deploy").steps = ["update"];
    resource(plan, "delivery-app-version-tag").steps = ["create-replacement", "replace", "delete-replaced"];
    const deleted = urnOf(plan, "delivery-production-secret-openai-api-key");
    plan.resourcePlans[deleted] = { steps: ["delete"] };
    resource(plan, "delivery-production-environment").steps = ["same"];
    const ops = Object.fromEntries(parseSavedPlan(JSON.stringify(plan)).changes.map((c) => [c.name, [c.operation, c.properties]]));
    expect(ops).toMatchObject({
      "delivery-railway-deploy": ["update", ["create", "environment", "logging", "triggers"]],
      "delivery-app-version-tag": ["replace", ["push", "registry", "sources", "tag"]],
      "delivery-production-secret-openai-api-key": ["delete", []],
      "delivery-production-environment": ["same", []],
    });
  });

  it("gives a secret output no value", () => {
    const plan = JSON.parse(fixture) as Plan;
    resource(plan, "delivery-pipeline-production").state = {
      version: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:x" },
    };
    const outputs = parseSavedPlan(JSON.stringify(plan)).outputs;
    expect("version" in outputs).toBe(true);
    expect(outputs["version"]).toBeUndefined();
  });

  it("refuses what is not a saved plan, saying what it lacks", () => {
    expect(() => parseSavedPlan("{")).toThrow(/not a saved plan: it is not JSON/);
    expect(() => parseSavedPlan('{"steps": []}')).toThrow(
      /no manifest or resourcePlans \(write one with pulumi preview --save-plan <file>\)/,
    );
  });
});
