/**
 * The bake window after a deployment goes live: for `bakeSeconds` the deploy
 * reads the service's HTTP traffic from Railway (the metrics API by status
 * code and duration; a deployment's HTTP logs when the metrics API refuses)
 * and compares it with the previous deployment's trailing window
 * (bakeVerdict.ts). Railway itself watches nothing after go-live
 * (docs/railway.md §13).
 */
import type { RailwayClient } from "./client";
import { bakeVerdict, type BakeSettings, type BakeVerdict, type WindowStats } from "./bakeVerdict";

/** What a bake needs of the deploy it is part of (deploy.ts's DeployContext has it all). */
export interface BakeContext {
  readonly client: RailwayClient;
  readonly options: { readonly serviceId: string; readonly environmentId: string };
  readonly timing: { readonly now: () => number; readonly sleep: (ms: number) => Promise<void> };
  readonly log: (line: string) => void;
}

/** The two windows a bake compares, in ms on the deploy's clock. */
export interface BakeWindows {
  /** The deployment this deploy started, live since `liveAt`. */
  readonly deploymentId: string;
  readonly liveAt: number;
  /** The deployment serving before, and when this deploy started the new one (its trailing window ends there). */
  readonly previousId: string | undefined;
  readonly startedAt: number;
}

/** Requests at most read from one deployment's HTTP logs (the fallback); more are not needed to judge a ratio. */
const logLimit = 5000;

const iso = (ms: number): string => new Date(ms).toISOString();

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Requests and 5xx answers by step from the metrics API; the p95 weighted by each step's requests. */
async function fromMetrics(c: BakeContext, from: number, to: number, stepSeconds: number): Promise<WindowStats> {
  const window = {
    serviceId: c.options.serviceId,
    environmentId: c.options.environmentId,
    startDate: iso(from),
    endDate: iso(to),
    stepSeconds,
  };
  const [byStatus, durations] = [await c.client.request("httpMetricsByStatus", window), await c.client.request("httpDurations", window)];
  const perStep = new Map<number, number>();
  let requests = 0;
  let errors = 0;
  for (const series of byStatus.httpMetricsGroupedByStatus) {
    for (const sample of series.samples) {
      requests += sample.value;
      if (series.statusCode >= 500) errors += sample.value;
      perStep.set(sample.ts, (perStep.get(sample.ts) ?? 0) + sample.value);
    }
  }
  const weighted = durations.httpDurationMetrics.samples.map((s) => ({ p95: s.p95, weight: perStep.get(s.ts) ?? 0 }));
  const total = weighted.reduce((sum, w) => sum + w.weight, 0);
  const p95 =
    weighted.length === 0
      ? undefined
      : total > 0
        ? weighted.reduce((sum, w) => sum + w.p95 * w.weight, 0) / total
        : weighted.reduce((sum, w) => sum + w.p95, 0) / weighted.length;
  return { requests: Math.round(requests), errors: Math.round(errors), p95Ms: requests === 0 ? undefined : p95, source: "metrics" };
}

/** The same figures from one deployment's HTTP logs: each request's status and total duration. */
async function fromLogs(c: BakeContext, deploymentId: string, from: number, to: number): Promise<WindowStats> {
  // The schema: anchorDate is the "target date time", beforeDate the "oldest date to look for logs before the anchor".
  const { httpLogs } = await c.client.request("httpLogs", {
    deploymentId,
    anchorDate: iso(to),
    beforeDate: iso(from),
    beforeLimit: logLimit,
    afterLimit: 0,
  });
  const inWindow = httpLogs.filter((l) => {
    const at = Date.parse(l.timestamp);
    return Number.isNaN(at) || (at >= from && at < to);
  });
  const durations = inWindow.map((l) => l.totalDuration).sort((a, b) => a - b);
  // Nearest rank: the smallest duration at least 95% of the requests took no longer than.
  const p95 = durations.length === 0 ? undefined : durations[Math.ceil(durations.length * 0.95) - 1];
  return { requests: inWindow.length, errors: inWindow.filter((l) => l.httpStatus >= 500).length, p95Ms: p95, source: "http logs" };
}

/** One window: the metrics API, else the deployment's HTTP logs; throws what both said. */
export async function windowStats(
  c: BakeContext,
  deploymentId: string | undefined,
  from: number,
  to: number,
  s: BakeSettings,
): Promise<WindowStats> {
  const stepSeconds = Math.max(1, Math.round(s.intervalMs / 1000));
  try {
    return await fromMetrics(c, from, to, stepSeconds);
  } catch (metricsError) {
    if (deploymentId === undefined) throw metricsError;
    c.log(
      `bake: Railway's metrics API did not answer (${errorText(metricsError)}): reading deployment ${deploymentId}'s HTTP logs instead`,
    );
    try {
      return await fromLogs(c, deploymentId, from, to);
    } catch (logsError) {
      throw new Error(`metrics: ${errorText(metricsError)}; HTTP logs: ${errorText(logsError)}`, { cause: logsError });
    }
  }
}

/** The previous deployment's trailing window, as long as the bake, ending when this deploy started the new one. */
async function baselineOf(c: BakeContext, w: BakeWindows, s: BakeSettings): Promise<WindowStats | undefined> {
  if (w.previousId === undefined) return undefined;
  try {
    return await windowStats(c, w.previousId, w.startedAt - s.seconds * 1000, w.startedAt, s);
  } catch (error) {
    c.log(`bake: the previous deployment's window could not be read (${errorText(error)}): judging against 0% errors, latency unjudged`);
    return undefined;
  }
}

/**
 * Watches the live deployment for the bake window, reading it every `intervalMs`; returns at the first breach,
 * or with the verdict at the window's end.
 */
export async function bake(c: BakeContext, w: BakeWindows, s: BakeSettings): Promise<BakeVerdict> {
  const baseline = await baselineOf(c, w, s);
  const end = w.liveAt + s.seconds * 1000;
  c.log(`bake: watching deployment ${w.deploymentId} for ${String(s.seconds)} s (bakeSeconds)`);
  let unreadable: string | undefined;
  let latest: WindowStats | undefined;
  for (;;) {
    const now = c.timing.now();
    if (now < end) await c.timing.sleep(Math.min(s.intervalMs, end - now));
    const to = Math.min(c.timing.now(), end);
    try {
      latest = await windowStats(c, w.deploymentId, w.liveAt, Math.max(to, w.liveAt + 1), s);
      unreadable = undefined;
    } catch (error) {
      unreadable = errorText(error);
      c.log(`bake: could not read the window (${unreadable})`);
    }
    const final = to >= end;
    // The end's verdict is of the whole window: an earlier, shorter read does not stand in for it.
    const verdict = bakeVerdict(final && unreadable !== undefined ? undefined : latest, baseline, s, final, unreadable);
    if (verdict !== undefined) return verdict;
  }
}

/**
 * After the new deployment passed its health check: the bake, if any, and what its verdict means. `undefined`:
 * the deployment stays (passed, no bake, or inconclusive where that passes); otherwise the failure to roll back for.
 */
export async function bakeFailure(c: BakeContext, w: BakeWindows, s: BakeSettings | undefined): Promise<string | undefined> {
  if (s === undefined || s.seconds === 0) return undefined;
  const verdict = await bake(c, w, s);
  if (verdict.kind === "pass") {
    c.log(`bake passed: ${verdict.summary}`);
    return undefined;
  }
  if (verdict.kind === "inconclusive" && s.inconclusive === "pass") {
    c.log(`bake inconclusive: ${verdict.summary}; it passes (bakeInconclusive pass)`);
    return undefined;
  }
  return verdict.kind === "breach"
    ? `deployment ${w.deploymentId} went live, then failed its bake: ${verdict.summary}`
    : `deployment ${w.deploymentId} went live, but its bake was inconclusive and bakeInconclusive is fail: ${verdict.summary}`;
}
