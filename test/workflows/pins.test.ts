import { describe, expect, it } from "vitest";
import { actionNames, pinnedUses, pins } from "../../src/workflows/pins";

// What the repository allows is what the workflows run, not the pin table: allowedActions.test.ts.
describe("the pin table", () => {
  it("pins every action to a full 40-character SHA with its tag", () => {
    for (const name of actionNames) {
      expect(pins[name]?.sha, name).toMatch(/^[0-9a-f]{40}$/);
      expect(pins[name]?.version, name).toMatch(/^v\d+/);
      expect(pinnedUses(name)).toBe(`${name}@${pins[name]?.sha ?? ""}`);
    }
  });
});
