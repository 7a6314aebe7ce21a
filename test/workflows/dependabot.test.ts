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
