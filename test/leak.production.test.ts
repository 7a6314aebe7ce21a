// Every secret set to a value of each leak class in turn (test/helpers/leakValues.ts); the production program run
// under the plan's mocks, its plan printout and files leak no form of any of them.
import { describe, it } from "vitest";
import { assertNoLeaks, catalogValues, leakRun } from "./helpers/leaks";
import { valueClasses } from "./helpers/leakValues";

describe("no secret leaks from production", () => {
  it.each(valueClasses)(
    "%s values stay inside Pulumi secrets: not in inputs, files, commands, outputs, invokes or the plan",
    async (valueClass) => {
      assertNoLeaks("production", await leakRun("production", catalogValues(valueClass)));
    },
  );
});
