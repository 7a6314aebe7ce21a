// Every secret set to a value of each leak class in turn (test/helpers/leakValues.ts); the staging program run under
// the plan's mocks, its plan printout and files leak no form of any of them.
import { describe, it } from "vitest";
import { assertNoLeaks, catalogValues, leakRun } from "./helpers/leaks";
import { valueClasses } from "./helpers/leakValues";

describe("no secret leaks from staging", () => {
  it.each(valueClasses)(
    "%s values stay inside Pulumi secrets: not in inputs, files, commands, outputs, invokes or the plan",
    async (valueClass) => {
      // With a private image, so the read-only pull token Railway gets is checked too.
      assertNoLeaks("staging", await leakRun("staging", catalogValues(valueClass), { privateImageRepository: "true" }));
    },
  );
});
