// The SDK's RPC trace lines are not sent (each is an RPC of its own); asked for, they are sent without payloads (which hold secrets).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as dockerbuild from "@pulumi/docker-build";
import * as pulumi from "@pulumi/pulumi";
import { installRpcTraceFilter, rpcTracesVariable, withoutPayloads, withoutSdkTraces } from "../../infra/rpcTraces";
import { declareUnderMocks } from "./declare";

const sentinel = "s3cr3t-trace-sentinel";
type Debug = typeof pulumi.log.debug;

/** A `debug` that records what reaches it. */
function recorder(): { readonly lines: string[]; readonly debug: Debug } {
  const lines: string[] = [];
  return { lines, debug: (message) => (lines.push(message), Promise.resolve()) };
}

describe("withoutPayloads", () => {
  it("cuts a trace line where its payload starts, and passes every other debug line whole", async () => {
    const { lines, debug } = recorder();
    const filtered = withoutPayloads(debug);
    await filtered("RegisterResource RPC finished: resource:x[t]; err: null, resp: urn,,,value,,,s3cr3t-value");
    await filtered('ReadResource RPC prepared: id=1, t=t, name=n, props={"a":"s3cr3t"}');
    // What runtime/invoke.js really sends for "Invoke RPC prepared" and "Call RPC prepared".
    await filtered(', obj={"environment":{"REGISTRY_PASSWORD":"s3cr3t"}}');
    await filtered("Registering resource: t=github:index/actionsSecret:ActionsSecret, name=x");
    expect(lines).toEqual([
      "RegisterResource RPC finished: resource:x[t]; err: null, resp: (omitted by delivery-pipeline: it may hold secrets)",
      "ReadResource RPC prepared: id=1, t=t, name=n, props=(omitted by delivery-pipeline: it may hold secrets)",
      ", obj=(omitted by delivery-pipeline: it may hold secrets)",
      "Registering resource: t=github:index/actionsSecret:ActionsSecret, name=x",
    ]);
  });
});

describe("withoutSdkTraces", () => {
  it("drops the SDK's per-RPC lines and sends its failures and every other line", async () => {
    const { lines, debug } = recorder();
    const filtered = withoutSdkTraces(debug);
    await filtered("Resource RPC serialization requested: resource:x[t] is current");
    await filtered("RegisterResourceOutputs RPC finished: urn=u; err: null, resp: ");
    await filtered("Invoking function: tok=github:index/getTeam:getTeam asynchronously");
    await filtered("RegisterResource RPC failed: t=t, name=x, err=boom");
    await filtered("delivery-pipeline: the program's own line");
    expect(lines).toEqual(["RegisterResource RPC failed: t=t, name=x, err=boom", "delivery-pipeline: the program's own line"]);
  });
});

describe("on the SDK's own lines, under the mocks", () => {
  // What the SDK sends while a component, a custom resource with a secret and an invoke with a secret argument are declared:
  // raw (as the SDK writes it), through the default filter, and through the filter asked for the traces.
  const raw = recorder();
  const quiet = { module: recorder(), target: { debug: undefined as unknown as Debug } };
  const traced = { module: recorder(), target: { debug: undefined as unknown as Debug } };
  const original = pulumi.log.debug;

  beforeAll(async () => {
    quiet.target.debug = quiet.module.debug;
    traced.target.debug = traced.module.debug;
    installRpcTraceFilter(quiet.target, {});
    installRpcTraceFilter(traced.target, { [rpcTracesVariable]: "1" });
    pulumi.log.debug = (message, ...rest) => {
      void raw.debug(message, ...rest);
      void quiet.target.debug(message, ...rest);
      return traced.target.debug(message, ...rest);
    };
    await declareUnderMocks(async () => {
      class Traced extends pulumi.ComponentResource {
        constructor() {
          super("test:index:Traced", "traced");
          new dockerbuild.Index("traced-index", { sources: [pulumi.secret(sentinel)], tag: "t", push: false }, { parent: this });
          this.registerOutputs({ token: pulumi.secret(sentinel) });
        }
      }
      new Traced();
      await pulumi.runtime.invoke("docker:index/getRegistryImage:getRegistryImage", { name: "n", auth: pulumi.secret(sentinel) });
    });
  });
  afterAll(() => {
    pulumi.log.debug = original;
  });

  it("the SDK writes its trace lines, the invoke's with the secret in plain text", () => {
    expect(raw.lines.some((line) => line.startsWith("Registering resource: t=docker-build:index:Index"))).toBe(true);
    expect(raw.lines.some((line) => line.startsWith("RegisterResourceOutputs RPC prepared"))).toBe(true);
    expect(raw.lines.some((line) => line.startsWith(", obj=") && line.includes(sentinel))).toBe(true);
  });

  it("by default none of them is sent", () => {
    // Nothing but the SDK's traces was logged here, so nothing at all reaches the engine.
    expect(raw.lines.length).toBeGreaterThanOrEqual(10);
    expect(quiet.module.lines).toEqual([]);
  });

  it(`with ${rpcTracesVariable}=1 each is sent, without its payload`, () => {
    expect(traced.module.lines).toHaveLength(raw.lines.length);
    expect(traced.module.lines).toContain(raw.lines.find((line) => line.startsWith("Registering resource: t=docker-build:index:Index")));
    expect(traced.module.lines).toContain(", obj=(omitted by delivery-pipeline: it may hold secrets)");
    expect(traced.module.lines.join("\n")).not.toContain(sentinel);
  });
});

describe("installRpcTraceFilter", () => {
  it("is installed on the SDK's own log module once, where its runtime reads it", () => {
    const inner = vi.fn((_message: string) => Promise.resolve());
    const module = { debug: inner };
    installRpcTraceFilter(module, {});
    const first = module.debug;
    installRpcTraceFilter(module, {});
    expect(module.debug).toBe(first);
    void module.debug("Invoke RPC finished: tok=x; err: null, resp: secret");
    void module.debug("the program's line");
    expect(inner.mock.calls.map(([message]) => message)).toEqual(["the program's line"]);
    const original = pulumi.log.debug;
    try {
      installRpcTraceFilter();
      // The module the runtime calls is the one the filter replaced (the program's `pulumi.log` is the same object).
      expect((pulumi.log.debug as { traceFilter?: boolean }).traceFilter).toBe(true);
    } finally {
      pulumi.log.debug = original;
    }
  });
});
