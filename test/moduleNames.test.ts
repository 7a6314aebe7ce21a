// Pulumi runs the program through ts-node as CommonJS, where `require("./x")`
// resolves `x.json` before `x.ts`; tsx and vitest resolve the `.ts`. A JSON file
// beside a module of the same base name passes every test and breaks `pulumi up`.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(__dirname, "..");

function files(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

describe("module names the program loads", () => {
  it("never give a .json file and a .ts module one base name (ts-node would load the JSON)", () => {
    const all = [...files("src"), ...files("infra"), ...files("tools")];
    const modules = new Set(all.filter((f) => f.endsWith(".ts")).map((f) => f.slice(0, -".ts".length)));
    const clashes = all.filter((f) => f.endsWith(".json") && modules.has(f.slice(0, -".json".length)));
    expect(clashes).toEqual([]);
    expect(all.some((f) => f.endsWith(".json"))).toBe(true);
  });
});
