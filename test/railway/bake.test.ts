// The bake window over real HTTP against the Railway stand-in, whose metrics and HTTP logs come from a scripted
// traffic profile on the same simulated clock as the deploy: the decision, exactly one rollback, the message.
import { afterEach, describe, expect, it } from "vitest";
import { RailwayClient } from "../../src/railway/client";
import { deploy, DeployFailedError } from "../../src/railway/deploy";
import type { BakeSettings } from "../../src/railway/bakeVerdict";
import { defaultBake } from "./bakeSettings";
import { FakeRailway, railwayDeployOptions, railwayTiming, serviceHistory, simulatedClock, type FakeRailwayOptions } from "./fakeRailway";
import { trafficProfiles } from "./trafficProfiles";

const token = "sentinel-railway-token-1f2e";
const variables = { OPENAI_API_KEY: "sentinel-openai-rotated-7c6d" };
const digest = `docker.io/acme/app@sha256:${"b".repeat(64)}`;
const settings = defaultBake;

let fake: FakeRailway | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

async function bakeRun(options: FakeRailwayOptions, bake: Partial<BakeSettings> = {}) {
  const clock = simulatedClock();
  // A service that has served for a day before this deploy.
  await clock.sleep(86_400_000);
  const started = clock.now();
  fake = await new FakeRailway({ clock: clock.now, history: serviceHistory, ...options }).start();
  const logs: string[] = [];
  const client = new RailwayClient({
    token,
    tokenKind: "account",
    endpoint: `${fake.url}/graphql/v2`,
    timeoutMs: 2000,
    backoffMs: 100,
    maxAttempts: 3,
    sleep: clock.sleep,
    log: (l) => logs.push(l),
  });
  const deployOptions = railwayDeployOptions(fake, digest, variables, { bake: { ...settings, ...bake } });
  const operations = (): string[] => fake?.requests.map((r) => r.operationName) ?? [];
  try {
    const result = await deploy(client, deployOptions, railwayTiming(clock), (l) => logs.push(l));
    return { fake, result, error: undefined, logs, operations: operations(), elapsedMs: clock.now() - started };
  } catch (error) {
    return { fake, result: undefined, error, logs, operations: operations(), elapsedMs: clock.now() - started };
  }
}

const message = (error: unknown): string => (error instanceof Error ? error.message : "");
const rollbacks = (ops: readonly string[]): number => ops.filter((o) => o === "Rollback").length;

describe("the bake window", () => {
  it("healthy traffic: watched for bakeSeconds, compared with the previous deployment, passed; no rollback", async () => {
    const r = await bakeRun({ traffic: trafficProfiles.healthy });
    expect(r.error).toBeUndefined();
    expect(r.result?.deploymentId).toBe("deployment-new");
    expect(rollbacks(r.operations)).toBe(0);
    expect(r.elapsedMs).toBeGreaterThanOrEqual(300_000);
    expect(r.logs).toContain("bake: watching deployment deployment-new for 300 s (bakeSeconds)");
    expect(r.logs.find((l) => l.startsWith("bake passed:"))).toMatch(
      /^bake passed: 5xx ratio 0\.0% \(0 of 1500 requests\), p95 120 ms in the 300 s bake since go-live; before it 0\.0% \(0 of 1500 requests\), p95 120 ms$/,
    );
    // The metrics API was read every interval: ten windows, and one for the previous deployment.
    expect(r.operations.filter((o) => o === "HttpMetricsByStatus")).toHaveLength(11);
  });

  it("a 5xx burst 90 s after go-live: rolled back at the next reading, exactly once, keeping the stack's variables, with the numbers", async () => {
    const r = await bakeRun({ traffic: trafficProfiles.burst(90) });
    expect(r.error).toBeInstanceOf(DeployFailedError);
    expect(rollbacks(r.operations)).toBe(1);
    expect(r.fake.rolledBackTo).toBe("deployment-good");
    expect(message(r.error)).toMatch(
      /^deployment deployment-new went live, then failed its bake: 5xx ratio (\d+\.\d)% \((\d+) of (\d+) requests\) in the 300 s bake since go-live, against 0\.0% \(0 of 1500 requests\) before it; allowed: 1\.0% \(bakeMaxErrorRateIncrease 0\.01\) \(from Railway's metrics\); rolled back to deployment deployment-good/,
    );
    expect(message(r.error)).toContain("the service's variables are the stack's current values again");
    expect(r.fake.instance.variables).toEqual(variables);
    // At the first reading after the burst began (120 s), not at the window's end.
    expect(r.elapsedMs).toBeLessThan(200_000);
  });

  it("a p95 regression (3x) is a breach: rolled back once, the latencies in the message", async () => {
    const r = await bakeRun({ traffic: trafficProfiles.slow(3) });
    expect(rollbacks(r.operations)).toBe(1);
    expect(message(r.error)).toMatch(
      /failed its bake: p95 latency 360 ms in the 300 s bake since go-live, against 120 ms before it; allowed: 180 ms \(bakeMaxLatencyRatio 1\.5\)/,
    );
  });

  it("no traffic: inconclusive, which passes by default and says so", async () => {
    const r = await bakeRun({ traffic: trafficProfiles.quiet });
    expect(r.error).toBeUndefined();
    expect(rollbacks(r.operations)).toBe(0);
    expect(r.logs).toContain(
      "bake inconclusive: 0 requests in the 300 s bake since go-live, fewer than bakeMinRequests 50: too little traffic to judge; it passes (bakeInconclusive pass)",
    );
  });

  it("no traffic with bakeInconclusive fail: rolled back once, saying why", async () => {
    const r = await bakeRun({ traffic: trafficProfiles.quiet }, { inconclusive: "fail" });
    expect(rollbacks(r.operations)).toBe(1);
    expect(message(r.error)).toMatch(
      /^deployment deployment-new went live, but its bake was inconclusive and bakeInconclusive is fail: 0 requests in the 300 s bake since go-live, fewer than bakeMinRequests 50/,
    );
  });

  it("the metrics API rate-limited (429 with Retry-After): the deployment's HTTP logs decide instead", async () => {
    const r = await bakeRun({ traffic: trafficProfiles.rateLimited(true, trafficProfiles.burst(0)) });
    expect(r.operations).toContain("HttpLogs");
    expect(r.fake.requests.some((q) => q.status === 429)).toBe(true);
    expect(rollbacks(r.operations)).toBe(1);
    expect(message(r.error)).toMatch(/failed its bake: 5xx ratio [\d.]+% \(\d+ of \d+ requests\).*\(from Railway's http logs\)/);
  });

  it("metrics and logs both rate-limited: inconclusive, naming what Railway answered; passes by default", async () => {
    const r = await bakeRun({ traffic: trafficProfiles.rateLimited(false) });
    expect(r.error).toBeUndefined();
    expect(rollbacks(r.operations)).toBe(0);
    expect(r.logs.find((l) => l.startsWith("bake inconclusive:"))).toMatch(
      /^bake inconclusive: Railway's HTTP metrics could not be read \(metrics: .*HTTP 429.*; HTTP logs: .*HTTP 429.*\); it passes/,
    );
  });

  it("the metrics API missing: the logs of a bursting release decide; it is rolled back once", async () => {
    const r = await bakeRun({ traffic: trafficProfiles.missing(true) });
    expect(rollbacks(r.operations)).toBe(1);
    expect(
      r.logs.some(
        (l) =>
          l.includes('Cannot query field \\"httpMetricsGroupedByStatus\\"') ||
          l.includes('Cannot query field "httpMetricsGroupedByStatus"'),
      ),
    ).toBe(true);
    expect(message(r.error)).toContain("(from Railway's http logs)");
  });

  it("a breach Railway cannot roll back (the previous image no longer retained): fails, saying so, without a rollback", async () => {
    const r = await bakeRun({ traffic: trafficProfiles.burst(0), retentionExpires: ["deployment-good"] });
    expect(rollbacks(r.operations)).toBe(0);
    expect(message(r.error)).toMatch(
      /failed its bake: .*; deployment deployment-good cannot be rolled back to \(Railway says canRollback: false\)/,
    );
  });

  it("bakeSeconds 0: no bake, and no metrics read", async () => {
    const r = await bakeRun({ traffic: trafficProfiles.burst(0) }, { seconds: 0 });
    expect(r.error).toBeUndefined();
    expect(r.operations.filter((o) => o.startsWith("Http"))).toEqual([]);
  });

  it("no earlier deployment: the release is judged against 0% errors, its latency unjudged", async () => {
    const r = await bakeRun({ traffic: trafficProfiles.slow(10), history: [] });
    expect(r.error).toBeUndefined();
    expect(r.logs.find((l) => l.startsWith("bake passed:"))).toMatch(/no earlier traffic to compare with$/);
  });
});
