import { describe, expect, it } from "vitest";
import { validateStackConfig } from "../../src/config";
import { buildPipelineSpec, planNotes } from "../../src/pipeline";
import { rawConfig, stackWithSecrets } from "../helpers/stacks";

const spec = (stack: string) => buildPipelineSpec(validateStackConfig(rawConfig(stackWithSecrets(stack), stack)).config);

describe("planNotes", () => {
  it("warns that only the delivery App can commit to the protected branch", () => {
    expect(planNotes(spec("staging"))).toEqual([expect.stringContaining("run `pulumi up` as the delivery GitHub App")]);
  });
  it("explains stand-in reviewer ids when the stack has reviewers", () => {
    expect(planNotes(spec("production"))).toHaveLength(2);
    expect(planNotes({ ...spec("production"), files: [] })).toEqual([expect.stringContaining("ids in this plan are stand-ins")]);
  });
});
