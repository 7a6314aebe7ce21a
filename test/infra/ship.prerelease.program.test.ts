// A pre-release handed to production is refused before anything exists, unless allowPrerelease.
import { describe, expect, it } from "vitest";
import { prereleaseTag, productionRefusal, releaseSha } from "../helpers/production";

describe("production and a pre-release", () => {
  it("refuses it, with the setting that allows it", async () => {
    expect(await productionRefusal(prereleaseTag, [releaseSha])).toBe(
      `${prereleaseTag} is a pre-release of acme/learning-voice-agent: production does not ship pre-releases. Publish it as a full release, or allow pre-releases: pulumi config set allowPrerelease true --stack production`,
    );
  });
});
