// A tag that is not a published release never reaches production.
import { describe, expect, it } from "vitest";
import { productionRefusal, releaseSha } from "../helpers/production";

describe("production and a tag without a release", () => {
  it("refuses it: production ships releases only", async () => {
    expect(await productionRefusal("v9.9.9", [releaseSha])).toMatch(
      /^v9\.9\.9 is not a published release of acme\/learning-voice-agent: production ships releases only/,
    );
  });
});
