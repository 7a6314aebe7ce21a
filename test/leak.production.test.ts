// Every secret set to a sentinel; the production program run under mocks and its plan printout leak none of them.
import { beforeAll, describe, expect, it } from "vitest";
import type { ProgramRun } from "../tools/plan/harness";
import { assertNoLeaks, consumedBy } from "./helpers/leaks";
import { evaluate } from "./helpers/program";
import { stackWithSecrets } from "./helpers/stacks";

let run: ProgramRun;
beforeAll(async () => {
  run = await evaluate("production", stackWithSecrets("production"));
});

describe("no secret leaks from production", () => {
  it("every sentinel stays inside Pulumi secrets: not in inputs, files, commands, outputs or the plan", () => {
    expect(assertNoLeaks(run)).toEqual([...consumedBy.production]);
  });
});
