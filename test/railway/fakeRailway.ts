/**
 * A local stand-in for Railway, reached over real HTTP: it executes each
 * request against Railway's published schema (so a document or variable that
 * does not fit the schema fails here as it would there), keeps the state a
 * deploy touches (the service instance, its deployments, which one serves),
 * and behaves as Railway's CLI source and docs say Railway does (evidence:
 * docs/railway.md):
 *
 * - refusals, auth failures included, are HTTP 200 with an `errors` array
 *   ("Not Authorized", "Project Token not found"), never 401/403;
 * - `serviceInstanceUpdate` changes settings only; `serviceInstanceDeployV2`
 *   starts one deployment of the image the instance holds;
 *   `environmentPatchCommit` applies a patch and deploys in one call;
 * - a deployment moves through Railway's statuses; one that passes its health
 *   check becomes active and the one serving before is removed; a FAILED one
 *   (pull, pre-deploy command, health check) never becomes active;
 * - registry credentials are refused below the Pro plan, and a private image
 *   pulled without its credentials fails;
 * - a rollback starts a new deployment of the target.
 *
 * Faults a test asks for (5xx, 429, a hung answer, an answer lost after
 * Railway acted, an error that echoes the request back) are injected around
 * that behaviour. It stands in only
 * because the real Railway is out of reach; the client under test is the real one.
 */
import { listeningPort } from "../helpers/port";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { execute, GraphQLError, parse, validate, validateSchema, type DocumentNode, type ExecutionResult } from "graphql";
import type { DeployOptions, DeployTiming } from "../../src/railway/deploy";
import { durationMetrics, httpLogs, metricsByStatus, trafficProfiles, type ServingSpan, type TrafficProfile } from "./trafficProfiles";
import type { DeploymentStatus } from "../../src/railway/documents";
import { railwaySchema } from "./railwaySchema";

export type Fault =
  /** `body`: what it answers instead of "fault" (an answer of a shape Railway does not send). */
  (
    | { readonly status: number; readonly retryAfter?: string; readonly body?: string }
    /** Hold the answer longer than the client waits. */
    | { readonly delayMs: number }
  ) & {
    /** Railway acts on the request first, then the answer is lost (a 5xx or a hang after the work was done). */
    readonly afterProcessing?: boolean;
  };

/**
 * How an error echoes the request back (security review F-M6): the review's
 * five styles, then three more a server or a proxy writes.
 */
export const echoStyles = [
  /** Every string of the request, the token included, as sent. */
  "raw",
  /** The whole request (headers and body) re-serialized as JSON: each value JSON-escaped. */
  "json-body",
  /** The variables object as JSON. */
  "variables-json",
  /** The strings as a URL query (form encoding, `+` for spaces). */
  "url",
  /** Each string base64-encoded. */
  "base64",
  /** The variables as JSON with non-ASCII as \uXXXX (Python's json.dumps). */
  "json-ascii",
  /** The variables' JSON inside a JSON string (an error detail that is itself JSON). */
  "json-twice",
  /** Registry credentials as a Basic authorization (base64 of user:password), the rest as a shell trace quotes it. */
  "basic-and-shell",
] as const;
export type EchoStyle = (typeof echoStyles)[number];

export interface RecordedRequest {
  readonly operationName: string;
  readonly variables: Record<string, unknown>;
  readonly authorization: string | undefined;
  readonly projectToken: string | undefined;
  /** The status the fake answered with (0: no answer). */
  readonly status: number;
}

export interface HistoryDeployment {
  readonly id: string;
  readonly status: DeploymentStatus;
  readonly canRollback: boolean;
  /** The service variables it was deployed with: what a rollback to it restores. */
  readonly variables?: Readonly<Record<string, string>>;
}

export type Plan = "free" | "trial" | "hobby" | "pro";

export interface FakeRailwayOptions {
  /** The service's deployments before this deploy, newest first; the first SUCCESS or SLEEPING one serves. */
  readonly history?: readonly HistoryDeployment[];
  /** Statuses each deployment started here reports, one per poll; the last repeats. */
  readonly deploymentStatuses?: readonly DeploymentStatus[];
  /** Instead: statuses by time since the deployment started, read on `clock` (ms). */
  readonly timeline?: readonly { readonly fromMs: number; readonly status: DeploymentStatus }[];
  readonly clock?: () => number;
  /** HTTP status of the health URL. */
  readonly healthStatus?: number;
  /** Instead: the statuses it answers, one per request, in turn (a flapping app: [200, 500]). */
  readonly healthSequence?: readonly number[];
  /** The health URL answers after this long. */
  readonly healthDelayMs?: number;
  /** The deployments' public domain; null: the service has none. */
  readonly publicDomain?: string | null;
  /** Faults for the n-th request (0-based) to the GraphQL endpoint. */
  readonly faults?: Readonly<Record<number, Fault>>;
  /** Faults by operation name, for its first, second, ... call (a hole: no fault). */
  readonly operationFaults?: Readonly<Record<string, readonly (Fault | undefined)[]>>;
  /** The rollback mutation answers with a GraphQL error. */
  readonly rollbackFails?: boolean;
  /** The deployment a rollback starts ends so instead of serving (its health check failed). */
  readonly rollbackEnds?: DeploymentStatus;
  /** The workspace's plan; registry credentials need Pro. Default: hobby. */
  readonly plan?: Plan;
  /** The image repository is private: pulling it without these credentials fails. */
  readonly privateImage?: { readonly repository: string; readonly username: string; readonly password: string };
  /** Root fields the (known) token may not call: Railway answers them "Not Authorized". */
  readonly notAuthorizedFor?: readonly string[];
  /** Tokens Railway knows, by kind; unset: every token is accepted. */
  readonly tokens?: { readonly account?: readonly string[]; readonly project?: readonly string[] };
  /**
   * The project and environment every project token was created for (what Railway's
   * `projectToken { projectId environmentId }` answers). A project token "can only be used to authenticate
   * requests to that environment" (docs/railway.md §10): a request for another one is refused "Not
   * Authorized". Default: the one service's, p-1 and e-1.
   */
  readonly projectTokenScope?: { readonly projectId: string; readonly environmentId: string };
  /** Railway keeps the image reference as this instead of what it was sent. */
  readonly storesImageAs?: string;
  /** The service's pre-deploy command exits non-zero. */
  readonly preDeployFails?: boolean;
  /** Earlier deployments whose image Railway no longer retains once a new deployment starts: canRollback turns false. */
  readonly retentionExpires?: readonly string[];
  /** This operation is refused (HTTP 200, `errors`, `data: null`) with a message that echoes the request in this style. */
  readonly echoesRequest?: { readonly operationName: string; readonly style: EchoStyle };
  /**
   * Run each deployment for real (test/engine/containerRuntime.ts: pull the image, start a container with
   * the service variables, Railway's health check against it): its status then comes from the container,
   * not from `deploymentStatuses`, and the public domain (any GET that is not the API) reaches the
   * serving deployment's container.
   */
  readonly runtime?: DeploymentRuntime;
  /**
   * The service's HTTP traffic, as its metrics and HTTP logs report it (test/railway/trafficProfiles.ts), on
   * `clock`; unset: nobody calls the service (empty samples, no logs).
   */
  readonly traffic?: TrafficProfile;
}

/** What one deployment runs: the image Railway pulls, with the credentials and variables the service held when it started. */
export interface DeploymentRun {
  readonly id: string;
  readonly image: string;
  readonly variables: Readonly<Record<string, string>>;
  readonly registryCredentials: { readonly username: string; readonly password: string } | undefined;
  readonly healthcheckPath: string | undefined;
  readonly healthcheckTimeoutSeconds: number | undefined;
}

/** Railway's runtime, as far as a deploy sees it: a container per deployment, health-checked before it serves. */
export interface DeploymentRuntime {
  /** Pulls and starts the deployment; settles with Railway's verdict once its health check passed or ran out. */
  start(run: DeploymentRun): Promise<"SUCCESS" | "FAILED">;
  /** Stops and removes a deployment's container (a newer one serves, or it failed). */
  remove(id: string): Promise<void>;
  /** Where a request to the public domain goes while `id` serves: its container's base URL. */
  baseUrl(id: string): string | undefined;
}

/** Every string in a request's variables, in order. */
function stringsOf(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (typeof value === "object" && value !== null) return Object.values(value).flatMap(stringsOf);
  return [];
}

/** The stand-in's one service lives here (railwayDeployOptions); its deployments too. */
const home = { projectId: "p-1", environmentId: "e-1" } as const;

/**
 * The project and environment a root field acts on: named in its arguments or its input (a deployment's
 * id names none: it is the one service's, in `home`).
 */
function targetOf(args: unknown): { projectId: unknown; environmentId: unknown } {
  const given = (typeof args === "object" && args !== null ? args : {}) as {
    projectId?: unknown;
    environmentId?: unknown;
    input?: unknown;
  };
  const input = (typeof given.input === "object" && given.input !== null ? given.input : {}) as typeof given;
  return {
    projectId: given.projectId ?? input.projectId ?? home.projectId,
    environmentId: given.environmentId ?? input.environmentId ?? home.environmentId,
  };
}

const base64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");

/** The message of an error that echoes the request (its variables and the token's header) back. */
export function echoMessage(style: EchoStyle, variables: Record<string, unknown>, header: Record<string, string>): string {
  const strings = [...stringsOf(variables), ...Object.values(header)];
  switch (style) {
    case "raw":
      return `could not apply ${strings.join(", ")}`;
    case "json-body":
      return `malformed request ${JSON.stringify({ headers: header, body: { variables } })}`;
    case "variables-json":
      return `invalid variables ${JSON.stringify(variables)}`;
    case "url":
      return `retry at https://backboard.railway.com/graphql/v2?${new URLSearchParams(strings.map((v, i): [string, string] => [`v${String(i)}`, v])).toString()}`;
    case "base64":
      return `request ${strings.map(base64).join(" ")}`;
    case "json-ascii":
      return `invalid variables ${JSON.stringify(variables).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}`;
    case "json-twice":
      return JSON.stringify({ detail: JSON.stringify({ variables, headers: header }) });
    case "basic-and-shell": {
      const credentials = (variables["input"] as { registryCredentials?: { username: string; password: string } } | undefined)
        ?.registryCredentials;
      const basic = credentials === undefined ? "" : `Authorization: Basic ${base64(`${credentials.username}:${credentials.password}`)}; `;
      return `${basic}+ railway up ${strings.map((v) => `'${v.replace(/'/g, "'\\''")}'`).join(" ")}`;
    }
  }
}

interface Deployment {
  readonly id: string;
  readonly image: string | undefined;
  /** The service variables it started with: what a rollback to it restores (Railway's docs: image and variables). */
  readonly variables?: Readonly<Record<string, string>>;
  readonly startedAt: number;
  /** Started by this deploy (scripted statuses), else fixed. */
  readonly script: readonly DeploymentStatus[] | undefined;
  status: DeploymentStatus;
  canRollback: boolean;
  polls: number;
  /** deploymentCancel removed it: its status stays REMOVED. */
  cancelled?: boolean;
  /** When it started serving, and stopped (on the stand-in's clock); a deployment from before serves since ever. */
  liveAt?: number;
  removedAt?: number;
  /** Started by a deploy (not from before, not a rollback's) while the current traffic profile held (its generation). */
  freshIn?: number;
}

interface ServiceInstanceUpdateInput {
  readonly source?: { readonly image?: string };
  readonly healthcheckPath?: string;
  readonly healthcheckTimeout?: number;
  readonly preDeployCommand?: readonly string[] | null;
  readonly registryCredentials?: { readonly username: string; readonly password: string };
}

/**
 * Each document parsed and validated against the schema once: the client sends
 * the same few documents hundreds of times (every poll), and validating one
 * against Railway's large schema costs more than the rest of a request. The
 * answers are graphql()'s own: a syntax error or the validation errors, else
 * the document to execute.
 */
const checked = new Map<string, DocumentNode | readonly GraphQLError[]>();
function check(source: string): DocumentNode | readonly GraphQLError[] {
  let entry = checked.get(source);
  if (entry === undefined) {
    const schemaErrors = validateSchema(railwaySchema());
    if (schemaErrors.length > 0) return schemaErrors;
    try {
      const document = parse(source);
      const errors = validate(railwaySchema(), document);
      entry = errors.length > 0 ? errors : document;
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      entry = [error];
    }
    checked.set(source, entry);
  }
  return entry;
}

/** What graphql() answers, with the document checked once per source (check). */
async function runGraphql(source: string, variableValues: Record<string, unknown>, rootValue: unknown): Promise<ExecutionResult> {
  const document = check(source);
  if (!("kind" in document)) return { errors: document };
  return execute({ schema: railwaySchema(), document, rootValue, variableValues });
}

const becameActive: readonly DeploymentStatus[] = ["SUCCESS", "SLEEPING", "CRASHED"];
const running: readonly DeploymentStatus[] = ["SUCCESS", "SLEEPING"];

export class FakeRailway {
  readonly requests: RecordedRequest[] = [];
  readonly healthRequests: string[] = [];
  /** Deployments cancelled (deploymentCancel), in order. */
  readonly cancelled: string[] = [];
  /** The service instance's settings, as Railway stores them. */
  readonly instance = {
    variables: {} as Record<string, string>,
    image: undefined as string | undefined,
    healthcheckPath: undefined as string | undefined,
    healthcheckTimeout: undefined as number | undefined,
    preDeployCommand: undefined as readonly string[] | null | undefined,
    registryCredentials: undefined as { username: string; password: string } | undefined,
  };
  /** Newest first. */
  readonly deployments: Deployment[];
  /** Deployments started by a deploy or a patch commit (not rollbacks), in order. */
  readonly started: string[] = [];
  rolledBackTo: string | undefined;
  private activeId: string | undefined;
  private trafficGeneration = 0;
  private readonly runs: Promise<void>[] = [];
  private server: Server | undefined;

  constructor(private options: FakeRailwayOptions = {}) {
    this.deployments = (options.history ?? []).map((d) => ({ ...d, image: undefined, startedAt: 0, script: undefined, polls: 0 }));
    this.activeId = this.deployments.find((d) => running.includes(d.status))?.id;
    const serving = this.deployments.find((d) => d.id === this.activeId);
    if (serving !== undefined) serving.liveAt = Number.NEGATIVE_INFINITY;
  }

  /**
   * How Railway behaves from now on, for deployments started after this: its
   * health check starting to fail (deploymentStatuses ending FAILED) or passing
   * again, a token issued (tokens). Deployments already started keep their script.
   */
  reconfigure(changes: Partial<FakeRailwayOptions>): void {
    this.options = { ...this.options, ...changes };
    // A new traffic profile's "fresh" deployments are those started from now on.
    if ("traffic" in changes) this.trafficGeneration += 1;
  }

  get url(): string {
    return `http://127.0.0.1:${String(listeningPort(this.server, "the Railway stand-in"))}`;
  }

  /** The deployments serving now (Railway's `activeDeployments`). */
  get serving(): string[] {
    const active = this.deployments.find((d) => d.id === this.activeId);
    return active !== undefined && running.includes(active.status) ? [active.id] : [];
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server?.close(() => {
        resolve();
      }),
    );
  }

  private now(): number {
    return this.options.clock?.() ?? 0;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const runtime = this.options.runtime;
    if (runtime !== undefined && req.method === "GET") {
      await this.serveDomain(runtime, req, res);
      return;
    }
    if (req.method === "GET" && req.url?.startsWith("/health") === true) {
      this.healthRequests.push(req.url);
      if (this.options.healthDelayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, this.options.healthDelayMs));
      if (res.destroyed) return;
      const sequence = this.options.healthSequence;
      const status =
        sequence === undefined || sequence.length === 0
          ? (this.options.healthStatus ?? 200)
          : (sequence[(this.healthRequests.length - 1) % sequence.length] ?? 200);
      res.writeHead(status).end("ok");
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString()) as {
      query: string;
      variables: Record<string, unknown>;
      operationName: string;
    };
    const calls = this.requests.filter((r) => r.operationName === body.operationName).length;
    const fault = this.options.faults?.[this.requests.length] ?? this.options.operationFaults?.[body.operationName]?.[calls];
    const record = (status: number): void => {
      this.requests.push({
        operationName: body.operationName,
        variables: body.variables,
        authorization: req.headers.authorization,
        projectToken: req.headers["project-access-token"] as string | undefined,
        status,
      });
    };
    const answerFault = async (f: Fault): Promise<void> => {
      if ("delayMs" in f) {
        await new Promise((resolve) => setTimeout(resolve, f.delayMs));
        if (!res.destroyed) res.writeHead(504).end();
        return;
      }
      res.writeHead(f.status, f.retryAfter === undefined ? {} : { "retry-after": f.retryAfter }).end(f.body ?? "fault");
    };
    if (fault !== undefined && fault.afterProcessing !== true) {
      record("delayMs" in fault ? 0 : fault.status);
      await answerFault(fault);
      return;
    }
    if (this.rateLimited(body.query)) {
      // Railway's public API over its limit: 429 with Retry-After, before anything is processed.
      record(429);
      res
        .writeHead(429, { "retry-after": "1", "content-type": "application/json" })
        .end(JSON.stringify({ message: "Rate limit exceeded" }));
      return;
    }
    const echo = this.options.echoesRequest;
    if (echo !== undefined && echo.operationName === body.operationName) {
      record(200);
      const header = req.headers.authorization ?? req.headers["project-access-token"];
      const message = echoMessage(echo.style, body.variables, typeof header === "string" ? { token: header } : {});
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ errors: [{ message }], data: null }));
      return;
    }
    const result = await runGraphql(body.query, body.variables, this.root(req));
    if (fault !== undefined) {
      record("delayMs" in fault ? 0 : fault.status);
      await answerFault(fault);
      return;
    }
    // Railway answers refusals of every kind, auth failures included, with HTTP 200 and an `errors` array.
    record(200);
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(result));
  }

  /** The public domain: the serving deployment's container answers; none serving, Railway's edge answers 404 "Application not found". */
  private async serveDomain(runtime: DeploymentRuntime, req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.healthRequests.push(req.url ?? "/");
    const serving = this.serving[0];
    const base = serving === undefined ? undefined : runtime.baseUrl(serving);
    if (base === undefined) {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ status: "error", message: "Application not found" }));
      return;
    }
    try {
      const answer = await fetch(`${base}${req.url ?? "/"}`, { signal: AbortSignal.timeout(10_000) });
      res
        .writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "text/plain" })
        .end(Buffer.from(await answer.arrayBuffer()));
    } catch {
      // Railway's edge when the application does not answer.
      res.writeHead(502).end("Application failed to respond");
    }
  }

  /** What Railway says to the token a request carries, or undefined when it is accepted. */
  private authRefusal(req: IncomingMessage): string | undefined {
    const tokens = this.options.tokens;
    if (tokens === undefined) return undefined;
    const project = req.headers["project-access-token"];
    if (typeof project === "string") return (tokens.project ?? []).includes(project) ? undefined : "Project Token not found";
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    return bearer !== undefined && (tokens.account ?? []).includes(bearer) ? undefined : "Not Authorized";
  }

  private find(id: string): Deployment {
    const deployment = this.deployments.find((d) => d.id === id);
    if (deployment === undefined) throw new Error("Deployment not found");
    return deployment;
  }

  /** Makes `d` the serving deployment; the one serving before is removed. */
  /** A deployment that did not go through a build (a rollback, someone else's redeploy): newest, and serving at once. */
  private serveAtOnce(id: string, target?: Deployment): void {
    const ends = target === undefined ? undefined : this.options.rollbackEnds;
    const d: Deployment = {
      id,
      image: target?.image,
      ...(target?.variables === undefined ? {} : { variables: target.variables }),
      startedAt: this.now(),
      script: undefined,
      status: ends ?? "SUCCESS",
      canRollback: ends === undefined,
      polls: 0,
    };
    this.deployments.unshift(d);
    if (ends === undefined) this.activate(d);
  }

  /** A rollback on the runtime: a new deployment of the target's image and variables, serving once healthy. */
  private startRollback(runtime: DeploymentRuntime, id: string, target: Deployment): void {
    const variables = { ...(target.variables ?? {}) };
    this.deployments.unshift({
      id,
      image: target.image,
      variables,
      startedAt: this.now(),
      script: undefined,
      status: "DEPLOYING",
      canRollback: false,
      polls: 0,
    });
    if (target.image !== undefined) this.run(runtime, id, target.image, variables);
  }

  private activate(d: Deployment): void {
    const before = this.deployments.find((x) => x.id === this.activeId);
    if (before !== undefined && before !== d) {
      before.status = "REMOVED";
      before.removedAt = this.now();
    }
    d.liveAt ??= this.now();
    this.activeId = d.id;
  }

  /** Who served when: what the traffic profile's figures are of. */
  private spans(): ServingSpan[] {
    return this.deployments
      .filter((d) => d.liveAt !== undefined)
      .map((d) => ({ id: d.id, fresh: d.freshIn === this.trafficGeneration, from: d.liveAt ?? 0, until: d.removedAt }));
  }

  private startDeployment(): string {
    const image = this.instance.image;
    const privateImage = this.options.privateImage;
    const credentials = this.instance.registryCredentials;
    const pullDenied =
      privateImage !== undefined &&
      image?.startsWith(`${privateImage.repository}@`) === true &&
      (credentials?.username !== privateImage.username || credentials.password !== privateImage.password);
    const preDeployFails = this.options.preDeployFails === true && (this.instance.preDeployCommand ?? []).length > 0;
    // Railway runs the pre-deploy command after the pull and before the deployment starts; either failing ends it FAILED.
    const script: DeploymentStatus[] =
      pullDenied || preDeployFails
        ? ["INITIALIZING", "FAILED"]
        : [...(this.options.deploymentStatuses ?? ["BUILDING", "DEPLOYING", "SUCCESS"])];
    const id = this.started.length === 0 ? "deployment-new" : `deployment-new-${String(this.started.length + 1)}`;
    const runtime = this.options.runtime;
    const variables = { ...this.instance.variables };
    this.deployments.unshift({
      id,
      image,
      variables,
      startedAt: this.now(),
      script: runtime === undefined || pullDenied || preDeployFails ? script : undefined,
      status: runtime === undefined || pullDenied || preDeployFails ? (script[0] ?? "INITIALIZING") : "DEPLOYING",
      canRollback: false,
      polls: 0,
      freshIn: this.trafficGeneration,
    });
    this.started.push(id);
    if (runtime !== undefined && !pullDenied && !preDeployFails && image !== undefined) this.run(runtime, id, image, variables);
    for (const expired of this.options.retentionExpires ?? []) this.find(expired).canRollback = false;
    return id;
  }

  /**
   * Runs a deployment on the runtime: it serves once its health check passes (the one serving before is
   * removed, and its container with it); a failed one never serves and its container goes.
   */
  private run(runtime: DeploymentRuntime, id: string, image: string, variables: Readonly<Record<string, string>>): void {
    const settings = this.instance;
    const started = runtime.start({
      id,
      image,
      variables,
      registryCredentials: settings.registryCredentials,
      healthcheckPath: settings.healthcheckPath,
      healthcheckTimeoutSeconds: settings.healthcheckTimeout,
    });
    const settled = started.then(
      async (verdict) => {
        const d = this.find(id);
        d.status = verdict;
        if (verdict === "FAILED") {
          await runtime.remove(id);
          return;
        }
        d.canRollback = true;
        const before = this.activeId;
        this.activate(d);
        if (before !== undefined && before !== id) await runtime.remove(before);
      },
      async () => {
        this.find(id).status = "FAILED";
        await runtime.remove(id);
      },
    );
    this.runs.push(settled);
  }

  /** Every deployment run this stand-in started, settled: a test waits for them before it stops the runtime. */
  async settled(): Promise<void> {
    await Promise.all(this.runs);
  }

  /** One poll of a deployment this deploy started: its next status, and what that does to which one serves. */
  private advance(d: Deployment): void {
    if (d.script === undefined || d.cancelled === true) return;
    const timeline = this.options.timeline;
    if (timeline !== undefined && !d.script.includes("FAILED")) {
      const elapsed = this.now() - d.startedAt;
      d.status = [...timeline].reverse().find((step) => elapsed >= step.fromMs)?.status ?? "INITIALIZING";
    } else {
      d.status = d.script[Math.min(d.polls, d.script.length - 1)] ?? d.status;
    }
    d.polls += 1;
    if (becameActive.includes(d.status) && this.activeId !== d.id) this.activate(d);
    // Superseded: someone else's newer deployment replaced this one and serves now.
    if ((d.status === "REMOVED" || d.status === "REMOVING") && !this.deployments.some((x) => x.id === "deployment-by-someone-else")) {
      this.serveAtOnce("deployment-by-someone-else");
    }
  }

  /** Whether the traffic profile has Railway refuse this document for its rate limit (the metrics fields, and the logs unless they answer). */
  private rateLimited(query: string): boolean {
    const traffic = this.options.traffic;
    if (traffic?.metrics !== "rate-limited") return false;
    return /\bhttp(MetricsGroupedByStatus|DurationMetrics)\s*\(/.test(query) || (!traffic.logs && /\bhttpLogs\s*\(/.test(query));
  }

  /** The traffic resolvers: figures from the profile over who served when. */
  private trafficResolvers(): Record<string, (args: never) => unknown> {
    const traffic = this.options.traffic ?? trafficProfiles.quiet;
    const window = (a: { startDate: string; endDate: string }) => [Date.parse(a.startDate), Date.parse(a.endDate)] as const;
    const metrics = (field: string): void => {
      if (traffic.metrics === "missing") throw new Error(`Cannot query field "${field}" on type "Query".`);
    };
    return {
      httpMetricsGroupedByStatus: (a: { startDate: string; endDate: string; stepSeconds?: number }) => {
        metrics("httpMetricsGroupedByStatus");
        return metricsByStatus(traffic, this.spans(), ...window(a), a.stepSeconds ?? 60);
      },
      httpDurationMetrics: (a: { startDate: string; endDate: string; stepSeconds?: number }) => {
        metrics("httpDurationMetrics");
        return durationMetrics(traffic, this.spans(), ...window(a), a.stepSeconds ?? 60);
      },
      // The schema's reading: around anchorDate ("target date time"), back to beforeDate ("oldest date ... before the
      // anchor") and on to afterDate ("latest date ... after the anchor"), at most beforeLimit and afterLimit of each.
      httpLogs: (a: {
        deploymentId: string;
        anchorDate?: string;
        beforeDate?: string;
        afterDate?: string;
        beforeLimit?: number;
        afterLimit?: number;
        limit?: number;
      }) => {
        if (!traffic.logs) throw new Error(`Cannot query field "httpLogs" on type "Query".`);
        this.find(a.deploymentId);
        const anchor = a.anchorDate === undefined ? this.now() : Date.parse(a.anchorDate);
        const oldest = a.beforeDate === undefined ? Number.NEGATIVE_INFINITY : Date.parse(a.beforeDate);
        const latest = a.afterDate === undefined ? this.now() : Date.parse(a.afterDate);
        const max = Math.min(a.limit ?? 5000, 5000);
        const before = httpLogs(traffic, this.spans(), a.deploymentId, oldest, anchor, Number.MAX_SAFE_INTEGER).slice(
          -(a.beforeLimit ?? max),
        );
        const after = httpLogs(traffic, this.spans(), a.deploymentId, anchor, latest, a.afterLimit ?? max);
        return [...(a.beforeLimit === 0 ? [] : before), ...after].map((l) => ({
          ...l,
          clientUa: "load-test",
          deploymentInstanceId: `${l.deploymentId}-instance`,
          downstreamProto: "HTTP/1.1",
          edgeRegion: "europe-west4",
          host: this.options.publicDomain ?? "app.up.railway.app",
          method: "GET",
          path: "/",
          requestId: `req-${l.timestamp}`,
          responseDetails: "",
          rxBytes: 120,
          srcIp: "203.0.113.9",
          txBytes: 512,
          upstreamAddress: "10.0.0.2:8080",
          upstreamErrors: "",
          upstreamProto: "HTTP/1.1",
          upstreamRqDuration: l.totalDuration,
        }));
      },
    };
  }

  /** Resolvers: the schema's default resolver calls these with the field's arguments. */
  private root(req: IncomingMessage): Record<string, unknown> {
    const refusal = this.authRefusal(req);
    const scope = typeof req.headers["project-access-token"] === "string" ? (this.options.projectTokenScope ?? home) : undefined;
    const guard =
      (field: string, resolve: (args: never) => unknown) =>
      (args: never): unknown => {
        if (refusal !== undefined) throw new Error(refusal);
        if ((this.options.notAuthorizedFor ?? []).includes(field)) throw new Error("Not Authorized");
        // A project token reaches its own environment only; Railway's wording for another one is not published (docs/railway.md §10).
        const target = targetOf(args);
        if (scope !== undefined && (target.projectId !== scope.projectId || target.environmentId !== scope.environmentId))
          throw new Error("Not Authorized");
        return resolve(args);
      };
    const node = (d: Deployment): Record<string, unknown> => ({
      id: d.id,
      status: d.status,
      canRollback: d.canRollback,
      createdAt: "2026-11-01T00:00:00Z",
      url: this.options.publicDomain === undefined ? "app.up.railway.app" : this.options.publicDomain,
      staticUrl: this.options.publicDomain === undefined ? "app.up.railway.app" : this.options.publicDomain,
    });
    const resolvers: Record<string, (args: never) => unknown> = {
      ...this.trafficResolvers(),
      deployments: () => ({
        edges: this.deployments.map((d) => ({ cursor: d.id, node: node(d) })),
        pageInfo: { hasNextPage: false, hasPreviousPage: false },
      }),
      deployment: ({ id }: { id: string }) => {
        const d = this.find(id);
        this.advance(d);
        return node(d);
      },
      serviceInstance: () => ({
        source: this.instance.image === undefined ? null : { image: this.instance.image },
        activeDeployments: this.serving.map((id) => node(this.find(id))),
      }),
      variableCollectionUpsert: ({ input }: { input: { variables: Record<string, string>; skipDeploys?: boolean } }) => {
        this.instance.variables = { ...this.instance.variables, ...input.variables };
        if (input.skipDeploys !== true) this.startDeployment();
        return true;
      },
      serviceInstanceUpdate: ({ input }: { input: ServiceInstanceUpdateInput }) => {
        // The schema: "Private Docker registry credentials. Only available for Pro plan deployments." (This wording of the refusal is the stand-in's.)
        if (input.registryCredentials !== undefined && (this.options.plan ?? "hobby") !== "pro") {
          throw new Error("Private registry credentials are only available on the Pro plan");
        }
        if (input.source?.image !== undefined) this.instance.image = this.options.storesImageAs ?? input.source.image;
        if (input.healthcheckPath !== undefined) this.instance.healthcheckPath = input.healthcheckPath;
        if (input.healthcheckTimeout !== undefined) this.instance.healthcheckTimeout = input.healthcheckTimeout;
        if (input.preDeployCommand !== undefined) this.instance.preDeployCommand = input.preDeployCommand;
        if (input.registryCredentials !== undefined) this.instance.registryCredentials = input.registryCredentials;
        // Settings only: no deployment starts here.
        return true;
      },
      serviceInstanceDeployV2: () => this.startDeployment(),
      environmentPatchCommit: ({ patch }: { patch: { services?: Record<string, { source?: { image?: string } }> } }) => {
        for (const service of Object.values(patch.services ?? {}))
          if (service.source?.image !== undefined) this.instance.image = service.source.image;
        // Applies and deploys in one call: a caller that then also calls serviceInstanceDeployV2 starts two.
        this.startDeployment();
        return "workflow-1";
      },
      deploymentRollback: ({ id }: { id: string }) => {
        const target = this.find(id);
        if (this.options.rollbackFails === true || !target.canRollback) throw new Error("Deployment cannot be rolled back");
        this.rolledBackTo = id;
        // Railway redeploys the target: its image, and its variables too (docs/railway.md).
        this.instance.variables = { ...(target.variables ?? this.instance.variables) };
        if (target.image !== undefined) this.instance.image = target.image;
        const runtime = this.options.runtime;
        if (runtime !== undefined && target.image !== undefined) {
          this.startRollback(runtime, `rollback-of-${id}`, target);
          return true;
        }
        this.serveAtOnce(`rollback-of-${id}`, target);
        return true;
      },
      // The schema: "Cancels a deployment." Only one still on its way can be; it is then removed, never served.
      deploymentCancel: ({ id }: { id: string }) => {
        const d = this.find(id);
        if (!["INITIALIZING", "QUEUED", "BUILDING", "DEPLOYING", "WAITING", "NEEDS_APPROVAL"].includes(d.status))
          throw new Error("Deployment cannot be cancelled");
        d.status = "REMOVED";
        d.cancelled = true;
        this.cancelled.push(id);
        return true;
      },
    };
    return Object.fromEntries(Object.entries(resolvers).map(([field, resolve]) => [field, guard(field, resolve)]));
  }
}

/** A port nothing listens on (fetch refuses ports like 9 itself, before any connection). */
export function closedPort(): Promise<number> {
  const server = createNetServer();
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => {
        resolve(port);
      });
    }),
  );
}

/**
 * Time for a deploy against the stand-in: every wait is recorded and moves the
 * clock instead of passing, so Railway's real budgets (minutes) run in no time.
 */
export interface SimulatedClock {
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Every wait taken, in ms. */
  readonly sleeps: number[];
}

export function simulatedClock(): SimulatedClock {
  let clock = 0;
  const sleeps: number[] = [];
  return {
    now: () => clock,
    sleep: (ms) => {
      sleeps.push(ms);
      clock += ms;
      return Promise.resolve();
    },
    sleeps,
  };
}

/** The deploy's timing with Railway's own budgets, on the simulated clock. */
export function railwayTiming(clock: SimulatedClock, overrides: Partial<DeployTiming> = {}): DeployTiming {
  return {
    pullAllowanceMs: 600_000,
    verdictGraceMs: 120_000,
    pollStartMs: 1000,
    pollMaxMs: 8000,
    healthAttempts: 3,
    // The program's default (healthCheckSuccesses).
    healthSuccesses: 3,
    healthIntervalMs: 500,
    healthRequestTimeoutMs: 2000,
    now: clock.now,
    sleep: clock.sleep,
    ...overrides,
  };
}

/** A deploy of `image` to the stand-in's one service (p-1, e-1, s-1), health-checked at its /health. */
export function railwayDeployOptions(
  fake: FakeRailway,
  image: string,
  variables: Readonly<Record<string, string>>,
  overrides: Partial<DeployOptions> = {},
): DeployOptions {
  return {
    projectId: "p-1",
    environmentId: "e-1",
    serviceId: "s-1",
    image,
    healthcheckPath: "/health",
    healthcheckTimeoutSeconds: 300,
    healthUrl: `${fake.url}/health`,
    variables,
    ...overrides,
  };
}

/** A service's past: a deployment that failed, then one that served and may be rolled back to. */
export const serviceHistory: readonly HistoryDeployment[] = [
  { id: "deployment-failed-earlier", status: "FAILED", canRollback: false },
  { id: "deployment-good", status: "SUCCESS", canRollback: true },
];
