// Every secret set to a value of a leak class, the classes rotating across runs (leakTurns in test/helpers/leaks.ts);
// the production program run under the plan's mocks, its plan printout and files leak no form of any value.
import { describe, it } from "vitest";
import { assertNoLeaks, catalogValues, leakRun, leakTurns } from "./helpers/leaks";

describe("no secret leaks from production", () => {
  it.each(leakTurns.production)(
    "turn %i: every value stays inside Pulumi secrets: not in inputs, files, commands, outputs, invokes or the plan",
    async (turn) => {
      assertNoLeaks("production", await leakRun("production", catalogValues(turn)));
    },
  );
});
