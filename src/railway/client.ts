/**
 * A small typed client for Railway's public GraphQL API: retries what is
 * worth retrying (429 honouring Retry-After, 5xx, network errors, timeouts)
 * a bounded number of times with backoff, and fails at once on 401/403.
 */
import { documents, type DocumentName } from "./documents";

export const railwayEndpoint = "https://backboard.railway.com/graphql/v2";

export interface ClientOptions {
  readonly token: string;
  /**
   * `account` tokens (account or workspace) go in `Authorization: Bearer`,
   * `project` tokens in `Project-Access-Token`.
   */
  readonly tokenKind: "account" | "project";
  readonly endpoint?: string;
  /** Attempts per request, the first included. */
  readonly maxAttempts?: number;
  /** Per-attempt timeout. */
  readonly timeoutMs?: number;
  /** First backoff; doubles each retry. */
  readonly backoffMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly log?: (line: string) => void;
}

export class RailwayError extends Error {
  override readonly name: string = "RailwayError";
}
/** The token was refused: wrong token, or a token without the needed scope. */
export class RailwayAuthError extends RailwayError {
  override readonly name = "RailwayAuthError";
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Seconds or an HTTP date, as `Retry-After` allows; capped so a hostile header cannot stall a deploy. */
export function retryAfterMs(header: string | null, fallback: number): number {
  if (header === null) return fallback;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return Math.min(Math.max(Number.isFinite(ms) ? ms : fallback, 0), 60_000);
}

export class RailwayClient {
  private readonly endpoint: string;
  private readonly maxAttempts: number;
  private readonly timeoutMs: number;
  private readonly backoffMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly log: (line: string) => void;

  constructor(private readonly options: ClientOptions) {
    this.endpoint = options.endpoint ?? railwayEndpoint;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.backoffMs = options.backoffMs ?? 1000;
    this.sleep = options.sleep ?? sleep;
    this.log = options.log ?? ((): void => undefined);
  }

  private headers(): Record<string, string> {
    return {
      "content-type": "application/json",
      ...(this.options.tokenKind === "project"
        ? { "project-access-token": this.options.token }
        : { authorization: `Bearer ${this.options.token}` }),
    };
  }

  async request<T>(name: DocumentName, variables: Readonly<Record<string, unknown>>): Promise<T> {
    const body = JSON.stringify({ query: documents[name], variables, operationName: operationName(name) });
    let lastProblem = "";
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const backoff = this.backoffMs * 2 ** (attempt - 1);
      let response: Response;
      try {
        response = await fetch(this.endpoint, { method: "POST", headers: this.headers(), body, signal: AbortSignal.timeout(this.timeoutMs) });
      } catch (error) {
        lastProblem = error instanceof Error && error.name === "TimeoutError" ? `timed out after ${this.timeoutMs} ms` : `network error (${error instanceof Error ? error.message : String(error)})`;
        this.log(`railway ${name}: ${lastProblem}; attempt ${attempt}/${this.maxAttempts}`);
        if (attempt < this.maxAttempts) await this.sleep(backoff);
        continue;
      }
      if (response.status === 401 || response.status === 403) {
        throw new RailwayAuthError(
          `Railway refused the token (HTTP ${response.status}) for ${name}. Use an account or workspace token with access to this project ` +
            "(a project token may not be allowed every mutation), then: pulumi config set --secret railwayToken --stack <stack>",
        );
      }
      if (response.status === 429 || response.status >= 500) {
        lastProblem = `HTTP ${response.status}`;
        const wait = response.status === 429 ? retryAfterMs(response.headers.get("retry-after"), backoff) : backoff;
        this.log(`railway ${name}: ${lastProblem}; attempt ${attempt}/${this.maxAttempts}, retrying in ${wait} ms`);
        await response.body?.cancel();
        if (attempt < this.maxAttempts) await this.sleep(wait);
        continue;
      }
      const payload = (await response.json()) as { data?: T; errors?: { message: string }[] };
      if (payload.errors !== undefined && payload.errors.length > 0) {
        throw new RailwayError(`Railway rejected ${name}: ${payload.errors.map((e) => e.message).join("; ")}`);
      }
      if (!response.ok || payload.data === undefined) throw new RailwayError(`Railway answered ${name} with HTTP ${response.status} and no data`);
      return payload.data;
    }
    throw new RailwayError(`Railway ${name} failed after ${this.maxAttempts} attempts: ${lastProblem}`);
  }
}

function operationName(name: DocumentName): string {
  const match = /(?:query|mutation)\s+([A-Za-z]+)/.exec(documents[name]);
  return match?.[1] ?? name;
}
