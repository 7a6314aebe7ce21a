/** Runs every policy of the pack over a program run's resources, as `pulumi preview --policy-pack` would. */
import type { ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { unknownCheckingProxy } from "./policySdk";
import { policies } from "../../infra/policy/policies";
import type { ProgramRun } from "../../tools/plan/harness";

class NotApplicable extends Error {}
const notApplicable = (reason?: string): never => {
  throw new NotApplicable(reason);
};

/**
 * `config`: what every policy is handed, or, as a `--policy-pack-config` file holds it, one section per policy
 * name (`perPolicy`), each policy getting only its own. Each validation is awaited, as the engine awaits it: a
 * policy that reports after an await, or rejects, counts. `level`: only the policies of that enforcement level.
 */
export async function packViolations(
  run: ProgramRun,
  config: object,
  perPolicy = false,
  level?: "mandatory" | "advisory",
): Promise<string[]> {
  const found: string[] = [];
  for (const policy of policies.filter((p) => level === undefined || p.enforcementLevel === level)) {
    const own: object = perPolicy ? ((config as Readonly<Record<string, object | undefined>>)[policy.name] ?? {}) : config;
    if ("validateStack" in policy) {
      const resources = run.resources.map((r) => ({ type: r.type, name: r.name, urn: r.name, props: unknownCheckingProxy(r.plainInputs) }));
      const stackArgs = { resources, getConfig: () => own } as unknown as StackValidationArgs;
      await policy.validateStack(stackArgs, (message: string) => found.push(`${policy.name}: ${message}`));
      continue;
    }
    const validations = [policy.validateResource].flat();
    for (const resource of run.resources.filter((r) => r.custom)) {
      const args = {
        type: resource.type,
        props: unknownCheckingProxy(resource.plainInputs),
        urn: resource.name,
        name: resource.name,
        getConfig: () => own,
        notApplicable,
      } as unknown as ResourceValidationArgs;
      for (const validate of validations) {
        try {
          await validate?.(args, (message: string) => found.push(`${policy.name} ${resource.name}: ${message}`));
        } catch (error) {
          if (!(error instanceof NotApplicable)) throw error;
        }
      }
    }
  }
  return found;
}
