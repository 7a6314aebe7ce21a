// The mock harness itself, on a tiny program: what it records and how it reports secrets and invokes.
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { runProgram } from "../../tools/plan/harness";

class Thing extends pulumi.CustomResource {
  constructor(name: string, props: Record<string, pulumi.Input<unknown>>) {
    super("test:index:Thing", name, props);
  }
}

describe("runProgram", () => {
  it("records inputs with secrets redacted, answers invokes, and resolves outputs with secrets hidden", async () => {
    const run = await runProgram({
      project: "p",
      stack: "s",
      settings: { config: { "p:key": "v" }, secretKeys: [] },
      allowMissingSecrets: false,
      load: async () => {
        const looked: unknown = await pulumi.runtime.invoke("test:index:lookup", { name: "n" });
        const thing = new Thing("t", { plain: "a", hidden: pulumi.secret("s3cr3t"), nested: { list: [pulumi.secret("x")] } });
        return { default: undefined, plainOut: thing.urn.apply(() => "ok"), secretOut: pulumi.secret("hush"), looked: looked };
      },
    });
    expect(run.resources.map((r) => r.name)).toEqual(["t"]);
    expect(run.resources[0]?.inputs).toEqual({ plain: "a", hidden: "[secret]", nested: { list: ["[secret]"] } });
    expect(run.resources[0]?.secretPaths).toEqual(["hidden", "nested.list[0]"]);
    expect(run.resources[0]?.plainInputs["hidden"]).toBe("s3cr3t");
    expect(run.invokes).toEqual([{ token: "test:index:lookup", inputs: { name: "n" } }]);
    expect(run.outputs).toMatchObject({ plainOut: "ok", secretOut: "[secret]" });
    expect(run.outputs).not.toHaveProperty("default");
    expect(run.secretOutputs).toEqual(["secretOut"]);
    expect(process.env["PULUMI_CONFIG"]).toBe(JSON.stringify({ "p:key": "v" }));
  });
});
