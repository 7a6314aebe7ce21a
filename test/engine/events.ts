/** The engine's event log (`--event-log`): one JSON event per line, the engine's own record of a run. */
import { readFileSync } from "node:fs";

interface PolicySummary {
  readonly policyPackName: string;
  readonly passed?: readonly string[];
  readonly failed?: readonly string[];
}

export interface EngineEvent {
  readonly resourcePreEvent?: { readonly metadata: { readonly op: string; readonly urn: string; readonly type: string } };
  readonly policyEvent?: { readonly policyName: string; readonly message: string; readonly enforcementLevel: string };
  readonly policyAnalyzeSummaryEvent?: PolicySummary & { readonly resourceUrn: string };
  readonly policyAnalyzeStackSummaryEvent?: PolicySummary;
  readonly diagnosticEvent?: { readonly message: string; readonly severity: string };
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
