// Where the image build clones the app repository from: github.com for GitHub's API, the Enterprise
// Server's own host (API under /api/v3/) for any other GITHUB_BASE_URL, as the GitHub provider reads it.
import { describe, expect, it } from "vitest";
import { buildShipSpec, githubWebRoot } from "../../src/shipping";
import { validateStackConfig } from "../../src/config";
import { rawConfig, stackWithSecrets } from "../helpers/stacks";

describe("githubWebRoot", () => {
  it.each([
    [undefined, "https://github.com/"],
    ["https://api.github.com/", "https://github.com/"],
    ["https://api.github.com", "https://github.com/"],
    ["https://ghe.acme.com/api/v3/", "https://ghe.acme.com/"],
    ["https://ghe.acme.com/api/v3", "https://ghe.acme.com/"],
    ["https://ghe.acme.com/", "https://ghe.acme.com/"],
    ["http://127.0.0.1:4000/", "http://127.0.0.1:4000/"],
  ])("%s serves git at %s", (base, root) => {
    expect(githubWebRoot(base)).toBe(root);
  });

  it("names the clone URL and the OCI source label from it", () => {
    const config = validateStackConfig(rawConfig(stackWithSecrets("staging"), "staging")).config;
    expect(buildShipSpec(config).image).toMatchObject({
      gitUrl: `https://github.com/${config.repository}.git`,
      sourceUrl: `https://github.com/${config.repository}`,
    });
    expect(buildShipSpec(config, undefined, undefined, "https://ghe.acme.com/api/v3/").image).toMatchObject({
      gitUrl: `https://ghe.acme.com/${config.repository}.git`,
      sourceUrl: `https://ghe.acme.com/${config.repository}`,
    });
  });
});
