// tools/checks.mjs runs npm test's parts at once: a part that fails must fail the run, whichever it is.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runSync } from "../helpers/runSync";
import { projectDir } from "../helpers/stacks";

/** A scratch project with its own package.json scripts and a copy of the runner, which reads them from its folder. */
function projectWith(scripts: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "checks-"));
  mkdirSync(join(dir, "tools"));
  cpSync(join(projectDir, "tools", "checks.mjs"), join(dir, "tools", "checks.mjs"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "scratch", scripts }));
  return dir;
}

const scripts = {
  ok: "echo fine",
  fails: "echo broken >&2; exit 3",
  slow: "sleep 0.2; echo late",
  live: "echo streaming",
};

function checks(dir: string, args: readonly string[]) {
  const result = runSync(process.execPath, [join(dir, "tools", "checks.mjs"), ...args], { cwd: dir });
  return { status: result.status, out: result.stdout + result.stderr };
}

describe("tools/checks.mjs", () => {
  const dir = projectWith(scripts);

  it("passes when every part passes, printing each part's output and verdict", () => {
    const r = checks(dir, ["ok", "slow", "--live", "live"]);
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/> npm run ok: echo fine\nfine\nok: passed in \d+\.\d s/);
    expect(r.out).toMatch(/late\nslow: passed in/);
    expect(r.out).toContain("streaming\n");
    expect(r.out).toMatch(/live: passed in/);
  });

  it("fails when a buffered part fails, and says which, with its output", () => {
    const r = checks(dir, ["ok", "fails", "--live", "live"]);
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/broken\nfails: failed \(exit 3\)/);
    expect(r.out).toMatch(/ok: passed/);
  });

  it("fails when the live part fails", () => {
    const r = checks(dir, ["ok", "--live", "fails"]);
    expect(r.status).toBe(1);
    expect(r.out).toContain("fails: failed (exit 3)");
  });

  it("fails on a script package.json does not have, and on no script at all", () => {
    expect(checks(dir, ["ok", "nope"])).toMatchObject({ status: 1, out: expect.stringContaining("no npm script named nope") as unknown });
    expect(checks(dir, []).status).toBe(2);
  });

  it("is what npm test runs, over the project's own scripts", () => {
    const own = (JSON.parse(readFileSync(join(projectDir, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    expect(own["test"]).toBe("node tools/checks.mjs lint format:check --live test:vitest");
    expect(own["lint"]).toMatch(/^oxlint .*--type-check/);
  });
});
