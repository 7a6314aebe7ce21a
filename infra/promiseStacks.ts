/**
 * Cheap stack strings for the Pulumi SDK's promise bookkeeping.
 *
 * The Node.js SDK stamps every promise it tracks (several per resource
 * property) with `new Error().stack`, read at once, for a leak report it only
 * prints when PULUMI_DEBUG_PROMISE_LEAKS is set. Under ts-node each such read
 * runs source-map-support over every frame: in a preview of this program that
 * was about 0.55 s of CPU, most of the time the program spends declaring
 * resources (measured with --cpu-prof; docs/performance.md). This formats
 * only those stamps without source maps; every other error keeps its mapped
 * stack, and with PULUMI_DEBUG_PROMISE_LEAKS set nothing changes.
 */

type PrepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) => unknown;

/** The SDK's stamping function, as its compiled file names it. */
export function isPromiseStamp(frames: readonly NodeJS.CallSite[]): boolean {
  const top = frames[0];
  if (top === undefined) return false;
  return (
    top.getFunctionName() === "debuggablePromise" && /[\\/]@pulumi[\\/]pulumi[\\/]runtime[\\/]debuggable\.js$/.test(top.getFileName() ?? "")
  );
}

/**
 * V8's own format for the stamp's first two frames (the SDK's function and its caller), without source
 * maps. Formatting all ten frames V8 captures cost more than everything else the stamp does, for a
 * string nobody reads: the SDK prints stamps only with PULUMI_DEBUG_PROMISE_LEAKS, which keeps them whole.
 */
function plainStack(error: Error, frames: readonly NodeJS.CallSite[]): string {
  const top = frames
    .slice(0, 2)
    // A CallSite's own toString is V8's frame format ("fn (file:line:column)"); Node's types leave it undeclared.
    // eslint-disable-next-line @typescript-eslint/no-base-to-string
    .map((frame) => `\n    at ${frame.toString()}`);
  return `${Error.prototype.toString.call(error)}${top.join("")}`;
}

/** Wraps the installed `Error.prepareStackTrace` (ts-node's source-map-support) so that only promise stamps skip it. */
export function cheapPromiseStacks(
  mapped: PrepareStackTrace | undefined,
  env: NodeJS.ProcessEnv = process.env,
): PrepareStackTrace | undefined {
  if (mapped === undefined || (env["PULUMI_DEBUG_PROMISE_LEAKS"] ?? "") !== "") return mapped;
  return (error, frames) => (isPromiseStamp(frames) ? plainStack(error, frames) : mapped(error, frames));
}

export function installCheapPromiseStacks(): void {
  // V8 calls the hook as a plain function, never as a method of Error.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const wrapped = cheapPromiseStacks(Error.prepareStackTrace);
  if (wrapped !== undefined) Error.prepareStackTrace = wrapped;
}
