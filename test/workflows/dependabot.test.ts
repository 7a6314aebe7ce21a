import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { dependabotConfig, dependabotCooldownDays } from "../../src/workflows/dependabot";
import { renderYaml } from "../../src/workflows/render";

interface Update {
  "package-ecosystem": string;
  schedule: { interval: string };
  cooldown: { "default-days": number };
}

describe("dependabotConfig", () => {
  it("updates pip, Docker and Actions weekly, each after the cooldown", () => {
    const updates = (dependabotConfig()["updates"] ?? []) as Update[];
    expect(updates.map((u) => u["package-ecosystem"])).toEqual(["pip", "docker", "github-actions"]);
    for (const u of updates) {
      expect(u.schedule).toEqual({ interval: "weekly" });
      expect(u.cooldown).toEqual({ "default-days": dependabotCooldownDays });
    }
    expect(dependabotCooldownDays).toBeGreaterThanOrEqual(7);
  });

  it("renders without anchors or aliases although the entries share their schedule and cooldown objects", () => {
    const text = renderYaml(dependabotConfig(), "regen");
    expect(text).not.toMatch(/[&*]\w/);
    expect(parse(text)).toEqual(JSON.parse(JSON.stringify(dependabotConfig())));
  });
});

describe("renderYaml", () => {
  it("renders each document as it is now: a changed value or header is rendered afresh, an unchanged one the same", () => {
    const config = dependabotConfig();
    const first = renderYaml(config, "regen");
    expect(renderYaml(dependabotConfig(), "regen")).toBe(first);
    const changed = { ...config, version: 3 };
    expect(renderYaml(changed, "regen")).toContain("version: 3");
    expect(renderYaml(config, "npm run other")).toContain("#   npm run other");
    expect(renderYaml(config, "regen")).toBe(first);
  });
});
