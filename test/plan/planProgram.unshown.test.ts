// A program that declares without showing its spec leaves the plan nothing to describe: it says so.
import { describe, expect, it } from "vitest";
import { runPlanProgram } from "../../tools/plan/planProgram";
import { stackWithSecrets } from "../helpers/stacks";

describe("runPlanProgram with an entrypoint that shows no spec", () => {
  it("fails naming the missing spec", async () => {
    const silent = () => Promise.resolve({ default: () => Promise.resolve({}) });
    await expect(runPlanProgram("staging", stackWithSecrets("staging"), silent)).rejects.toThrow(
      "the program declared its pipeline without showing its spec",
    );
  });
});
