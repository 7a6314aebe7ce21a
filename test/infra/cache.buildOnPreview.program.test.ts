// buildImageOnPreview: previews build the image, so the builds they run must not write the shared registry cache
// (docker-build keeps cacheTo in a preview build; it only turns push off). Checked in Pulumi's dry run and in an update.
import { beforeAll, describe, expect, it } from "vitest";
import { evaluated, type EvaluationSummary } from "../helpers/evaluation";
import { stackWithSecrets } from "../helpers/stacks";

type Inputs = Readonly<Record<string, unknown>>;
const settings = stackWithSecrets("staging", undefined, { buildImageOnPreview: "true" });
let preview: EvaluationSummary;
let update: EvaluationSummary;
beforeAll(async () => {
  preview = await evaluated("staging", settings, true);
  update = await evaluated("staging", settings, false);
}, 60_000);

const images = (run: EvaluationSummary) => run.resources.filter((r) => r.type === "docker-build:index:Image");
const cacheRefs = (inputs: Inputs): string[] =>
  ((inputs["cacheTo"] ?? []) as { registry?: { ref?: string } }[]).map((c) => String(c.registry?.ref));

describe("staging with buildImageOnPreview", () => {
  it("no build that runs in a preview writes the cache", () => {
    const previewBuilds = images(preview).filter((r) => r.inputs["buildOnPreview"] === true);
    expect(previewBuilds.map((r) => r.name).sort()).toEqual(["delivery-app-image-amd64", "delivery-app-image-arm64"]);
    for (const build of previewBuilds) expect(cacheRefs(build.inputs), build.name).toEqual([]);
  });

  it("updates still write each platform's cache, from a cache-only build that never runs in a preview or pushes", () => {
    const writers = images(update).filter((r) => cacheRefs(r.inputs).length > 0);
    expect(writers.flatMap((r) => cacheRefs(r.inputs)).sort()).toEqual([
      "docker.io/acme/learning-voice-agent:buildcache-amd64",
      "docker.io/acme/learning-voice-agent:buildcache-arm64",
    ]);
    for (const writer of writers) {
      expect(writer.inputs, writer.name).toMatchObject({ buildOnPreview: false, push: false, exports: [{ cacheonly: {} }] });
      expect(writer.inputs["tags"], writer.name).toBeUndefined();
    }
  });

  it("declares the same inputs in the preview and the update (an unchanged stack previews with no changes)", () => {
    const shape = (run: EvaluationSummary) =>
      run.resources.map((r) => ({ name: r.name, inputs: r.inputs, plainHash: r.plainHash })).sort((a, b) => a.name.localeCompare(b.name));
    expect(shape(preview)).toEqual(shape(update));
  });
});
