import { describe, expect, it } from "vitest";
import { workflowPaths } from "../../src/workflows/settings";

describe("workflowPaths", () => {
  it("puts every workflow where GitHub runs it and Dependabot's config where Dependabot reads it, each path once", () => {
    const { dependabot, ...workflows } = workflowPaths;
    expect(dependabot).toBe(".github/dependabot.yml");
    for (const path of Object.values(workflows)) expect(path).toMatch(/^\.github\/workflows\/[a-z-]+\.yml$/);
    expect(new Set(Object.values(workflowPaths)).size).toBe(Object.keys(workflowPaths).length);
  });
});
