// The program has no offline mode: a variable left set in a shell or CI job cannot make it run without secrets, or publish placeholders.
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { MissingSecretsError } from "../../src/config";
import { fixtureSettings, writeFixtureStackFile } from "../helpers/fixtureConfig";
import { evaluate } from "../helpers/program";
import { projectDir } from "../helpers/stacks";

describe("program without its secrets", () => {
  it("stops even with the old offline switch set in the environment", async () => {
    process.env["DELIVERY_PIPELINE_OFFLINE_PLAN"] = "1";
    const dir = mkdtempSync(join(tmpdir(), "stacks-offline-"));
    writeFixtureStackFile(dir, "production");
    const settings = fixtureSettings("staging");
    const without = {
      config: Object.fromEntries(Object.entries(settings.config).filter(([k]) => k !== "delivery-pipeline:openaiApiKey")),
      secretKeys: settings.secretKeys.filter((k) => k !== "delivery-pipeline:openaiApiKey"),
    };
    const error: unknown = await evaluate("staging", without, false, { siblingsDir: dir }).catch((e: unknown) => e);
    expect(pulumi.RunError.isInstance(error)).toBe(true);
    expect((error as Error).cause).toBeInstanceOf(MissingSecretsError);
    expect(((error as Error).cause as MissingSecretsError).commands).toEqual(["pulumi config set --secret openaiApiKey --stack staging"]);
  });

  it("reads no environment switch and holds no placeholder value", () => {
    for (const file of readdirSync(join(projectDir, "infra")).filter((f) => f.endsWith(".ts"))) {
      const text = readFileSync(join(projectDir, "infra", file), "utf8");
      // The one use allowed: the identity rules learn nothing from the plan's placeholder, so stackConfig.ts skips it by name.
      const skips = "value === unsetSecretPlaceholder";
      const uses = text.split("unsetSecretPlaceholder").length - 1;
      if (file === "stackConfig.ts") {
        expect(text).toContain(skips);
        // Imported, and compared once: never published, never handed on.
        expect(uses).toBe(2);
      }
      expect(text.replace(skips, "").replace(/import \{[^}]*\bunsetSecretPlaceholder\b[^}]*\} from [^;]+;/, ""), file).not.toMatch(
        /OFFLINE|offlinePlan|<not set>|Placeholder/,
      );
    }
  });
});
