// A pinned appRevision that contradicts the workflow's revision stops the run instead of shipping something else.
import { describe, expect, it } from "vitest";
import { productionRefusal, releaseSha, releaseTag } from "../helpers/production";

describe("production with a pin and a handed-over tag that differ", () => {
  it("refuses, with the command that removes the pin", async () => {
    expect(await productionRefusal(releaseTag, [releaseSha], { appRevision: "v1.0.0" })).toMatch(
      /appRevision = "v1\.0\.0" pins another revision than the one the workflow ran for[\s\S]*pulumi config rm appRevision --stack production/,
    );
  });
});
