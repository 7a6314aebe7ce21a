// The bake's judgement alone, at its edges: what is a breach, what is too little to judge, and when.
import { describe, expect, it } from "vitest";
import { bakeVerdict, type WindowStats } from "../../src/railway/bakeVerdict";
import { defaultBake } from "./bakeSettings";

const s = defaultBake;
const w = (requests: number, errors: number, p95Ms?: number): WindowStats => ({ requests, errors, p95Ms, source: "metrics" });

describe("bakeVerdict", () => {
  it("allows the previous ratio plus the increase, and no more", () => {
    const before = w(1000, 20, 100); // 2%
    expect(bakeVerdict(w(1000, 30, 100), before, s, true)?.kind).toBe("pass"); // 3%: at the limit
    expect(bakeVerdict(w(1000, 31, 100), before, s, true)).toEqual({
      kind: "breach",
      summary:
        "5xx ratio 3.1% (31 of 1000 requests) in the 300 s bake since go-live, against 2.0% (20 of 1000 requests) before it; allowed: 3.0% (bakeMaxErrorRateIncrease 0.01) (from Railway's metrics)",
    });
  });

  it("breaches on p95 above the previous times the ratio, and only then", () => {
    expect(bakeVerdict(w(100, 0, 150), w(100, 0, 100), s, true)?.kind).toBe("pass");
    expect(bakeVerdict(w(100, 0, 151), w(100, 0, 100), s, true)?.summary).toMatch(
      /^p95 latency 151 ms in the 300 s bake since go-live, against 100 ms before it; allowed: 150 ms \(bakeMaxLatencyRatio 1\.5\)/,
    );
  });

  it("before the window ends, only a breach with enough requests is final", () => {
    expect(bakeVerdict(w(49, 49, 100), w(1000, 0, 100), s, false)).toBeUndefined();
    expect(bakeVerdict(w(100, 0, 100), w(1000, 0, 100), s, false)).toBeUndefined();
    expect(bakeVerdict(w(50, 10, 100), w(1000, 0, 100), s, false)?.kind).toBe("breach");
  });

  it("too little traffic, or nothing read, is inconclusive at the end, saying which", () => {
    expect(bakeVerdict(w(49, 0), undefined, s, true)?.summary).toBe(
      "49 requests in the 300 s bake since go-live, fewer than bakeMinRequests 50: too little traffic to judge",
    );
    expect(bakeVerdict(undefined, undefined, s, true, "HTTP 429")).toEqual({
      kind: "inconclusive",
      summary: "Railway's HTTP metrics could not be read (HTTP 429)",
    });
    expect(bakeVerdict(undefined, undefined, s, false, "HTTP 429")).toBeUndefined();
  });

  it("a quiet previous deployment is no baseline: errors against 0%, latency not judged", () => {
    const quietBefore = w(10, 5, 10);
    expect(bakeVerdict(w(100, 1, 1000), quietBefore, s, true)?.kind).toBe("pass");
    expect(bakeVerdict(w(100, 2, 1000), quietBefore, s, true)?.summary).toMatch(
      /, against 0% \(no earlier traffic to compare with\); allowed: 1\.0%/,
    );
  });
});
