import { describe, expect, it } from "vitest";
import { deployTimeoutMinutes } from "../../src/workflows/files";
import { workflowPaths } from "../../src/workflows/settings";

describe("workflowPaths", () => {
  it("puts every workflow where GitHub runs it and Dependabot's config where Dependabot reads it, each path once", () => {
    const { dependabot, ...workflows } = workflowPaths;
    expect(dependabot).toBe(".github/dependabot.yml");
    for (const path of Object.values(workflows)) expect(path).toMatch(/^\.github\/workflows\/[a-z-]+\.yml$/);
    expect(new Set(Object.values(workflowPaths)).size).toBe(Object.keys(workflowPaths).length);
  });
});

describe("deployTimeoutMinutes", () => {
  it("allows a deployment, a rollback and the bake window, plus 30 minutes, and stays within GitHub's 360-minute job limit", () => {
    // The defaults: (600 + 300 + 120) s twice, and a 300 s bake.
    expect(deployTimeoutMinutes({ healthCheckTimeoutSeconds: 300, bakeSeconds: 300 })).toBe(69);
    expect(deployTimeoutMinutes({ healthCheckTimeoutSeconds: 300, bakeSeconds: 0 })).toBe(64);
    expect(deployTimeoutMinutes({ healthCheckTimeoutSeconds: 3600, bakeSeconds: 3600 })).toBe(234);
    expect(deployTimeoutMinutes({ healthCheckTimeoutSeconds: 3600, bakeSeconds: 3600 })).toBeLessThanOrEqual(360);
  });
});
