/** Runs every resource policy of the pack over a program run's resources, as `pulumi preview --policy-pack` would. */
import type { ResourceValidationArgs } from "@pulumi/policy";
import { policies } from "../../infra/policy/policies";
import type { ProgramRun } from "../../src/plan/harness";

export function packViolations(run: ProgramRun, config: object): string[] {
  const found: string[] = [];
  for (const policy of policies) {
    if (!("validateResource" in policy)) continue;
    const validations = [(policy).validateResource].flat();
    for (const resource of run.resources.filter((r) => r.custom)) {
      const args = { type: resource.type, props: resource.plainInputs, urn: resource.name, name: resource.name, getConfig: () => config } as unknown as ResourceValidationArgs;
      for (const validate of validations) void validate?.(args, (message: string) => found.push(`${policy.name} ${resource.name}: ${message}`));
    }
  }
  return found;
}
