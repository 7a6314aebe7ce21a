// The offline plan hands the program a secret placeholder, as config, for each secret not set yet, and nothing else.
import { describe, expect, it } from "vitest";
import { projectName } from "../../src/config";
import { unsetSecretPlaceholder, withPlaceholderSecrets } from "../../tools/plan/harness";
import { fixtureSettings } from "../helpers/fixtureConfig";

describe("withPlaceholderSecrets", () => {
  it("adds exactly the missing secrets, as secrets", () => {
    const settings = fixtureSettings("production");
    const key = `${projectName}:railwayToken`;
    const without = {
      config: Object.fromEntries(Object.entries(settings.config).filter(([k]) => k !== key)),
      secretKeys: settings.secretKeys.filter((k) => k !== key),
    };
    const planned = withPlaceholderSecrets(projectName, "production", without);
    expect(planned.config[key]).toBe(unsetSecretPlaceholder);
    expect(planned.secretKeys).toContain(key);
    expect(Object.keys(planned.config).length).toBe(Object.keys(without.config).length + 1);
  });

  it("leaves invalid settings for the program to report", () => {
    const settings = fixtureSettings("production", { repository: "not valid" });
    expect(withPlaceholderSecrets(projectName, "production", settings)).toBe(settings);
  });
});
