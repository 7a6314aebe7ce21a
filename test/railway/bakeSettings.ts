import type { BakeSettings } from "../../src/railway/bakeVerdict";

/** The program's bake defaults (docs/settings.md), read every 30 s: what the bake tests start from. */
export const defaultBake: BakeSettings = {
  seconds: 300,
  maxErrorRateIncrease: 0.01,
  maxLatencyRatio: 1.5,
  minRequests: 50,
  inconclusive: "pass",
  intervalMs: 30_000,
};
