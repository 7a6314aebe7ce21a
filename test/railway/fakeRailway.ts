/**
 * A local stand-in for Railway, reached over real HTTP: it executes each
 * request against Railway's published schema (so a document or variable that
 * does not fit the schema fails here as it would there), keeps a tiny state,
 * and injects the faults a test asks for. It stands in only because the real
 * Railway is out of reach; the client under test is the real one.
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { buildClientSchema, graphql, type GraphQLSchema, type IntrospectionQuery } from "graphql";

export type Fault =
  | { readonly status: number; readonly retryAfter?: string }
  /** Hold the response longer than the client waits. */
  | { readonly delayMs: number };

export interface RecordedRequest {
  readonly operationName: string;
  readonly variables: Record<string, unknown>;
  readonly authorization: string | undefined;
  readonly projectToken: string | undefined;
  /** The status the fake answered with. */
  readonly status: number;
}

export interface FakeRailwayOptions {
  /** Statuses the new deployment reports, one per poll; the last one repeats. */
  readonly deploymentStatuses?: readonly string[];
  /** HTTP status of the health URL. */
  readonly healthStatus?: number;
  /** The earlier deployments of the service, newest first. */
  readonly history?: readonly { id: string; status: string; canRollback: boolean }[];
  /** Faults for the n-th request (0-based) to the GraphQL endpoint. */
  readonly faults?: Readonly<Record<number, Fault>>;
  /** The rollback mutation answers with a GraphQL error. */
  readonly rollbackFails?: boolean;
}

let schema: GraphQLSchema | undefined;
function railwaySchema(): GraphQLSchema {
  schema ??= buildClientSchema((JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "railway-schema.json"), "utf8")) as { data: IntrospectionQuery }).data);
  return schema;
}

export class FakeRailway {
  readonly requests: RecordedRequest[] = [];
  readonly healthRequests: string[] = [];
  readonly state = { variables: {} as Record<string, string>, image: undefined as string | undefined, rolledBackTo: undefined as string | undefined };
  private server: Server | undefined;
  private polls = 0;

  constructor(private readonly options: FakeRailwayOptions = {}) {}

  get url(): string {
    return `http://127.0.0.1:${String((this.server?.address() as AddressInfo).port)}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => { resolve(); }));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === "GET" && req.url?.startsWith("/health") === true) {
      this.healthRequests.push(req.url);
      res.writeHead(this.options.healthStatus ?? 200).end("ok");
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString()) as { query: string; variables: Record<string, unknown>; operationName: string };
    const fault = this.options.faults?.[this.requests.length];
    const record = (status: number): void => {
      this.requests.push({
        operationName: body.operationName,
        variables: body.variables,
        authorization: req.headers.authorization,
        projectToken: req.headers["project-access-token"] as string | undefined,
        status,
      });
    };
    if (fault !== undefined && "delayMs" in fault) {
      record(0);
      await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      if (!res.destroyed) res.writeHead(504).end();
      return;
    }
    if (fault !== undefined) {
      record(fault.status);
      res.writeHead(fault.status, fault.retryAfter === undefined ? {} : { "retry-after": fault.retryAfter }).end("fault");
      return;
    }
    record(200);
    const result = await graphql({ schema: railwaySchema(), source: body.query, variableValues: body.variables, rootValue: this.root() });
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(result));
  }

  /** Resolvers: the schema's default resolver calls these with the field's arguments. */
  private root(): Record<string, unknown> {
    const statuses = this.options.deploymentStatuses ?? ["BUILDING", "DEPLOYING", "SUCCESS"];
    return {
      deployments: () => ({
        edges: (this.options.history ?? []).map((node) => ({ cursor: node.id, node: { ...node, createdAt: "2026-11-01T00:00:00Z" } })),
        pageInfo: { hasNextPage: false, hasPreviousPage: false },
      }),
      variableCollectionUpsert: ({ input }: { input: { variables: Record<string, string> } }) => {
        this.state.variables = { ...this.state.variables, ...input.variables };
        return true;
      },
      serviceInstanceUpdate: ({ input }: { input: { source?: { image?: string } } }) => {
        this.state.image = input.source?.image;
        return true;
      },
      serviceInstanceDeployV2: () => "deployment-new",
      deployment: ({ id }: { id: string }) => {
        const status = statuses[Math.min(this.polls, statuses.length - 1)];
        this.polls += 1;
        return { id, status, url: "app.up.railway.app", staticUrl: "app.up.railway.app" };
      },
      deploymentRollback: ({ id }: { id: string }) => {
        if (this.options.rollbackFails === true) throw new Error("Deployment cannot be rolled back");
        this.state.rolledBackTo = id;
        return true;
      },
    };
  }
}
