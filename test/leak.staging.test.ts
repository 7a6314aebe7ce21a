// Every secret set to a sentinel; the staging program run under mocks and its plan printout leak none of them.
import { beforeAll, describe, expect, it } from "vitest";
import type { ProgramRun } from "../tools/plan/harness";
import { assertNoLeaks, consumedBy } from "./helpers/leaks";
import { evaluate } from "./helpers/program";
import { stackWithSecrets } from "./helpers/stacks";

let run: ProgramRun;
beforeAll(async () => {
  // With a private image, so the read-only pull token Railway gets is checked too.
  run = await evaluate("staging", stackWithSecrets("staging", undefined, { privateImageRepository: "true" }));
});

describe("no secret leaks from staging", () => {
  it("every sentinel stays inside Pulumi secrets: not in inputs, files, commands, outputs or the plan", () => {
    expect(assertNoLeaks(run)).toEqual([...consumedBy.staging]);
  });
});
