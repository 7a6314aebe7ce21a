/** The engine's event log (`--event-log`): one JSON event per line, the engine's own record of a run. */
import { readFileSync } from "node:fs";

interface PolicySummary {
  readonly policyPackName: string;
  readonly passed?: readonly string[];
  readonly failed?: readonly string[];
}

export interface EngineEvent {
  /** When the engine emitted it: Unix time in whole seconds (apitype.EngineEvent). */
  readonly timestamp?: number;
  readonly resourcePreEvent?: { readonly metadata: { readonly op: string; readonly urn: string; readonly type: string } };
  readonly resOutputsEvent?: { readonly metadata: { readonly op: string; readonly urn: string; readonly type: string } };
  readonly policyEvent?: { readonly policyName: string; readonly message: string; readonly enforcementLevel: string };
  readonly policyAnalyzeSummaryEvent?: PolicySummary & { readonly resourceUrn: string };
  readonly policyAnalyzeStackSummaryEvent?: PolicySummary;
  readonly diagnosticEvent?: { readonly message: string; readonly severity: string; readonly urn?: string; readonly ephemeral?: boolean };
}

/**
 * What providers said while they worked, of the resources of `type`: status lines included, which the CLI's
 * non-interactive output leaves out (docker-build streams BuildKit's progress as such ephemeral status).
 */
export function providerLog(events: readonly EngineEvent[], type: string): string {
  return (
    events
      // The URN's type path ends in the type (after its parents' types and a $).
      .flatMap((e) => (e.diagnosticEvent?.urn?.includes(`${type}::`) === true ? [e.diagnosticEvent.message] : []))
      .join("")
  );
}

export function readEvents(path: string): EngineEvent[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as EngineEvent);
}

/**
 * `type::name` of every resource the run would create, as the offline plan
 * lists them: without the stack itself and the providers the engine makes by default.
 */
export function wouldCreate(events: readonly EngineEvent[]): string[] {
  return events
    .flatMap((e) => (e.resourcePreEvent?.metadata.op === "create" ? [e.resourcePreEvent.metadata] : []))
    .filter((m) => m.type !== "pulumi:pulumi:Stack")
    .map((m) => `${m.type}::${m.urn.slice(m.urn.lastIndexOf("::") + 2)}`)
    .filter((r) => !/^pulumi:providers:[^:]+::default(_|$)/.test(r))
    .sort();
}

/**
 * BuildKit's plain progress, per step of the Dockerfile: whether it came from the cache. Each step is
 * announced as `#N [i/n] INSTRUCTION` and, when cached, answered by a line `#N CACHED`.
 */
export function buildSteps(log: string): { readonly step: string; readonly cached: boolean }[] {
  const cached = new Set([...log.matchAll(/^#(\d+) CACHED$/gm)].map((m) => m[1]));
  const announced = new Map<string, string>();
  for (const m of log.matchAll(/^#(\d+) \[(?:[\w-]+ )?\d+\/\d+\] (.+)$/gm)) announced.set(m[2] ?? "", m[1] ?? "");
  return [...announced].map(([step, id]) => ({ step, cached: cached.has(id) }));
}

/**
 * Seconds from the engine's start of each changed resource of `type` to its outputs: how long its provider
 * worked on it (an image's build and push), to the engine's whole second. Resources left as they were are
 * not counted; with `nameSuffix`, only resources whose name ends with it (`-deploy`: Railway's deploy
 * commands, not the image's signature).
 */
export function stepSeconds(events: readonly EngineEvent[], type: string, nameSuffix = ""): number[] {
  const named = (urn: string): boolean => urn.slice(urn.lastIndexOf("::") + 2).endsWith(nameSuffix);
  const started = new Map<string, number>();
  const seconds: number[] = [];
  for (const e of events) {
    const pre = e.resourcePreEvent?.metadata;
    if (pre?.type === type && pre.op !== "same" && named(pre.urn) && e.timestamp !== undefined) started.set(pre.urn, e.timestamp);
    const done = e.resOutputsEvent?.metadata;
    const from = done === undefined ? undefined : started.get(done.urn);
    if (done?.type === type && from !== undefined && e.timestamp !== undefined) seconds.push(e.timestamp - from);
  }
  return seconds;
}
