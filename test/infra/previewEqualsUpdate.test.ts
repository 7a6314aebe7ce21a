// An unchanged stack must preview with no changes: every input the program declares is the same
// in a preview (Pulumi's dry run) and in an update. Otherwise every preview shows a change, every
// deploy rebuilds the image and the nightly drift check can never pass.
import { describe, expect, it } from "vitest";
import { evaluated } from "../helpers/evaluation";
import { stackWithSecrets } from "../helpers/stacks";

describe.each(["staging", "production"])("%s in preview and in update mode", (stack) => {
  it("declares the same resources with the same inputs, secrets included (compared by hash)", async () => {
    const settings = stackWithSecrets(stack);
    const preview = await evaluated(stack, settings, true);
    const update = await evaluated(stack, settings, false);
    const shape = (run: typeof preview) =>
      run.resources
        .map((r) => ({ type: r.type, name: r.name, inputs: r.inputs, plainHash: r.plainHash }))
        .sort((a, b) => a.name.localeCompare(b.name));
    expect(shape(preview)).toEqual(shape(update));
    expect(preview.resources.length).toBeGreaterThan(20);
  }, 60_000);
});
