/** Runs every policy of the pack over a program run's resources, as `pulumi preview --policy-pack` would. */
import type { ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { unknownCheckingProxy } from "./policySdk";
import { policies } from "../../infra/policy/policies";
import type { ProgramRun } from "../../tools/plan/harness";

class NotApplicable extends Error {}
const notApplicable = (reason?: string): never => {
  throw new NotApplicable(reason);
};

export function packViolations(run: ProgramRun, config: object): string[] {
  const found: string[] = [];
  for (const policy of policies) {
    if ("validateStack" in policy) {
      const resources = run.resources.map((r) => ({ type: r.type, name: r.name, urn: r.name, props: unknownCheckingProxy(r.plainInputs) }));
      const stackArgs = { resources, getConfig: () => config } as unknown as StackValidationArgs;
      void policy.validateStack(stackArgs, (message: string) => found.push(`${policy.name}: ${message}`));
      continue;
    }
    const validations = [policy.validateResource].flat();
    for (const resource of run.resources.filter((r) => r.custom)) {
      const args = { type: resource.type, props: unknownCheckingProxy(resource.plainInputs), urn: resource.name, name: resource.name, getConfig: () => config, notApplicable } as unknown as ResourceValidationArgs;
      for (const validate of validations) {
        try {
          void validate?.(args, (message: string) => found.push(`${policy.name} ${resource.name}: ${message}`));
        } catch (error) {
          if (!(error instanceof NotApplicable)) throw error;
        }
      }
    }
  }
  return found;
}
