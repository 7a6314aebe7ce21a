/** Declares components directly under Pulumi's mocks (not the whole program), and records what they register. */
import { runProgram, type ProgramRun } from "../../tools/plan/harness";
import { planInvokeMock, planResourceMock } from "../../tools/plan/invokes";

/** At most once per test file: the Pulumi runtime keeps global state. GitHub and the registry answer as in the offline plan. */
export function declareUnderMocks(declare: () => Promise<void> | void): Promise<ProgramRun> {
  return runProgram({
    project: "components",
    stack: "test",
    settings: { config: {}, secretKeys: [] },
    allowMissingSecrets: false,
    invoke: planInvokeMock,
    resource: planResourceMock,
    load: async () => {
      await declare();
      return {};
    },
  });
}
