/**
 * A small typed client for Railway's public GraphQL API. Railway answers
 * refusals, auth failures included, as HTTP 200 with an `errors` array (its
 * CLI detects them by message); the client turns those into errors that say
 * which token was refused and what to do. It retries what is safe to retry
 * (429 honouring Retry-After always; timeouts, network errors and 5xx only for
 * documents that can be sent twice) a bounded number of times with backoff.
 */
import { z } from "zod";
import { documents, responses, retrySafe, type DocumentName, type ResponseOf } from "./documents";
import { again, done, retry, sleep, type Attempt, type Outcome } from "./retry";

export const railwayEndpoint = "https://backboard.railway.com/graphql/v2";

/**
 * `account` tokens (account or workspace) go in `Authorization: Bearer` and
 * are what Railway's tools read from `RAILWAY_API_TOKEN`; `project` tokens go
 * in `Project-Access-Token` and are what they read from `RAILWAY_TOKEN`.
 */
export type TokenKind = "account" | "project";

export const tokenVariable: Readonly<Record<TokenKind, string>> = { account: "RAILWAY_API_TOKEN", project: "RAILWAY_TOKEN" };

export interface ClientOptions {
  readonly token: string;
  readonly tokenKind: TokenKind;
  readonly endpoint?: string;
  /** Attempts per request, the first included. */
  readonly maxAttempts?: number;
  /** Per-attempt timeout. */
  readonly timeoutMs?: number;
  /** First backoff; doubles each retry. */
  readonly backoffMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly log?: (line: string) => void;
  /**
   * Applied to what Railway says before it is shortened (providerText) and put
   * in an error: shortened first, a cut through a secret would leave its
   * beginning where the redactor no longer recognises it.
   */
  readonly redact?: (text: string) => string;
}

export class RailwayError extends Error {
  override readonly name: string = "RailwayError";
}
/** The token was refused: wrong token, wrong kind, or a token without access to this project or environment. */
export class RailwayAuthError extends RailwayError {
  override readonly name = "RailwayAuthError";
}
/**
 * A request that must not be sent twice got no answer (timeout, network error,
 * 5xx): Railway may or may not have acted on it. The caller looks before acting again.
 */
export class RailwayOutcomeUnknownError extends RailwayError {
  override readonly name = "RailwayOutcomeUnknownError";
}

/** Seconds or an HTTP date, as `Retry-After` allows; capped so a hostile header cannot stall a deploy. */
export function retryAfterMs(header: string | null, fallback: number): number {
  if (header === null) return fallback;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return Math.min(Math.max(Number.isFinite(ms) ? ms : fallback, 0), 60_000);
}

const fixToken = "pulumi config set --secret railwayToken --stack <stack>";

/**
 * What to tell a user whose token Railway refused, by the message Railway sent
 * (the messages Railway's CLI matches in src/client.rs), or undefined when the
 * error is not about the token.
 */
export function authGuidance(message: string, kind: TokenKind, operation: string): string | undefined {
  const text = message.toLowerCase();
  const sent =
    kind === "account"
      ? "an account or workspace token (RAILWAY_API_TOKEN, sent as Authorization: Bearer)"
      : "a project token (RAILWAY_TOKEN, sent as Project-Access-Token)";
  if (text.includes("project token not found")) {
    return kind === "project"
      ? `Railway does not know the project token (RAILWAY_TOKEN) it was sent for ${operation}: it was deleted, mistyped, or is an account or workspace token. ` +
          `Create a project token for this environment, or use an account or workspace token with railwayTokenKind account; then ${fixToken}`
      : `Railway answered ${operation} with "Project Token not found" to ${sent}: this looks like a project token. ` +
          `Set pulumi config set railwayTokenKind project --stack <stack>, or use an account or workspace token; then ${fixToken}`;
  }
  if (text.includes("not authorized")) {
    return kind === "project"
      ? `Railway refused ${operation} for ${sent}: a project token only reaches the one environment it was created for, and Railway's CLI sets ` +
          `variables and deploys with a project token, so this one is most likely of another environment or project. Create a project token in ` +
          `the environment railwayEnvironmentId names (the project's Settings > Tokens), or use an account or workspace token with access to the ` +
          `project (Account Settings > Tokens) and pulumi config set railwayTokenKind account --stack <stack>; then ${fixToken}`
      : `Railway refused ${operation} for ${sent}: the token is wrong or expired, or its account or workspace has no access to this project. ` +
          `Use a token with access to the project; then ${fixToken}`;
  }
  if (message === "Two Factor Authentication Required") {
    return `Railway refused ${operation}: the workspace requires two-factor authentication of the token's account (https://railway.com/account/security).`;
  }
  return undefined;
}

/** Errors a request could not even send: nothing reached Railway, so sending again is safe. */
const notSentCodes = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);

function causeCode(error: unknown): string | undefined {
  const cause = error instanceof Error ? (error as Error & { cause?: { code?: unknown } }).cause : undefined;
  return typeof cause?.code === "string" ? cause.code : undefined;
}

/**
 * Railway's answer over HTTP 200: the data, or errors (its refusals, auth
 * failures included). `data` may be absent: a request-level error (GraphQL's
 * "request error") has no `data` key at all, and zod 4 requires a key declared
 * `z.unknown()` unless it is marked optional.
 */
const envelope = z.object({ data: z.unknown().optional(), errors: z.array(z.object({ message: z.string() })).optional() });

/** The most of one answer's text (Railway's messages, a shape error) an error or a log line carries. */
export const providerTextLimit = 2000;

/**
 * What Railway said, at most `providerTextLimit` characters: an answer that
 * echoes a whole request (or a megabyte of anything) must not reach Pulumi's
 * log, and the end of the error (what to do) must stay readable.
 */
export function providerText(text: string, limit: number = providerTextLimit): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}… (${text.length - limit} more characters)`;
}

export class RailwayClient {
  readonly tokenKind: TokenKind;
  private readonly endpoint: string;
  private readonly maxAttempts: number;
  private readonly timeoutMs: number;
  private readonly backoffMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly log: (line: string) => void;
  private readonly redact: (text: string) => string;

  constructor(private readonly options: ClientOptions) {
    this.tokenKind = options.tokenKind;
    this.endpoint = options.endpoint ?? railwayEndpoint;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.backoffMs = options.backoffMs ?? 1000;
    this.sleep = options.sleep ?? sleep;
    this.log = options.log ?? ((): void => undefined);
    this.redact = options.redact ?? ((text: string): string => text);
  }

  private headers(): Record<string, string> {
    return {
      "content-type": "application/json",
      ...(this.options.tokenKind === "project"
        ? { "project-access-token": this.options.token }
        : { authorization: `Bearer ${this.options.token}` }),
    };
  }

  async request<N extends DocumentName>(name: N, variables: Readonly<Record<string, unknown>>): Promise<ResponseOf<N>> {
    const body = JSON.stringify({ query: documents[name], variables, operationName: operationName(name) });
    return retry((attempt) => this.send(name, body, attempt), {
      attempts: this.maxAttempts,
      backoffMs: this.backoffMs,
      sleep: this.sleep,
      giveUp: (problem, attempts) => new RailwayError(`Railway ${name} failed after ${attempts} attempts: ${problem}`),
    });
  }

  /** One attempt of a request: Railway's data, or a problem worth sending it again for; anything else throws. */
  async send<N extends DocumentName>(name: N, body: string, attempt: Attempt): Promise<Outcome<ResponseOf<N>>> {
    let response: Response;
    try {
      response = await fetch(this.endpoint, { method: "POST", headers: this.headers(), body, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      return unanswered(name, error, attempt, this.timeoutMs, this.log);
    }
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      throw new RailwayAuthError(
        `Railway refused the token (HTTP ${response.status}) for ${name}. Use an account or workspace token with access to this project ` +
          `(railwayTokenKind account), or a project token of this environment (railwayTokenKind project); then ${fixToken}`,
      );
    }
    if (response.status === 429 || response.status >= 500) return refusedForNow(name, response, attempt, this.log);
    return done(await answer(name, response, this.tokenKind, this.redact));
  }
}

/** No answer (a timeout, a network error): worth sending again only when that cannot do twice what was done once. */
export function unanswered(
  name: DocumentName,
  error: unknown,
  { attempt, attempts }: Attempt,
  timeoutMs: number,
  log: (line: string) => void,
): Outcome<never> {
  const problem =
    error instanceof Error && error.name === "TimeoutError"
      ? `timed out after ${timeoutMs} ms`
      : `network error (${error instanceof Error ? error.message : String(error)})`;
  const code = causeCode(error);
  if (!retrySafe[name] && (code === undefined || !notSentCodes.has(code))) {
    throw new RailwayOutcomeUnknownError(`Railway ${name}: ${problem}; whether Railway acted on it is unknown`);
  }
  log(`railway ${name}: ${problem}; attempt ${attempt}/${attempts}`);
  return again(problem);
}

/** A 429 or a 5xx. A 429 is refused before it is processed (Railway sends Retry-After with it): always safe to send again. */
export async function refusedForNow(
  name: DocumentName,
  response: Response,
  { attempt, attempts, backoffMs }: Attempt,
  log: (line: string) => void,
): Promise<Outcome<never>> {
  const problem = `HTTP ${response.status}`;
  await response.body?.cancel();
  if (response.status >= 500 && !retrySafe[name]) {
    throw new RailwayOutcomeUnknownError(`Railway ${name}: ${problem}; whether Railway acted on it is unknown`);
  }
  const wait = response.status === 429 ? retryAfterMs(response.headers.get("retry-after"), backoffMs) : backoffMs;
  log(`railway ${name}: ${problem}; attempt ${attempt}/${attempts}, retrying in ${wait} ms`);
  return again(problem, wait);
}

/** The data of an answer Railway processed, or its refusal as an error (with what to do about a refused token). */
export async function answer<N extends DocumentName>(
  name: N,
  response: Response,
  tokenKind: TokenKind,
  redact: (text: string) => string = (text) => text,
): Promise<ResponseOf<N>> {
  const payload = envelope.safeParse(await response.json()).data;
  const messages = payload?.errors?.map((e) => e.message) ?? [];
  if (messages.length > 0) {
    const said = providerText(redact(messages.join("; ")));
    const guidance = messages.map((m) => authGuidance(m, tokenKind, name)).find((g) => g !== undefined);
    if (guidance !== undefined) throw new RailwayAuthError(`${guidance} (Railway said: ${said})`);
    throw new RailwayError(`Railway rejected ${name}: ${said}`);
  }
  if (!response.ok || payload?.data === undefined || payload.data === null)
    throw new RailwayError(`Railway answered ${name} with HTTP ${response.status} and no data`);
  const data = responses[name].safeParse(payload.data);
  if (!data.success)
    throw new RailwayError(`Railway answered ${name} with data of another shape: ${providerText(z.prettifyError(data.error))}`);
  return data.data as ResponseOf<N>;
}

function operationName(name: DocumentName): string {
  const match = /(?:query|mutation)\s+([A-Za-z]+)/.exec(documents[name]);
  return match?.[1] ?? name;
}
