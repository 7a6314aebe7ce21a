// `npm run rotate` against a stand-in `pulumi` that records its arguments and standard input.
import { runSync } from "../helpers/runSync";
import { Readable } from "node:stream";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseRotateArgs, rotate as runRotate } from "../../tools/cli/rotate";
import { projectDir } from "../helpers/stacks";
import { toolCommand } from "../helpers/tool";

function standInPulumi(): { bin: string; log: string } {
  const bin = mkdtempSync(join(tmpdir(), "pulumi-bin-"));
  const log = join(bin, "calls.jsonl");
  const script = `#!${process.execPath}
const fs = require("node:fs");
let input = "";
try { input = process.stdin.isTTY ? "" : fs.readFileSync(0, "utf8"); } catch { input = ""; }
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ args: process.argv.slice(2), stdin: input, ...(process.stdin.isTTY ? { tty: true } : {}) }) + "\\n");
process.exit(process.env.PULUMI_STAND_IN_FAIL === process.argv[2] + " " + process.argv[3] ? 1 : 0);
`;
  writeFileSync(join(bin, "pulumi"), script);
  chmodSync(join(bin, "pulumi"), 0o755);
  return { bin, log };
}

function callsIn(log: string): { args: string[]; stdin: string }[] {
  try {
    return readFileSync(log, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { args: string[]; stdin: string });
  } catch {
    return [];
  }
}

/**
 * The command in this process, the value on its standard input, with the stand-in `pulumi` first on PATH.
 * The one case that runs it as a user does, in its own process, is the terminal's below.
 */
async function rotate(args: string[], input: string, env: Record<string, string> = {}) {
  const pulumi = standInPulumi();
  const before = { ...process.env };
  Object.assign(process.env, { PATH: `${pulumi.bin}:${process.env["PATH"] ?? ""}`, ...env });
  let stderr = "";
  try {
    const status = await runRotate(args, { stdin: Readable.from([Buffer.from(input)]), stderr: (text) => (stderr += text) });
    return { status, stderr, calls: callsIn(pulumi.log) };
  } finally {
    for (const name of Object.keys(env)) Reflect.deleteProperty(process.env, name);
    Object.assign(process.env, before);
  }
}

const newValue = "sentinel-rotated-token-42x";

describe("npm run rotate", () => {
  it("sets the secret from standard input, records the date, and previews the diff", async () => {
    const r = await rotate(["--stack", "staging", "railwayToken"], `${newValue}\n`);
    expect(r.status).toBe(0);
    const today = new Date().toISOString().slice(0, 10);
    expect(r.calls).toEqual([
      { args: ["config", "set", "--secret", "railwayToken", "--stack", "staging"], stdin: newValue },
      {
        args: ["config", "set", "--path", "secretRotatedAt.railwayToken", today, "--stack", "staging"],
        stdin: expect.any(String) as string,
      },
      { args: ["preview", "--diff", "--stack", "staging"], stdin: expect.any(String) as string },
    ]);
    for (const call of r.calls) expect(call.args.join(" ")).not.toContain(newValue);
    expect(r.stderr).not.toContain(newValue);
    expect(r.stderr).toContain("Apply it with: pulumi up --stack staging");
  });

  it("with --json previews with pulumi preview --json (the engine's diff for a script), the rest unchanged", async () => {
    const r = await rotate(["--stack", "staging", "--json", "railwayToken"], `${newValue}\n`);
    expect(r.status).toBe(0);
    expect(r.calls.map((c) => c.args)).toEqual([
      ["config", "set", "--secret", "railwayToken", "--stack", "staging"],
      ["config", "set", "--path", "secretRotatedAt.railwayToken", new Date().toISOString().slice(0, 10), "--stack", "staging"],
      ["preview", "--json", "--stack", "staging"],
    ]);
  });

  it("refuses a value given as an argument, before calling pulumi", async () => {
    const r = await rotate(["--stack", "staging", "railwayToken", newValue], "");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("never from the arguments");
    expect(r.calls).toEqual([]);
  });

  it("refuses an unknown key and an empty value", async () => {
    const unknown = await rotate(["--stack", "staging", "railwayTokn"], "x");
    expect(unknown.stderr).toContain("not a secret key of this program (not shown: it may be a value); did you mean railwayToken?");
    expect(unknown.stderr).not.toContain("railwayTokn");
    const empty = await rotate(["--stack", "staging", "openaiApiKey"], "");
    expect(empty.status).toBe(2);
    expect(empty.stderr).toContain("no value given for openaiApiKey: nothing was changed");
    expect(empty.calls).toEqual([]);
    const blank = await rotate(["--stack", "staging", "openaiApiKey"], "  \t \n");
    expect(blank.status).toBe(2);
    expect(blank.stderr).toContain("a value of only blanks given for openaiApiKey: nothing was changed");
    expect(blank.calls).toEqual([]);
  });

  it("never echoes a value typed where the key belongs", async () => {
    const typed = "sk-proj-Zq8XwV3mN7pL2kT9rY4bH6cJ1dF5gS0aE";
    const r = await rotate(["--stack", "staging", typed], "");
    expect(r.status).toBe(2);
    expect(r.stderr).not.toContain(typed);
    expect(r.calls).toEqual([]);
  });

  it("stops when pulumi config set fails", async () => {
    const r = await rotate(["--stack", "production", "openaiApiKey"], "v", { PULUMI_STAND_IN_FAIL: "config set" });
    expect(r.status).toBe(2);
    expect(r.calls).toHaveLength(1);
    expect(r.stderr).toContain("pulumi config set --secret openaiApiKey failed: nothing else was changed");
  });
});

describe("npm run rotate on a terminal", () => {
  it("lets Pulumi's own hidden prompt read the value: pulumi config set --secret gets the terminal", () => {
    const pulumi = standInPulumi();
    // `script` gives the command a pseudo-terminal, as a person's shell would.
    const tool = toolCommand("rotate", ["--stack", "staging", "railwayToken"]);
    const commandLine = [tool.command, ...tool.args].map((word) => `'${word}'`).join(" ");
    const result = runSync("script", ["-qec", commandLine, "/dev/null"], {
      cwd: projectDir,
      env: { ...process.env, PATH: `${pulumi.bin}:${process.env["PATH"] ?? ""}` },
    });
    expect(result.status).toBe(0);
    const calls = readFileSync(pulumi.log, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { args: string[]; tty?: boolean });
    expect(calls[0]).toEqual({ args: ["config", "set", "--secret", "railwayToken", "--stack", "staging"], stdin: "", tty: true });
    // The rest of the command as the piped case runs it: the date recorded, the diff previewed.
    expect(calls.slice(1).map((c) => c.args)).toEqual([
      ["config", "set", "--path", "secretRotatedAt.railwayToken", new Date().toISOString().slice(0, 10), "--stack", "staging"],
      ["preview", "--diff", "--stack", "staging"],
    ]);
    expect(result.stdout).toContain("Apply it with: pulumi up --stack staging");
  }, 60_000);
});

describe("parseRotateArgs", () => {
  it("requires a stack", () => {
    expect(() => parseRotateArgs(["railwayToken"])).toThrow("--stack is required");
    expect(parseRotateArgs(["--stack=production", "dockerhubToken"])).toEqual({ stack: "production", key: "dockerhubToken", json: false });
  });

  it("takes --json for the engine's diff as JSON, anywhere among the arguments", () => {
    expect(parseRotateArgs(["--json", "--stack", "staging", "openaiApiKey"])).toEqual({
      stack: "staging",
      key: "openaiApiKey",
      json: true,
    });
    expect(parseRotateArgs(["--stack", "staging", "openaiApiKey", "--json"])).toMatchObject({ json: true });
  });
});
