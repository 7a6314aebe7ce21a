// How a problem is printed: key, value, what is wrong, allowed and fix, and never a megabyte of what the user wrote.
import { describe, expect, it } from "vitest";
import { ConfigError, formatProblem } from "../../src/config";
import { capped, printedTextLength, printedValueLength, shownValue } from "../../src/config/errors";

describe("formatProblem", () => {
  it("prints the key, the quoted value, what is wrong, what is allowed and the fix", () => {
    expect(
      formatProblem({ key: "healthCheckPath", value: "health", allowed: "a path", fix: "pulumi config set healthCheckPath /health" }),
    ).toBe(
      '  - healthCheckPath = "health" is not allowed.\n      allowed: a path\n      fix:     pulumi config set healthCheckPath /health',
    );
    expect(formatProblem({ key: "repository", value: undefined, allowed: "owner/name", fix: "set it", message: "is not set" })).toBe(
      "  - repository is not set.\n      allowed: owner/name\n      fix:     set it",
    );
  });

  it("cuts a long value after its first characters and says how long it was", () => {
    const value = "x".repeat(1024 * 1024);
    const text = formatProblem({
      key: "unknownKey",
      value,
      allowed: "only the keys listed in Pulumi.yaml",
      fix: "pulumi config rm unknownKey",
    });
    expect(text.length).toBeLessThan(600);
    expect(text).toContain(`"${"x".repeat(printedValueLength)}"… (1048576 characters; the first ${printedValueLength} shown)`);
    expect(text).toContain("allowed: only the keys listed in Pulumi.yaml");
    expect(text).toContain("fix:     pulumi config rm unknownKey");
  });

  it("cuts a huge key, and any part that quotes a huge value, too", () => {
    const key = "k".repeat(5000);
    const text = formatProblem({ key, value: "v", allowed: "a".repeat(10_000), fix: `pulumi config rm ${key}`, message: "m".repeat(3000) });
    expect(text.length).toBeLessThan(3 * printedTextLength + printedValueLength + 400);
    expect(text).toContain(`${"k".repeat(printedValueLength)}… (5000 characters; the first ${printedValueLength} shown)`);
    expect(text).toContain(`… (10000 characters; the first ${printedTextLength} shown)`);
  });

  it("leaves what fits as it is", () => {
    expect(capped("short", 10)).toBe("short");
    expect(capped("0123456789", 10)).toBe("0123456789");
    expect(capped("0123456789a", 10)).toBe("0123456789… (11 characters; the first 10 shown)");
    expect(shownValue('a"b')).toBe('"a\\"b"');
  });

  it("keeps a ConfigError about a 1 MB value short, with every problem in it", () => {
    const error = new ConfigError("staging", [
      { key: "bigKey", value: "y".repeat(1_000_000), allowed: "x", fix: "pulumi config rm bigKey --stack staging" },
      { key: "healthCheckPath", value: "health", allowed: "a path", fix: "pulumi config set healthCheckPath /health --stack staging" },
    ]);
    expect(error.message.length).toBeLessThan(1000);
    expect(error.message).toContain("2 problems");
    expect(error.message).toContain("(1000000 characters; the first 200 shown)");
    expect(error.message).toContain('healthCheckPath = "health"');
  });
});
