/**
 * Keeps the Pulumi SDK's RPC trace lines free of property maps.
 *
 * The Node.js SDK logs, at debug level, every RPC it makes with its payload:
 * `RegisterResource RPC finished: ...; resp: <the response>` for every
 * resource, and `Invoke RPC prepared: tok=...` always with the serialized
 * arguments, because of an operator-precedence slip in runtime/invoke.js
 * (`"..." + excessiveDebugOutput ? obj : ""` is always the object). Those
 * payloads hold secret values in plain text inside their secret wrappers. The
 * engine writes debug diagnostics to its event log (`--event-log`, what Pulumi
 * Cloud records) and masks only a secret's raw and once-JSON-escaped forms, so
 * a secret inside a JSON document, or one its filter does not match, reached
 * the event log in the engine suite. The traces say nothing this program's
 * user needs; the payload-free lines (which RPC, for which resource) stay.
 */
import * as pulumi from "@pulumi/pulumi";

type Debug = typeof pulumi.log.debug;

/** An RPC trace line that carries a payload: its serialized request (`obj=`, `props=`) or the response (`resp:`). */
export const payloadTrace = /\bRPC (?:prepared|finished)\b[^]*?(?:\bresp: |\bobj=|\bprops=)/;

/** `debug` without the payload of an RPC trace line: the line is kept up to where its payload starts. */
export function withoutPayloads(debug: Debug): Debug {
  return (message, ...rest) => {
    const match = payloadTrace.exec(message);
    if (match === null) return debug(message, ...rest);
    return debug(`${message.slice(0, match.index + match[0].length)}(omitted by delivery-pipeline: it may hold secrets)`, ...rest);
  };
}

/**
 * Installs the wrapper on the SDK's log module, which its runtime reads `debug` from at each call.
 * `pulumi.log` is that module object itself (the SDK's index re-exports it), where a namespace import
 * of the module would be a copy.
 */
export function installPayloadFreeTraces(module: { debug: Debug } = pulumi.log): void {
  const current = module.debug;
  if ((current as Debug & { payloadFree?: true }).payloadFree === true) return;
  const wrapped = Object.assign(withoutPayloads(current), { payloadFree: true as const });
  module.debug = wrapped;
}
