// The one retry loop of the deploy command, on its own: attempts, backoff, a wait an attempt sets, giving up, and what stops it at once.
import { describe, expect, it } from "vitest";
import { again, done, retry, sleep, type Attempt, type Outcome, type RetryOptions } from "../../src/railway/retry";

/** Runs `retry` with recorded waits; attempt n answers `answers[n - 1]` (a thrown Error is thrown). */
async function run<T>(
  answers: readonly (Outcome<T> | Error)[],
  options: Partial<RetryOptions> = {},
): Promise<{ value?: T; error?: unknown; waits: number[]; seen: Attempt[] }> {
  const waits: number[] = [];
  const seen: Attempt[] = [];
  const attempt = (a: Attempt): Promise<Outcome<T>> => {
    seen.push(a);
    const answer = answers[a.attempt - 1];
    if (answer === undefined) throw new Error(`attempt ${String(a.attempt)} was not expected`);
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  };
  const settings: RetryOptions = {
    attempts: answers.length,
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
    giveUp: (problem, attempts) => new Error(`gave up after ${String(attempts)} attempts: ${problem}`),
    ...options,
  };
  try {
    return { value: await retry(attempt, settings), waits, seen };
  } catch (error) {
    return { error, waits, seen };
  }
}

describe("retry", () => {
  it("returns the first attempt that is done, doubling the backoff between the ones before", async () => {
    const r = await run([again("HTTP 502"), again("HTTP 503"), again("timed out"), done("data")], { backoffMs: 100 });
    expect(r.value).toBe("data");
    expect(r.waits).toEqual([100, 200, 400]);
    expect(r.seen.map((a) => [a.attempt, a.attempts, a.backoffMs])).toEqual([
      [1, 4, 100],
      [2, 4, 200],
      [3, 4, 400],
      [4, 4, 800],
    ]);
  });

  it("keeps an even interval with factor 1", async () => {
    const r = await run([again("HTTP 503"), again("HTTP 503"), done(undefined)], { backoffMs: 500, factor: 1 });
    expect(r.waits).toEqual([500, 500]);
  });

  it("waits what an attempt asks for instead of the backoff (a 429's Retry-After)", async () => {
    const r = await run([again("HTTP 429", 7000), again("HTTP 502"), done(1)], { backoffMs: 100 });
    expect(r.value).toBe(1);
    expect(r.waits).toEqual([7000, 200]);
  });

  it("gives up after the attempts with the last problem, and waits after none but the ones before the last", async () => {
    const r = await run([again("HTTP 502"), again("HTTP 504"), again("network error (socket hang up)")], { backoffMs: 10 });
    expect((r.error as Error).message).toBe("gave up after 3 attempts: network error (socket hang up)");
    expect(r.seen).toHaveLength(3);
    expect(r.waits).toEqual([10, 20]);
  });

  it("stops at once on an error an attempt throws: nothing is tried again, nothing waits", async () => {
    const refused = new Error("Railway refused the token");
    const r = await run([refused, done("never reached")], { backoffMs: 10 });
    expect(r.error).toBe(refused);
    expect(r.seen).toHaveLength(1);
    expect(r.waits).toEqual([]);
  });

  it("without a backoff, the next attempt follows at once", async () => {
    const r = await run([again("no deployment started"), done("deployment-new")]);
    expect(r.value).toBe("deployment-new");
    expect(r.waits).toEqual([]);
  });

  it("sleeps for real when given no sleep", async () => {
    const started = Date.now();
    const value = await retry(async ({ attempt }) => Promise.resolve(attempt === 1 ? again("busy", 30) : done("ok")), {
      attempts: 2,
      giveUp: () => new Error("unexpected"),
    });
    expect(value).toBe("ok");
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it("sleep waits the time given", async () => {
    const started = Date.now();
    await sleep(20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
  });
});
