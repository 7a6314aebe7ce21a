/**
 * Filters the Pulumi SDK's RPC trace lines: by default they are not sent at
 * all; asked for, they are sent without their property maps.
 *
 * The Node.js SDK logs, at debug level, every RPC it makes: "Registering
 * resource", "RegisterResource RPC prepared", "... finished", "Resource RPC
 * serialization requested", the same for outputs, reads and invokes; four to
 * six lines per resource. Each line is a Log RPC of its own to the engine, sent
 * one after another (the SDK's log module waits for the engine's answer to one
 * before it sends the next, and keeps the program alive until the last), and
 * each stamps a promise with a source-mapped stack. In a staging preview that
 * was about 300 RPCs and 0.1-0.15 s of a 1 s program share (docs/performance.md),
 * for lines the engine shows only under `--debug`. `PULUMI_DEBUG_GRPC=<file>`
 * records every RPC the engine serves, with its payload, for whoever needs them.
 *
 * `DELIVERY_PIPELINE_RPC_TRACES=1` sends them again, for debugging the program
 * itself; then without their payloads: `RegisterResource RPC finished: ...;
 * resp: <the response>` holds the resource's properties, and `Invoke RPC
 * prepared` and `Call RPC prepared` always the serialized arguments, because of
 * an operator-precedence slip in runtime/invoke.js (`"... tok=" + tok +
 * excessiveDebugOutput ? ", obj=" + args : ""` is always the second string, so
 * the line sent is `, obj={...}` alone). Those payloads hold secret values in plain
 * text inside their secret wrappers. The engine writes debug diagnostics to its
 * event log (`--event-log`, what Pulumi Cloud records) and masks only a secret's
 * raw and once-JSON-escaped forms, so a secret inside a JSON document, or one
 * its filter does not match, reached the event log in the engine suite.
 *
 * Every other debug line (the program's own, the SDK's failures and set-up
 * lines) is sent as it is.
 */
import * as pulumi from "@pulumi/pulumi";

type Debug = typeof pulumi.log.debug;

/** Where the SDK's trace lines are asked for again. */
export const rpcTracesVariable = "DELIVERY_PIPELINE_RPC_TRACES";

/** A trace line the SDK's runtime sends for each RPC it prepares or finishes (its failures are not matched: they stay). */
export const sdkTrace =
  /^(?:, obj=|Registering resource:|Reading resource:|Getting resource:|Invoking function:|Calling function:|Resource RPC serialization requested:|(?:RegisterResource|RegisterResourceOutputs|ReadResource|Invoke|Call|getResource Invoke) RPC (?:prepared|finished)\b)/;

/**
 * An RPC trace line that carries a payload: its serialized request (`obj=`, `props=`) or the response
 * (`resp:`); or an invoke's or call's arguments alone, as the SDK sends them (`, obj=`).
 */
export const payloadTrace = /\bRPC (?:prepared|finished)\b[^]*?(?:\bresp: |\bobj=|\bprops=)|^, obj=/;

/** `debug` without the payload of an RPC trace line: the line is kept up to where its payload starts. */
export function withoutPayloads(debug: Debug): Debug {
  return (message, ...rest) => {
    const match = payloadTrace.exec(message);
    if (match === null) return debug(message, ...rest);
    return debug(`${message.slice(0, match.index + match[0].length)}(omitted by delivery-pipeline: it may hold secrets)`, ...rest);
  };
}

/** `debug` that sends no SDK trace line: it resolves at once, as the SDK's own `debug` does without an engine. */
export function withoutSdkTraces(debug: Debug): Debug {
  return (message, ...rest) => (sdkTrace.test(message) ? Promise.resolve() : debug(message, ...rest));
}

/**
 * Installs the filter on the SDK's log module, which its runtime reads `debug` from at each call.
 * `pulumi.log` is that module object itself (the SDK's index re-exports it), where a namespace import
 * of the module would be a copy.
 */
export function installRpcTraceFilter(
  module: { debug: Debug } = pulumi.log,
  env: Readonly<Record<string, string | undefined>> = process.env,
): void {
  const current = module.debug;
  if ((current as Debug & { traceFilter?: true }).traceFilter === true) return;
  const filter = env[rpcTracesVariable] === "1" ? withoutPayloads : (debug: Debug) => withoutSdkTraces(withoutPayloads(debug));
  module.debug = Object.assign(filter(current), { traceFilter: true as const });
}
