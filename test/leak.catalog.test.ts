// The leak tests cover every secret of the catalog; error messages and the offline plan never show any form of a value.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, secretKeys, validateStackConfig } from "../src/config";
import { catalogValues, consumedBy, leakTurns, notConsumedBy } from "./helpers/leaks";
import { describeLeaks, findLeaks, leakValue, valueClasses } from "./helpers/leakValues";
import { planInProcess } from "./helpers/tool";
import { fixtureStacksDir, rawConfig, stackWithSecrets } from "./helpers/stacks";

describe("leak coverage", () => {
  it("the two stacks' leak tests together consume every secret the catalog defines", () => {
    const unchecked = secretKeys.filter((k) => !consumedBy("staging").includes(k) && !consumedBy("production").includes(k));
    expect(
      unchecked,
      `no leak test consumes ${unchecked.join(", ")}: at most one stack may list it in notConsumedBy (test/helpers/leaks.ts)`,
    ).toEqual([]);
    const stale = [...notConsumedBy.staging, ...notConsumedBy.production].filter((k) => !(secretKeys as readonly string[]).includes(k));
    expect(stale, `notConsumedBy (test/helpers/leaks.ts) names ${stale.join(", ")}, no longer in the catalog: remove it`).toEqual([]);
  });

  it("the stacks' turns give every secret both consume each class once, and every secret three classes in each stack", () => {
    const met = (stack: "staging" | "production"): Map<string, Set<string>> => {
      const classes = new Map<string, Set<string>>(consumedBy(stack).map((k) => [k, new Set()]));
      for (const turn of leakTurns[stack]) for (const v of catalogValues(turn)) classes.get(v.key)?.add(v.valueClass);
      return classes;
    };
    const [staging, production] = [met("staging"), met("production")];
    for (const [key, classes] of [...staging, ...production]) expect(classes.size, key).toBe(3);
    for (const key of consumedBy("staging").filter((k) => consumedBy("production").includes(k))) {
      expect(new Set([...(staging.get(key) ?? []), ...(production.get(key) ?? [])]), key).toEqual(new Set(valueClasses));
    }
  });

  it.each(valueClasses)("an error about a secret never shows its %s value", (valueClass) => {
    const value = leakValue("railwayToken", valueClass);
    const raw = rawConfig(stackWithSecrets("staging", []), "staging");
    let message = "";
    try {
      validateStackConfig({ ...raw, values: { ...raw.values, railwayToken: value.value, repository: "bad repo" } });
    } catch (error) {
      message = (error as ConfigError).message;
    }
    expect(message).toContain("railwayToken");
    expect(findLeaks(message, [value]), describeLeaks(findLeaks(message, [value]))).toEqual([]);
  });

  it.each(valueClasses)("the offline plan of a stack file with a %s secret in plain text stops without printing it", async (valueClass) => {
    const value = leakValue("openaiApiKey", valueClass);
    const dir = mkdtempSync(join(tmpdir(), "stacks-"));
    try {
      // A JSON string is a YAML double-quoted scalar: the value reaches the plan exactly as given.
      const text =
        readFileSync(join(fixtureStacksDir, "Pulumi.staging.yaml"), "utf8") +
        `  delivery-pipeline:openaiApiKey: ${JSON.stringify(value.value)}\n`;
      writeFileSync(join(dir, "Pulumi.staging.yaml"), text);
      const result = await planInProcess(["--stack", "staging", "--stacks-dir", dir, "--out", join(dir, "out")]);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain("openaiApiKey");
      const output = result.stdout + result.stderr;
      expect(findLeaks(output, [value]), describeLeaks(findLeaks(output, [value]))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
