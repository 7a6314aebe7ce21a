// The SDK's RPC trace lines keep which RPC ran for which resource, never its payload (which holds secrets).
import { describe, expect, it, vi } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { installPayloadFreeTraces, withoutPayloads } from "../../infra/rpcTraces";

describe("withoutPayloads", () => {
  it("cuts a trace line where its payload starts, and passes every other debug line whole", async () => {
    const seen: string[] = [];
    const debug = withoutPayloads((message) => {
      seen.push(message);
      return Promise.resolve();
    });
    await debug("RegisterResource RPC finished: resource:x[t]; err: null, resp: urn,,,value,,,s3cr3t-value");
    await debug('Invoke RPC prepared: tok=command:local:run, obj={"environment":{"REGISTRY_PASSWORD":"s3cr3t"}}');
    await debug('ReadResource RPC prepared: id=1, t=t, name=n, props={"a":"s3cr3t"}');
    await debug("Registering resource: t=github:index/actionsSecret:ActionsSecret, name=x");
    expect(seen).toEqual([
      "RegisterResource RPC finished: resource:x[t]; err: null, resp: (omitted by delivery-pipeline: it may hold secrets)",
      "Invoke RPC prepared: tok=command:local:run, obj=(omitted by delivery-pipeline: it may hold secrets)",
      "ReadResource RPC prepared: id=1, t=t, name=n, props=(omitted by delivery-pipeline: it may hold secrets)",
      "Registering resource: t=github:index/actionsSecret:ActionsSecret, name=x",
    ]);
  });

  it("is installed on the SDK's own log module once, where its runtime reads it", () => {
    const module = { debug: vi.fn((_message: string) => Promise.resolve()) };
    installPayloadFreeTraces(module);
    const first = module.debug;
    installPayloadFreeTraces(module);
    expect(module.debug).toBe(first);
    void module.debug("Invoke RPC finished: tok=x; err: null, resp: secret");
    installPayloadFreeTraces();
    // The module the runtime calls is the one the wrapper replaced (the program's `pulumi.log` is the same object).
    expect((pulumi.log.debug as { payloadFree?: boolean }).payloadFree).toBe(true);
  });
});
