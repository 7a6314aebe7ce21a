// The SDK's promise stamps skip source maps; every other stack still goes through the installed formatter.
import { afterEach, describe, expect, it, vi } from "vitest";
import { cheapPromiseStacks, installCheapPromiseStacks, isPromiseStamp } from "../../infra/promiseStacks";

// The SDK's own stamping function, not a copy: if a release renames or moves it, this test says so.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { debuggablePromise } = require("@pulumi/pulumi/runtime/debuggable") as {
  debuggablePromise: <T>(p: Promise<T>, ctx: unknown) => Promise<T>;
};

/** The stack the SDK stamps on a promise it tracks. */
function stampOf(ctx: string): string | undefined {
  const tracked: Promise<number> & { _debugStackTrace?: string } = Promise.resolve(1);
  void debuggablePromise(tracked, ctx);
  return tracked._debugStackTrace;
}

// eslint-disable-next-line @typescript-eslint/unbound-method -- V8 calls the hook as a plain function
const original = Error.prepareStackTrace;
afterEach(() => {
  Error.prepareStackTrace = original;
});

function installWithSpy(env: NodeJS.ProcessEnv = {}) {
  const mapped = vi.fn((error: Error, frames: NodeJS.CallSite[]) => `MAPPED ${error.message} (${String(frames.length)} frames)`);
  const wrapped = cheapPromiseStacks(mapped, env);
  if (wrapped !== undefined) Error.prepareStackTrace = wrapped;
  return mapped;
}

describe("cheap promise stacks", () => {
  it("formats the SDK's promise stamps without the installed formatter, in V8's own form", () => {
    const mapped = installWithSpy();
    expect(stampOf("a test promise")).toMatch(
      /^Error\n {4}at debuggablePromise \(.*[\\/]@pulumi[\\/]pulumi[\\/]runtime[\\/]debuggable\.js:\d+:\d+\)/,
    );
    expect(mapped).not.toHaveBeenCalled();
  });

  it("keeps two frames of a stamp: the SDK's function and where the promise was made", () => {
    installWithSpy();
    const lines = stampOf("a test promise")?.split("\n") ?? [];
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/^ {4}at .*promiseStacks\.test\.ts:\d+:\d+/);
  });

  it("leaves every other stack to the installed formatter (source maps for the program's own errors)", () => {
    const mapped = installWithSpy();
    expect(new Error("boom").stack).toMatch(/^MAPPED boom \(\d+ frames\)$/);
    expect(mapped).toHaveBeenCalledTimes(1);
  });

  it("changes nothing when the leak report is asked for, or when no formatter is installed", () => {
    const mapped = installWithSpy({ PULUMI_DEBUG_PROMISE_LEAKS: "true" });
    expect(stampOf("x")).toMatch(/^MAPPED /);
    expect(mapped).toHaveBeenCalled();
    expect(cheapPromiseStacks(undefined, {})).toBeUndefined();
  });

  it("installs over the formatter in place, and leaves a process without one as it is", () => {
    const mapped = vi.fn(() => "MAPPED");
    Error.prepareStackTrace = mapped;
    installCheapPromiseStacks();
    expect(Object.getOwnPropertyDescriptor(Error, "prepareStackTrace")?.value).not.toBe(mapped);
    expect(new Error("x").stack).toBe("MAPPED");
    expect(stampOf("y")).toMatch(/^Error\n {4}at debuggablePromise /);
    Reflect.deleteProperty(Error, "prepareStackTrace");
    installCheapPromiseStacks();
    expect(Object.getOwnPropertyDescriptor(Error, "prepareStackTrace")).toBeUndefined();
  });

  it("recognizes a stamp by the SDK's function and file only", () => {
    const frame = (name: string | null, file: string | undefined) =>
      ({ getFunctionName: () => name, getFileName: () => file }) as NodeJS.CallSite;
    expect(isPromiseStamp([frame("debuggablePromise", "/p/node_modules/@pulumi/pulumi/runtime/debuggable.js")])).toBe(true);
    expect(isPromiseStamp([frame("debuggablePromise", "/p/infra/index.ts")])).toBe(false);
    expect(isPromiseStamp([frame("other", "/p/node_modules/@pulumi/pulumi/runtime/debuggable.js")])).toBe(false);
    expect(isPromiseStamp([frame("debuggablePromise", undefined)])).toBe(false);
    expect(isPromiseStamp([])).toBe(false);
  });
});
