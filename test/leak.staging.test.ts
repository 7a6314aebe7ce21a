// Every secret set to a value of a leak class, the classes rotating across runs (leakTurns in test/helpers/leaks.ts);
// the staging program run under the plan's mocks, its plan printout and files leak no form of any value.
import { describe, it } from "vitest";
import { assertNoLeaks, catalogValues, leakRun, leakTurns } from "./helpers/leaks";

describe("no secret leaks from staging", () => {
  it.each(leakTurns.staging)(
    "turn %i: every value stays inside Pulumi secrets: not in inputs, files, commands, outputs, invokes or the plan",
    async (turn) => {
      // With a private image, so the read-only pull token Railway gets is checked too.
      assertNoLeaks("staging", await leakRun("staging", catalogValues(turn), { privateImageRepository: "true" }));
    },
  );
});
