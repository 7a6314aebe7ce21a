// The harness's two pieces on their own: recording a registration off the wire, and resolving a module's outputs.
import * as pulumi from "@pulumi/pulumi";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { describe, expect, it } from "vitest";
import { recordRegistrations, resolveOutputs, type PatchableMonitor, type WireRequest } from "../../tools/plan/harness";
import type { RecordedResource } from "../../tools/plan/recorder";

describe("recordRegistrations", () => {
  it("records each registration with its secrets redacted, then passes it on unchanged", async () => {
    const passedOn: WireRequest[] = [];
    const monitor: PatchableMonitor = {
      registerResource: (req) => {
        passedOn.push(req);
        return Promise.resolve();
      },
    };
    const resources: RecordedResource[] = [];
    recordRegistrations(monitor, resources);
    const request: WireRequest = {
      getType: () => "test:index:Thing",
      getName: () => "t",
      getParent: () => "urn:parent",
      getCustom: () => true,
      getDependenciesList: () => ["urn:dep"],
      getRetainondelete: () => undefined,
      getObject: () => ({ toJavaScript: () => ({ plain: "a", key: { [specialSigKey]: specialSecretSig, value: "s3cr3t" } }) }),
    };
    await monitor.registerResource(request, () => undefined);
    expect(passedOn).toEqual([request]);
    expect(resources).toEqual([
      {
        type: "test:index:Thing",
        name: "t",
        custom: true,
        parent: "urn:parent",
        dependencies: ["urn:dep"],
        retainOnDelete: false,
        inputs: { plain: "a", key: "[secret]" },
        plainInputs: { plain: "a", key: "s3cr3t" },
        secretPaths: ["key"],
      },
    ]);
  });
});

describe("resolveOutputs", () => {
  it("calls an `export =` entrypoint and hides its secret outputs", async () => {
    const resolved = await resolveOutputs({ default: () => Promise.resolve({ a: "x", b: pulumi.secret("hush") }) });
    expect(resolved).toEqual({ outputs: { a: "x", b: "[secret]" }, secretOutputs: ["b"] });
  });
  it("reads named exports of a module, skipping its interop markers", async () => {
    const resolved = await resolveOutputs({ __esModule: true, default: undefined, c: pulumi.output(3) });
    expect(resolved).toEqual({ outputs: { c: 3 }, secretOutputs: [] });
  });
});
