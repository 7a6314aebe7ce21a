/** Runs the real program (infra/index.ts) under Pulumi's mocks; call at most once per test file. */
import { projectName } from "../../src/config";
import { runProgram, type ProgramRun } from "../../tools/plan/harness";
import type { InvokeMock, ResourceMock } from "../../tools/plan/harness";
import { planInvokeMock, planResourceMock } from "../../tools/plan/invokes";
import { useStacksDirForSiblings, type StackSettings } from "../../src/config/stackFiles";
import { fixtureStacksDir } from "./stacks";

export function evaluate(
  stack: string,
  settings: StackSettings,
  allowMissingSecrets = false,
  mocks: { invoke?: InvokeMock; resource?: ResourceMock; siblingsDir?: string } = {},
): Promise<ProgramRun> {
  // The other stack the program checks is the tests' own too, never the user's stacks/.
  useStacksDirForSiblings(mocks.siblingsDir ?? fixtureStacksDir);
  return runProgram({
    project: projectName,
    stack,
    settings,
    allowMissingSecrets,
    invoke: mocks.invoke ?? planInvokeMock,
    resource: mocks.resource ?? planResourceMock,
    load: () => import("../../infra/index.js"),
  });
}

export function byType(run: ProgramRun, type: string) {
  return run.resources.filter((r) => r.type === type);
}

export function named(run: ProgramRun, name: string) {
  const found = run.resources.find((r) => r.name === name);
  if (found === undefined) throw new Error(`no resource named ${name}; have: ${run.resources.map((r) => r.name).join(", ")}`);
  return found;
}

/**
 * GitHub's history of a branch for the program's branch-head look-up: the REST
 * data source answers the commit list (newest first, the head first, as
 * GitHub's `GET /repos/{owner}/{repo}/commits` shapes it); anything else as
 * the offline plan answers it.
 */
export function branchHistoryInvoke(
  commits: readonly { readonly sha: string; readonly message: string; readonly parents: readonly string[] }[],
): InvokeMock {
  return (token, inputs) => {
    if (token === "github:index/getRestApi:getRestApi") {
      const body = commits.map((c) => ({ sha: c.sha, commit: { message: c.message }, parents: c.parents.map((sha) => ({ sha })) }));
      return { ...inputs, id: "stand-in-request", code: 200, status: "200 OK", headers: "{}", body: JSON.stringify(body) };
    }
    return planInvokeMock(token, inputs);
  };
}
