import { unknownCheckingProxy, UnknownValueError } from "../helpers/policySdk";
// What the engine sends for a value not known until the update (the wire sentinel).
import { unknownValue as unknownStringValue } from "@pulumi/pulumi/runtime/rpc";
import { describe, expect, it } from "vitest";
import { knownValues } from "../../infra/policy/knownValues";
import { unknownValue } from "../../src/policies/checks";

describe("knownValues", () => {
  it("copies what the SDK's proxy lets through and marks what it would throw on", () => {
    const props = unknownCheckingProxy({
      a: "x",
      n: 3,
      nested: { id: unknownStringValue, list: [1, unknownStringValue] },
      tags: [unknownStringValue],
    });
    expect(() => (props as { nested: { id: unknown } }).nested.id).toThrow(UnknownValueError);
    expect(knownValues(props)).toEqual({ a: "x", n: 3, nested: { id: unknownValue, list: [1, unknownValue] }, tags: [unknownValue] });
  });

  it("passes other errors on", () => {
    const hostile = new Proxy(
      { k: 1 },
      {
        get: () => {
          throw new TypeError("boom");
        },
      },
    );
    expect(() => knownValues(hostile)).toThrow("boom");
  });
});
