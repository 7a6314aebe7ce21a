// The limit on synchronous children: a child that does not end fails its test instead of stalling the run.
import { describe, expect, it } from "vitest";
import { runSync } from "./runSync";

describe("runSync", () => {
  it("returns what a child printed and its status", () => {
    const result = runSync("bash", ["-c", "echo out; echo err >&2; exit 3"]);
    expect(result).toMatchObject({ status: 3, stdout: "out\n", stderr: "err\n" });
  });

  it("gives a child no input unless told: end of input at once, on no socket (bash would run ~/.bashrc)", () => {
    expect(runSync("bash", ["-c", "cat; if [ -S /dev/stdin ]; then echo socket; else echo none; fi"]).stdout).toBe("none\n");
    expect(runSync("cat", [], { input: "given" }).stdout).toBe("given");
  });

  it("kills a child that outlives its limit and says which, with what it printed", () => {
    expect(() => runSync("bash", ["-c", "echo started; exec sleep 30"], { timeout: 300 })).toThrow(
      /^bash -c echo started; exec sleep 30 did not finish in 300 ms; what it printed:\nstarted\n/,
    );
  });
});
