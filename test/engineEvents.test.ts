/** How the bench reads an image's build time from the engine's event log (test/engine/events.ts). */
import { describe, expect, it } from "vitest";
import { stepSeconds, type EngineEvent } from "./engine/events";

const image = "docker-build:index:Image";
const urn = (name: string, type = image): string => `urn:pulumi:staging::delivery-pipeline::${type}::${name}`;
const pre = (timestamp: number, op: string, name: string, type = image): EngineEvent => ({
  timestamp,
  resourcePreEvent: { metadata: { op, urn: urn(name, type), type } },
});
const outputs = (timestamp: number, op: string, name: string, type = image): EngineEvent => ({
  timestamp,
  resOutputsEvent: { metadata: { op, urn: urn(name, type), type } },
});

describe("stepSeconds", () => {
  it("is the seconds from each changed resource's start to its outputs", () => {
    const events = [pre(100, "create", "app"), pre(101, "create", "other", "github:index:Repository"), outputs(171, "create", "app")];
    expect(stepSeconds(events, image)).toEqual([71]);
  });

  it("counts no resource left as it was, nor one of another type, nor one that never finished", () => {
    const events = [
      pre(100, "same", "app"),
      outputs(100, "same", "app"),
      pre(100, "update", "cmd", "command:local:Command"),
      outputs(130, "update", "cmd", "command:local:Command"),
      pre(140, "replace", "cache"),
    ];
    expect(stepSeconds(events, image)).toEqual([]);
  });

  it("counts only the resources whose name ends with the suffix given", () => {
    const command = "command:local:Command";
    const events = [
      pre(100, "create", "staging-signature", command),
      pre(100, "create", "staging-railway-deploy", command),
      outputs(104, "create", "staging-signature", command),
      outputs(139, "create", "staging-railway-deploy", command),
    ];
    expect(stepSeconds(events, command, "-deploy")).toEqual([39]);
    expect(stepSeconds(events, command)).toEqual([4, 39]);
  });
});
