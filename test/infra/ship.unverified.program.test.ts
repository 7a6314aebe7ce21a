// A release whose commit staging never verified is refused, not rebuilt behind staging's back.
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { productionRefusal, releaseTag } from "../helpers/production";

describe("production and a commit staging never verified", () => {
  it("names the missing tag and both ways out, and declares nothing of the pipeline", async () => {
    expect(await productionRefusal(releaseTag, [])).toMatch(
      /will not ship v1\.4\.2: staging never verified commit 89abcdef0123456789abcdef0123456789abcdef \(v1\.4\.2\): docker\.io\/acme\/learning-voice-agent:verified-sha-89abcdef0123456789abcdef0123456789abcdef is not in the registry[\s\S]*pulumi config set buildUnverifiedRelease true --stack production/,
    );
    const monitor = pulumi.runtime.getMonitor() as unknown as { resources: Map<string, { urn: string }> };
    const urns = [...monitor.resources.values()].map((r) => r.urn);
    // The two providers the look-ups need, nothing else.
    expect(urns.every((urn) => urn.includes("::pulumi:providers:"))).toBe(true);
  });
});
