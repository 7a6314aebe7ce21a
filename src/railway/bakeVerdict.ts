/**
 * The bake window's judgement, a pure function of two windows of traffic: the
 * new deployment's since it went live, and the previous deployment's just
 * before this deploy started it (its trailing window, as long as the bake).
 * A breach is a 5xx ratio above the previous one by more than the allowed
 * increase, or a p95 latency above the previous one times the allowed ratio.
 * Too little traffic to tell is "inconclusive"; a setting says whether that passes.
 */

export interface BakeSettings {
  /** How long the new deployment is watched after it goes live; 0: no bake. */
  readonly seconds: number;
  /** How much the 5xx ratio may rise over the previous deployment's (0.01: one percentage point). */
  readonly maxErrorRateIncrease: number;
  /** How many times the previous deployment's p95 latency the new one's may be. */
  readonly maxLatencyRatio: number;
  /** Requests the new deployment must answer in the window before it can be judged at all. */
  readonly minRequests: number;
  /** What too little traffic (or no metrics) means: the deploy passes, or fails and rolls back. */
  readonly inconclusive: "pass" | "fail";
  /** How often the window is read while it runs (an early breach rolls back at once). */
  readonly intervalMs: number;
}

/** One window of HTTP traffic of a service, as Railway's metrics (or a deployment's HTTP logs) give it. */
export interface WindowStats {
  readonly requests: number;
  /** Answers with a 5xx status. */
  readonly errors: number;
  /** The window's p95 request duration in ms; `undefined` without traffic. */
  readonly p95Ms: number | undefined;
  /** Where the figures came from. */
  readonly source: "metrics" | "http logs";
}

export type BakeVerdict =
  | { readonly kind: "pass"; readonly summary: string }
  | { readonly kind: "breach"; readonly summary: string }
  | { readonly kind: "inconclusive"; readonly summary: string };

const percent = (ratio: number): string => `${(ratio * 100).toFixed(1)}%`;
const ms = (value: number): string => `${Math.round(value)} ms`;

function errorFigure(w: WindowStats): string {
  return `${percent(w.requests === 0 ? 0 : w.errors / w.requests)} (${String(w.errors)} of ${String(w.requests)} requests)`;
}

/** The previous deployment's window, when it had enough traffic to compare with. */
function usableBaseline(baseline: WindowStats | undefined, s: BakeSettings): WindowStats | undefined {
  return baseline !== undefined && baseline.requests >= s.minRequests ? baseline : undefined;
}

function errorBreach(candidate: WindowStats, baseline: WindowStats | undefined, s: BakeSettings, since: string): string | undefined {
  const before = baseline === undefined ? 0 : baseline.errors / baseline.requests;
  const allowed = before + s.maxErrorRateIncrease;
  const ratio = candidate.errors / candidate.requests;
  if (ratio <= allowed) return undefined;
  const against = baseline === undefined ? "0% (no earlier traffic to compare with)" : `${errorFigure(baseline)} before it`;
  return (
    `5xx ratio ${errorFigure(candidate)} ${since}, against ${against}; ` +
    `allowed: ${percent(allowed)} (bakeMaxErrorRateIncrease ${String(s.maxErrorRateIncrease)})`
  );
}

function latencyBreach(candidate: WindowStats, baseline: WindowStats | undefined, s: BakeSettings, since: string): string | undefined {
  if (baseline?.p95Ms === undefined || candidate.p95Ms === undefined) return undefined;
  const allowed = baseline.p95Ms * s.maxLatencyRatio;
  if (candidate.p95Ms <= allowed) return undefined;
  return (
    `p95 latency ${ms(candidate.p95Ms)} ${since}, against ${ms(baseline.p95Ms)} before it; ` +
    `allowed: ${ms(allowed)} (bakeMaxLatencyRatio ${String(s.maxLatencyRatio)})`
  );
}

/**
 * The verdict on the window so far; `undefined`: keep watching. Before the window ends only a breach is
 * final (and only with `minRequests` requests seen: a few early errors are not a trend); at its end,
 * `final`, the deployment passes, breaches or is inconclusive. `unreadable`: why the window could not be read.
 */
export function bakeVerdict(
  candidate: WindowStats | undefined,
  baseline: WindowStats | undefined,
  s: BakeSettings,
  final: boolean,
  unreadable?: string,
): BakeVerdict | undefined {
  const since = `in the ${String(s.seconds)} s bake since go-live`;
  if (candidate === undefined) {
    return final ? { kind: "inconclusive", summary: `Railway's HTTP metrics could not be read (${unreadable ?? "no answer"})` } : undefined;
  }
  if (candidate.requests < s.minRequests) {
    return final
      ? {
          kind: "inconclusive",
          summary: `${String(candidate.requests)} requests ${since}, fewer than bakeMinRequests ${String(s.minRequests)}: too little traffic to judge`,
        }
      : undefined;
  }
  const compared = usableBaseline(baseline, s);
  const breach = errorBreach(candidate, compared, s, since) ?? latencyBreach(candidate, compared, s, since);
  if (breach !== undefined) return { kind: "breach", summary: `${breach} (from Railway's ${candidate.source})` };
  if (!final) return undefined;
  const p95 = candidate.p95Ms === undefined ? "" : `, p95 ${ms(candidate.p95Ms)}`;
  const before =
    compared === undefined
      ? "no earlier traffic to compare with"
      : `before it ${errorFigure(compared)}${compared.p95Ms === undefined ? "" : `, p95 ${ms(compared.p95Ms)}`}`;
  return { kind: "pass", summary: `5xx ratio ${errorFigure(candidate)}${p95} ${since}; ${before}` };
}
