// The deploy's trigger: the same variables hash the same whatever their order; any changed value changes it.
import { describe, expect, it } from "vitest";
import { variablesHash } from "../../src/railway/variablesHash";

describe("variablesHash", () => {
  it("ignores order and follows every value", () => {
    const hash = variablesHash({ A_KEY: "one", B_KEY: "two" });
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(variablesHash({ B_KEY: "two", A_KEY: "one" })).toBe(hash);
    expect(variablesHash({ A_KEY: "one", B_KEY: "rotated" })).not.toBe(hash);
    expect(variablesHash({ A_KEY: "one" })).not.toBe(hash);
  });
});
