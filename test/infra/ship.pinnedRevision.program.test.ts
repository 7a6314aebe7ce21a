// A stack pinned to a revision (appRevision): a commit ships as itself; a tag ships its commit, built from that commit,
// or the tag itself where GitHub cannot be asked (the offline plan). A tag GitHub does not have stops with the user's
// fix; a GitHub (or a registry) that fails is reported as its failure, not as the user's mistake.
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import type { InvokeMock } from "../../tools/plan/harness";
import { planInvokeMock } from "../../tools/plan/invokes";
import { branchHistoryInvoke, evaluate, named } from "../helpers/program";
import { releaseSha, restAnswer, shippingInvokes } from "../helpers/production";
import { stackWithSecrets } from "../helpers/stacks";

const sha = "0123456789abcdef0123456789abcdef01234567";
const pinned = (appRevision: string) => stackWithSecrets("staging", undefined, { appRevision });
const context = (run: Awaited<ReturnType<typeof evaluate>>) =>
  (named(run, "delivery-app-image-amd64").inputs["context"] as { location: string }).location;
/** GitHub answering every REST request with `code`. */
const restAlways =
  (code: number, body: unknown): InvokeMock =>
  (token, inputs) =>
    token === "github:index/getRestApi:getRestApi" ? restAnswer(inputs, code, body) : planInvokeMock(token, inputs);
const refusal = async (run: Promise<unknown>): Promise<unknown> =>
  run.then(
    () => new Error("the stack was not refused"),
    (e: unknown) => e,
  );

describe("staging pinned to a commit", () => {
  it("ships and builds that commit without asking GitHub for it", async () => {
    const run = await evaluate("staging", pinned(sha));
    expect(run.outputs).toMatchObject({ revision: sha, version: "" });
    expect(context(run)).toBe(`https://github.com/acme/learning-voice-agent.git#${sha}`);
    expect(run.invokes.filter((i) => i.token === "github:index/getRestApi:getRestApi")).toEqual([]);
  });
});

describe("staging pinned to a tag", () => {
  it("builds the tag's commit, not the tag, so a tag moved during the build changes nothing", async () => {
    const run = await evaluate("staging", pinned("v1.4.2"), false, { invoke: shippingInvokes([]) });
    expect(run.outputs).toMatchObject({ revision: releaseSha, version: "v1.4.2" });
    expect(context(run)).toBe(`https://github.com/acme/learning-voice-agent.git#${releaseSha}`);
  });

  it("builds the tag by name where GitHub answers nothing (the offline plan)", async () => {
    const run = await evaluate("staging", pinned("v1.4.2"));
    expect(context(run)).toBe("https://github.com/acme/learning-voice-agent.git#v1.4.2");
  });

  it("refuses a tag GitHub does not have, with the fix, and declares nothing of the pipeline", async () => {
    const error = await refusal(evaluate("staging", pinned("v9.9.9"), false, { invoke: shippingInvokes([]) }));
    expect(pulumi.RunError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain("acme/learning-voice-agent has no tag v9.9.9");
    expect((error as Error).message).toContain("Push the tag, or ship one that exists.");
    const monitor = pulumi.runtime.getMonitor() as unknown as { resources: Map<string, { urn: string }> };
    expect([...monitor.resources.values()].every((r) => r.urn.includes("::pulumi:providers:"))).toBe(true);
  });

  it("reports a GitHub that fails as GitHub's failure, not as the user's mistake", async () => {
    const error = await refusal(evaluate("staging", pinned("v1.4.2"), false, { invoke: restAlways(502, { message: "Bad Gateway" }) }));
    expect(error).toBeInstanceOf(Error);
    expect(pulumi.RunError.isInstance(error)).toBe(false);
    expect((error as Error).message).toContain("GET repos/acme/learning-voice-agent/git/ref/tags/v1.4.2 answered 502");
  });
});

describe("staging on its branch head, when GitHub fails", () => {
  it("reports GitHub's failure as it is", async () => {
    const error = await refusal(evaluate("staging", stackWithSecrets("staging"), false, { invoke: restAlways(500, { message: "boom" }) }));
    expect(error).toBeInstanceOf(Error);
    expect(pulumi.RunError.isInstance(error)).toBe(false);
  });
});

describe("production, when GitHub fails to answer for the release", () => {
  it("passes the failure on, not as a release that does not exist", async () => {
    process.env["DELIVERY_APP_REVISION"] = "v1.4.2";
    try {
      const failing: InvokeMock = (token, inputs) => {
        if (token === "github:index/getRelease:getRelease")
          throw new Error("GET /repos/acme/learning-voice-agent/releases/tags/v1.4.2: 503");
        return shippingInvokes([releaseSha])(token, inputs);
      };
      const error = await refusal(evaluate("production", stackWithSecrets("production"), false, { invoke: failing }));
      expect(error).toBeInstanceOf(Error);
      expect(pulumi.RunError.isInstance(error)).toBe(false);
      expect((error as Error).message).not.toContain("is not a published release");
    } finally {
      delete process.env["DELIVERY_APP_REVISION"];
    }
  });
});

describe("a deploy workflow that hands over empty values (GitHub's form of an unset expression)", () => {
  it("is read as no revision handed over: staging ships its branch head", async () => {
    process.env["DELIVERY_APP_REVISION"] = "";
    process.env["DELIVERY_APP_REVISION_SHA"] = "";
    try {
      const history = [{ sha, message: "Add the pronunciation drill", parents: ["cccccccccccccccccccccccccccccccccccccccc"] }];
      const run = await evaluate("staging", stackWithSecrets("staging"), false, { invoke: branchHistoryInvoke(history) });
      expect(run.invokes.some((i) => String(i.inputs["endpoint"]).includes("commits?sha=main"))).toBe(true);
      expect(run.outputs).toMatchObject({ revision: sha });
    } finally {
      delete process.env["DELIVERY_APP_REVISION"];
      delete process.env["DELIVERY_APP_REVISION_SHA"];
    }
  });
});

describe("production, when the registry fails to answer for the verified tag", () => {
  it("passes the failure on, not as a commit staging never verified", async () => {
    process.env["DELIVERY_APP_REVISION"] = "v1.4.2";
    try {
      const failing: InvokeMock = (token, inputs) => {
        if (token === "docker:index/getRegistryImage:getRegistryImage")
          throw new Error("got bad response from registry: 500 Internal Server Error");
        return shippingInvokes([releaseSha])(token, inputs);
      };
      const error = await refusal(evaluate("production", stackWithSecrets("production"), false, { invoke: failing }));
      expect(error).toBeInstanceOf(Error);
      expect(pulumi.RunError.isInstance(error)).toBe(false);
      expect((error as Error).message).not.toContain("staging never verified");
    } finally {
      delete process.env["DELIVERY_APP_REVISION"];
    }
  });
});
