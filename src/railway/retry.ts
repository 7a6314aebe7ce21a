/**
 * The one retry loop of the deploy command: a bounded number of attempts with
 * a backoff between them. Each attempt says whether it is done or worth
 * another try, and may set its own wait (a 429's Retry-After). What must not
 * be tried again (a refused token, a deploy whose outcome is unknown) the
 * attempt throws: that ends the loop at once.
 */

/** What one attempt came to: its value, or the problem that makes it worth another. */
export type Outcome<T> =
  | { readonly done: true; readonly value: T }
  | { readonly done: false; readonly problem: string; readonly waitMs: number | undefined };

export const done = <T>(value: T): Outcome<T> => ({ done: true, value });

/** Worth another attempt, after `waitMs` (default: the backoff). */
export const again = (problem: string, waitMs?: number): Outcome<never> => ({ done: false, problem, waitMs });

export interface Attempt {
  /** 1 for the first. */
  readonly attempt: number;
  readonly attempts: number;
  /** How long the loop waits after this attempt, unless the attempt says otherwise. */
  readonly backoffMs: number;
}

export interface RetryOptions {
  /** Attempts, the first included. */
  readonly attempts: number;
  /** The wait after the first failed attempt. Default 0: the next attempt follows at once. */
  readonly backoffMs?: number;
  /** What each wait is multiplied by for the next. Default 2 (doubling); 1 keeps an even interval. */
  readonly factor?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** The error when no attempt was done: from the last problem and the number of attempts. */
  readonly giveUp: (problem: string, attempts: number) => Error;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function retry<T>(run: (attempt: Attempt) => Promise<Outcome<T>>, options: RetryOptions): Promise<T> {
  const { attempts, backoffMs = 0, factor = 2 } = options;
  let problem = "";
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const backoff = backoffMs * factor ** (attempt - 1);
    const outcome = await run({ attempt, attempts, backoffMs: backoff });
    if (outcome.done) return outcome.value;
    problem = outcome.problem;
    const wait = outcome.waitMs ?? backoff;
    // Nothing follows the last attempt, so nothing waits after it.
    if (attempt < attempts && wait > 0) await (options.sleep ?? sleep)(wait);
  }
  throw options.giveUp(problem, attempts);
}
