// The leak tests cover every secret of the catalog; error messages and the offline plan never show a value.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, secretKeys, validateStackConfig } from "../src/config";
import { consumedBy } from "./helpers/leaks";
import { planInProcess } from "./helpers/tool";
import { fixtureStacksDir, rawConfig, sentinel, stackWithSecrets } from "./helpers/stacks";

describe("leak coverage", () => {
  it("the two stacks' leak tests together consume every secret the catalog defines", () => {
    expect(new Set([...consumedBy.staging, ...consumedBy.production])).toEqual(new Set(secretKeys));
  });

  it("an error about a secret never shows its value", () => {
    const settings = stackWithSecrets("staging", []);
    const raw = rawConfig(settings, "staging");
    const leaked = { ...raw, values: { ...raw.values, railwayToken: sentinel("railwayToken"), repository: "bad repo" } };
    let message = "";
    try {
      validateStackConfig(leaked);
    } catch (error) {
      message = (error as ConfigError).message;
    }
    expect(message).toContain("railwayToken");
    expect(message).not.toContain(sentinel("railwayToken"));
  });

  it("the offline plan of a stack file with a secret in plain text stops without printing it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "stacks-"));
    const text =
      readFileSync(join(fixtureStacksDir, "Pulumi.staging.yaml"), "utf8") +
      `  delivery-pipeline:openaiApiKey: ${sentinel("openaiApiKey")}\n`;
    writeFileSync(join(dir, "Pulumi.staging.yaml"), text);
    const result = await planInProcess(["--stack", "staging", "--stacks-dir", dir, "--out", join(dir, "out")]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("openaiApiKey");
    expect(result.stdout + result.stderr).not.toContain(sentinel("openaiApiKey"));
  });
});
