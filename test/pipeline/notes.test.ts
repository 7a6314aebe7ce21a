import { describe, expect, it } from "vitest";
import { validateStackConfig } from "../../src/config";
import { bakeNote, buildPipelineSpec, planNotes, type PipelineSpec } from "../../src/pipeline";
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
  it("says what the bake window watches, its thresholds and how to tune it, from the stack's own settings", () => {
    expect(planNotes(spec("staging"))).toContain(bakeNote(spec("staging")));
    expect(bakeNote(spec("staging"))).toBe(
      "Bake: for 300 s after go-live the deploy compares the new deployment's 5xx ratio and p95 latency (Railway's HTTP metrics) with the " +
        "previous deployment's last 300 s, and rolls it back above +1 percentage points of 5xx (bakeMaxErrorRateIncrease) or 1.5x its p95 " +
        "(bakeMaxLatencyRatio). Fewer than 50 requests (bakeMinRequests) is inconclusive, which passes (bakeInconclusive). Staging marks the " +
        "digest verified only after its bake passes or is inconclusive. Tune: pulumi config set bakeSeconds <0-3600> --stack staging; docs/railway.md §13.",
    );
    const tuned = (bake: PipelineSpec["ship"]["deploy"]["bake"]): PipelineSpec => ({
      ...spec("production"),
      ship: { ...spec("production").ship, deploy: { ...spec("production").ship.deploy, bake } },
    });
    const strict = bakeNote(tuned({ seconds: 600, maxErrorRateIncrease: 0.07, maxLatencyRatio: 2, minRequests: 10, inconclusive: "fail" }));
    expect(strict).toContain("for 600 s after go-live");
    expect(strict).toContain("above +7 percentage points");
    expect(strict).toContain("which fails and rolls back (bakeInconclusive)");
    expect(strict).not.toContain("Staging marks");
    expect(bakeNote(tuned({ seconds: 0, maxErrorRateIncrease: 0.01, maxLatencyRatio: 1.5, minRequests: 50, inconclusive: "pass" }))).toBe(
      "No bake window (bakeSeconds 0): a deployment that passes its health check stays live. To watch it: pulumi config set bakeSeconds <0-3600> --stack production",
    );
  });
  it("says nothing is built when the stack deploys a given image", () => {
    const imageRef = `docker.io/acme/learning-voice-agent@sha256:${"b".repeat(64)}`;
    const given = { ...spec("staging"), ship: { ...spec("staging").ship, imageSource: { kind: "given" as const, imageRef } } };
    expect(planNotes(given)).toContainEqual(`Nothing is built: the stack deploys ${imageRef} (deployImage).`);
    expect(planNotes(spec("staging")).join("\n")).not.toContain("Nothing is built");
  });
});
