import { describe, expect, it } from "vitest";
import { validateStackConfig } from "../../src/config";
import { buildPipelineSpec, planNotes } from "../../src/pipeline";
import { rawConfig, stackWithSecrets } from "../helpers/stacks";

const spec = (stack: string) => buildPipelineSpec(validateStackConfig(rawConfig(stackWithSecrets(stack), stack)).config);

describe("planNotes", () => {
  it("warns that only the delivery App can commit to the protected branch", () => {
    expect(planNotes(spec("staging"))[0]).toContain("run `pulumi up` as the delivery GitHub App");
  });
  it("explains stand-in reviewer ids when the stack has reviewers", () => {
    expect(planNotes(spec("production"))[1]).toContain("ids in this plan are stand-ins");
    expect(planNotes(spec("staging")).join("\n")).not.toContain("ids in this plan are stand-ins");
  });
  it("says what `pulumi up` ships, and that production promotes staging's build", () => {
    expect(planNotes(spec("staging"))).toContainEqual(expect.stringContaining("ships the head of main"));
    expect(planNotes(spec("production"))).toContainEqual(expect.stringContaining("ships the latest published release"));
    expect(planNotes(spec("production"))).toContainEqual(
      expect.stringContaining("deploys the digest staging verified for the same commit"),
    );
    expect(planNotes(spec("staging"))).not.toContainEqual(expect.stringContaining("staging verified"));
    const pinned = {
      ...spec("staging"),
      ship: { ...spec("staging").ship, revisionSource: { kind: "pinned-tag" as const, tag: "v1.0.0", release: undefined } },
    };
    expect(planNotes(pinned)).toContainEqual(expect.stringContaining("ships the pinned v1.0.0"));
  });
  it("says nothing is built when the stack deploys a given image", () => {
    const imageRef = `docker.io/acme/learning-voice-agent@sha256:${"b".repeat(64)}`;
    const given = { ...spec("staging"), ship: { ...spec("staging").ship, imageSource: { kind: "given" as const, imageRef } } };
    expect(planNotes(given)).toContainEqual(`Nothing is built: the stack deploys ${imageRef} (deployImage).`);
    expect(planNotes(spec("staging")).join("\n")).not.toContain("Nothing is built");
  });
});
