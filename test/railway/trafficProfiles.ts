/**
 * Scripted HTTP traffic for the Railway stand-in: what its `httpMetricsGroupedByStatus`,
 * `httpDurationMetrics` and `httpLogs` answer, per Railway's published schema. A profile says, for each
 * second, how many requests the serving deployment answers, how many of them 5xx, and how long they take;
 * the stand-in knows which deployment served when (each one's go-live and removal on its clock).
 *
 * Railway documents these queries only by their schema; what the stand-in chooses where the schema is
 * silent (a sample per step holding that step's count, starting at the step's first second; logs oldest
 * first) is its own and said here.
 */

/** One second of traffic of one deployment. */
export interface Rate {
  readonly requestsPerSecond: number;
  /** Fraction of those answered 5xx (status 500). */
  readonly errorRatio: number;
  /** The p95 request duration in ms. */
  readonly p95Ms: number;
}

export interface TrafficProfile {
  /**
   * The traffic of a deployment `sinceLive` seconds after it went live. `fresh`: a deployment a deploy
   * started after the profile was set (the release being baked), not one from before nor a rollback's.
   */
  readonly rate: (fresh: boolean, sinceLive: number) => Rate;
  /**
   * How the metrics API answers: with data; rate-limited (HTTP 429 with Retry-After, Railway's public API
   * limit); or missing (a GraphQL error, as for a field the API no longer serves). `httpLogs` answers in
   * both of the last two only when `logs` is true.
   */
  readonly metrics: "available" | "rate-limited" | "missing";
  readonly logs: boolean;
}

const steady: Rate = { requestsPerSecond: 5, errorRatio: 0.002, p95Ms: 120 };

export interface TrafficProfiles {
  readonly healthy: TrafficProfile;
  readonly burst: (afterSeconds: number) => TrafficProfile;
  readonly slow: (factor: number) => TrafficProfile;
  readonly quiet: TrafficProfile;
  readonly rateLimited: (logs: boolean, base?: TrafficProfile) => TrafficProfile;
  readonly missing: (logs: boolean, base?: TrafficProfile) => TrafficProfile;
}

export const trafficProfiles: TrafficProfiles = {
  /** Both deployments serve the same steady traffic, a few 5xx in a thousand. */
  healthy: { rate: () => steady, metrics: "available", logs: true },
  /** The new release answers 30% 5xx from `afterSeconds` after go-live. */
  burst: (afterSeconds: number): TrafficProfile => ({
    rate: (fresh, sinceLive) => (fresh && sinceLive >= afterSeconds ? { ...steady, errorRatio: 0.3 } : steady),
    metrics: "available",
    logs: true,
  }),
  /** The new release's p95 latency is `factor` times the old one's. */
  slow: (factor: number): TrafficProfile => ({
    rate: (fresh) => (fresh ? { ...steady, p95Ms: steady.p95Ms * factor } : steady),
    metrics: "available",
    logs: true,
  }),
  /** Nobody calls the service. */
  quiet: { rate: () => ({ requestsPerSecond: 0, errorRatio: 0, p95Ms: 0 }), metrics: "available", logs: true },
  /** The metrics API answers 429 to everything; so do the logs unless `logs`. */
  rateLimited: (logs: boolean, base: TrafficProfile = trafficProfiles.healthy): TrafficProfile => ({
    ...base,
    metrics: "rate-limited",
    logs,
  }),
  /** The metrics API has no such fields; the deployment's HTTP logs still answer unless `logs` is false. */
  missing: (logs: boolean, base: TrafficProfile = trafficProfiles.burst(0)): TrafficProfile => ({ ...base, metrics: "missing", logs }),
};

/** When a deployment served, in ms on the stand-in's clock, and whether it is the fresh one. */
export interface ServingSpan {
  readonly id: string;
  readonly fresh: boolean;
  readonly from: number;
  readonly until: number | undefined;
}

interface Second {
  readonly at: number;
  readonly span: ServingSpan;
  readonly requests: number;
  readonly errors: number;
  readonly p95Ms: number;
}

/** Every whole second in [from, to) with what served it; requests rounded per second so counts are whole. */
function seconds(profile: TrafficProfile, spans: readonly ServingSpan[], from: number, to: number): Second[] {
  const out: Second[] = [];
  for (let at = Math.ceil(from / 1000) * 1000; at < to; at += 1000) {
    const span = spans.find((s) => s.from <= at && (s.until === undefined || at < s.until));
    if (span === undefined) continue;
    const rate = profile.rate(span.fresh, Math.floor((at - span.from) / 1000));
    const requests = Math.round(rate.requestsPerSecond);
    out.push({ at, span, requests, errors: Math.round(requests * rate.errorRatio), p95Ms: rate.p95Ms });
  }
  return out;
}

/** `httpMetricsGroupedByStatus`: per status code (200 and 500), one sample per step holding that step's count. */
export function metricsByStatus(
  profile: TrafficProfile,
  spans: readonly ServingSpan[],
  from: number,
  to: number,
  stepSeconds: number,
): { statusCode: number; samples: { ts: number; value: number }[] }[] {
  const steps = new Map<number, { ok: number; errors: number }>();
  for (const s of seconds(profile, spans, from, to)) {
    const ts = Math.floor(s.at / 1000 / stepSeconds) * stepSeconds;
    const step = steps.get(ts) ?? { ok: 0, errors: 0 };
    step.ok += s.requests - s.errors;
    step.errors += s.errors;
    steps.set(ts, step);
  }
  const series = (statusCode: number, pick: (v: { ok: number; errors: number }) => number) => ({
    statusCode,
    samples: [...steps.entries()].filter(([, v]) => pick(v) > 0).map(([ts, v]) => ({ ts, value: pick(v) })),
  });
  return [series(200, (v) => v.ok), series(500, (v) => v.errors)].filter((s) => s.samples.length > 0);
}

/** `httpDurationMetrics`: one sample per step with traffic; each percentile from the step's seconds, weighted by their requests. */
export function durationMetrics(
  profile: TrafficProfile,
  spans: readonly ServingSpan[],
  from: number,
  to: number,
  stepSeconds: number,
): { samples: { ts: number; p50: number; p90: number; p95: number; p99: number }[] } {
  const steps = new Map<number, { weight: number; p95: number }>();
  for (const s of seconds(profile, spans, from, to)) {
    if (s.requests === 0) continue;
    const ts = Math.floor(s.at / 1000 / stepSeconds) * stepSeconds;
    const step = steps.get(ts) ?? { weight: 0, p95: 0 };
    step.p95 = (step.p95 * step.weight + s.p95Ms * s.requests) / (step.weight + s.requests);
    step.weight += s.requests;
    steps.set(ts, step);
  }
  return {
    samples: [...steps.entries()].map(([ts, v]) => ({ ts, p50: v.p95 * 0.5, p90: v.p95 * 0.8, p95: v.p95, p99: v.p95 * 1.5 })),
  };
}

/**
 * `httpLogs(deploymentId, afterDate, beforeDate, limit)`: one entry per request of that deployment, oldest
 * first. Of each second's requests, its errors answer 500 and the rest 200; durations put 90% at half the
 * p95, 5% at the p95 and 5% above it (in turn across the log), so its nearest-rank p95 is the profile's.
 */
export function httpLogs(
  profile: TrafficProfile,
  spans: readonly ServingSpan[],
  deploymentId: string,
  from: number,
  to: number,
  limit: number,
): { timestamp: string; httpStatus: number; totalDuration: number; deploymentId: string }[] {
  const logs: { timestamp: string; httpStatus: number; totalDuration: number; deploymentId: string }[] = [];
  const mine = spans.filter((s) => s.id === deploymentId);
  let n = 0;
  for (const s of seconds(profile, mine, from, to)) {
    for (let i = 0; i < s.requests && logs.length < limit; i++, n++) {
      // Across the whole log, not per second: a second of five requests would otherwise never reach the slow bands.
      const band = n % 20;
      const duration = band < 18 ? s.p95Ms * 0.5 : band === 18 ? s.p95Ms : s.p95Ms * 1.2;
      logs.push({
        timestamp: new Date(s.at + i).toISOString(),
        httpStatus: i < s.errors ? 500 : 200,
        totalDuration: Math.round(duration),
        deploymentId,
      });
    }
  }
  return logs;
}
