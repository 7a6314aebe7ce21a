// The README is the front door: it must name what the code defines.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configKeyNames, githubEntries, secretKeys } from "../src/config";
import { projectDir } from "./helpers/stacks";

const readme = readFileSync(join(projectDir, "README.md"), "utf8");
const scripts = (JSON.parse(readFileSync(join(projectDir, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

describe("README", () => {
  it("documents every setting, secret and GitHub entry", () => {
    for (const key of [...configKeyNames, ...secretKeys]) expect(readme, key).toContain(`| \`${key}\` |`);
    for (const entry of githubEntries) expect(readme, entry.name).toContain(`| \`${entry.name}\` |`);
  });

  it("gives the Quickstart commands, and each npm script it names exists", () => {
    expect(readme).toContain("npm ci\nnpm run plan -- --stack staging\nnpm test");
    for (const [, name] of readme.matchAll(/npm run ([a-z-]+)/g)) expect(scripts, name).toHaveProperty(name ?? "");
  });
});
