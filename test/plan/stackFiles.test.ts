import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readStackSettings } from "../../src/config/stackFiles";
import { redactWire, unwrapWire } from "../../tools/plan/recorder";
import { projectDir } from "../helpers/stacks";

describe("readStackSettings", () => {
  it("overlays the stack file on Pulumi.yaml's defaults, as strings, and treats secure values as set secrets", () => {
    const dir = mkdtempSync(join(tmpdir(), "stacks-"));
    writeFileSync(
      join(dir, "Pulumi.staging.yaml"),
      [
        "config:",
        "  delivery-pipeline:coverageMinimum: 85",
        "  delivery-pipeline:platforms: [linux/amd64]",
        "  delivery-pipeline:railwayToken:",
        "    secure: v1:abcdef",
        "  github:owner: acme",
        "",
      ].join("\n"),
    );
    const settings = readStackSettings(projectDir, "staging", dir);
    expect(settings.config["delivery-pipeline:coverageMinimum"]).toBe("85");
    expect(settings.config["delivery-pipeline:platforms"]).toBe('["linux/amd64"]');
    expect(settings.config["delivery-pipeline:healthCheckPath"]).toBe("/health");
    expect(settings.config["delivery-pipeline:appRevision"]).toBe("");
    expect(settings.config["github:owner"]).toBe("acme");
    expect(settings.secretKeys).toEqual(["delivery-pipeline:railwayToken"]);
    expect(JSON.stringify(settings)).not.toContain("v1:abcdef");
  });

  it("reads an empty stack file as no settings", () => {
    const dir = mkdtempSync(join(tmpdir(), "stacks-"));
    writeFileSync(join(dir, "Pulumi.production.yaml"), "");
    expect(readStackSettings(projectDir, "production", dir).secretKeys).toEqual([]);
  });
});

describe("wire recording", () => {
  const secret = (value: unknown) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });
  const wire = { a: secret("s1"), b: [1, secret("s2")], c: { d: secret({ e: "s3" }) }, f: "plain" };

  it("redacts every secret and names its path", () => {
    const paths: string[] = [];
    expect(redactWire(wire, "", paths)).toEqual({ a: "[secret]", b: [1, "[secret]"], c: { d: "[secret]" }, f: "plain" });
    expect(paths).toEqual(["a", "b[1]", "c.d"]);
  });

  it("unwraps secrets into plain values for the mock provider's view", () => {
    expect(unwrapWire(wire)).toEqual({ a: "s1", b: [1, "s2"], c: { d: { e: "s3" } }, f: "plain" });
  });
});
