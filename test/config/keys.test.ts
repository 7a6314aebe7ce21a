// The key table owns each setting's default: every default is a value its own schema accepts, no required key has
// one, and validation fills in exactly the table's defaults for a stack that sets only the required keys.
import { describe, expect, it } from "vitest";
import { configKeyNames, configKeys, defaults, isConfigKey, validateStackConfig, type KeyDefinition } from "../../src/config";
import { fixtureRaw, fixtureValues } from "../helpers/fixtureConfig";

const table: readonly [string, KeyDefinition][] = configKeyNames.map((key) => [key, configKeys[key]]);

describe("the key table's defaults", () => {
  it.each(table.filter(([, d]) => d.default !== undefined))("%s: its default passes its own schema", (_key, definition) => {
    expect(definition.schema.safeParse(definition.default).success).toBe(true);
  });

  it("no required key has a default", () => {
    expect(table.filter(([, d]) => d.required && d.default !== undefined).map(([key]) => key)).toEqual([]);
  });

  it("leaves unset only the optional keys whose absence means something (no pin, no pre-deploy command, the app repository, a built image)", () => {
    expect(table.filter(([, d]) => !d.required && d.default === undefined).map(([key]) => key)).toEqual([
      // Required only where a stack signs or promotes images (validation says so), and no key has a default.
      "imageSigningPublicKey",
      "deployImage",
      "appRevision",
      "preDeployCommand",
      "programRepository",
    ]);
  });

  it("defaults holds every table default and nothing else", () => {
    expect(defaults).toEqual(Object.fromEntries(table.flatMap(([key, d]) => (d.default === undefined ? [] : [[key, d.default]]))));
    expect(Object.keys(defaults)).toHaveLength(31);
  });

  it("validation fills in the table's defaults for keys the stack file does not set", () => {
    const { config } = validateStackConfig(fixtureRaw("staging"));
    const values = config as unknown as Readonly<Record<string, unknown>>;
    for (const [key, definition] of table) {
      // The fixture sets the signing public key (staging signs); every other optional key it leaves unset.
      if (definition.required || key === "imageSigningPublicKey") continue;
      expect(values[key], key).toEqual(definition.default);
      expect(key in values, key).toBe(definition.default !== undefined);
    }
    expect(config.imageSigningPublicKey).toBe(fixtureValues.staging.imageSigningPublicKey);
    expect(config).toMatchObject({
      defaultBranch: "main",
      pythonVersions: ["3.11", "3.12"],
      railwayTokenKind: "account",
      secretRotatedAt: {},
    });
  });
});

describe("isConfigKey", () => {
  it("knows the table's keys, not secrets nor near misses", () => {
    expect(["repository", "secretRotatedAt", "railwayToken", "repositry", ""].filter(isConfigKey)).toEqual([
      "repository",
      "secretRotatedAt",
    ]);
  });
});
