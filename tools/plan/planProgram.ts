/** Runs the real program for the offline plan, and keeps the spec it declared. */
import { projectName } from "../../src/config";
import type { StackSettings } from "../../src/config/stackFiles";
import type { PipelineSpec } from "../../src/pipeline";
import { runProgram, type ProgramRun } from "./harness";
import { planInvokeMock, planResourceMock } from "./invokes";

/** The entrypoint's export: Pulumi calls it with nothing; the plan hands it a reader for the spec. */
type Entrypoint = (showSpec?: (spec: PipelineSpec) => void) => Promise<Record<string, unknown>>;

/**
 * The program (infra/index.ts) under the mock runtime, with placeholders for
 * unset secrets, GitHub and the registry answered by the plan's stand-ins. The
 * spec is the one the program built: the plan's notes and diagram describe
 * exactly what it declared, and the spec is built once.
 */
export async function runPlanProgram(
  stack: string,
  settings: StackSettings,
  load: () => Promise<{ default: Entrypoint }> = () => import("../../infra/index.js"),
): Promise<{ run: ProgramRun; spec: PipelineSpec }> {
  let spec: PipelineSpec | undefined;
  const run = await runProgram({
    project: projectName,
    stack,
    settings,
    allowMissingSecrets: true,
    invoke: planInvokeMock,
    resource: planResourceMock,
    load: async () => {
      const main = (await load()).default;
      return {
        default: () =>
          main((built) => {
            spec = built;
          }),
      };
    },
  });
  if (spec === undefined) throw new Error("the program declared its pipeline without showing its spec");
  return { run, spec };
}
