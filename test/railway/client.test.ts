// The pieces of one client request, each on its own, with real answers (and real failures to answer) of the Railway stand-in.
import { afterEach, describe, expect, it } from "vitest";
import {
  answer,
  providerText,
  providerTextLimit,
  RailwayAuthError,
  RailwayClient,
  RailwayError,
  RailwayOutcomeUnknownError,
  refusedForNow,
  unanswered,
} from "../../src/railway/client";
import { documents, type DocumentName } from "../../src/railway/documents";
import { closedPort, FakeRailway, type FakeRailwayOptions } from "./fakeRailway";

const token = "sentinel-client-token-44dd";
const first = { attempt: 1, attempts: 3, backoffMs: 100 };

let fake: FakeRailway | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

async function start(options: FakeRailwayOptions = {}): Promise<FakeRailway> {
  fake = await new FakeRailway({ history: [{ id: "deployment-good", status: "SUCCESS", canRollback: true }], ...options }).start();
  return fake;
}

/** Railway's raw answer to one document, sent as the client sends it. */
function post(railway: FakeRailway, name: DocumentName, variables: Record<string, unknown>, timeoutMs = 2000): Promise<Response> {
  return fetch(`${railway.url}/graphql/v2`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({
      query: documents[name],
      variables,
      operationName: /(?:query|mutation)\s+([A-Za-z]+)/.exec(documents[name])?.[1],
    }),
    signal: AbortSignal.timeout(timeoutMs),
  });
}

/** The error a real fetch fails with. */
async function fetchError(request: Promise<Response>): Promise<unknown> {
  try {
    await request;
  } catch (error) {
    return error;
  }
  throw new Error("the request was answered");
}

describe("answer", () => {
  it("returns the data, in the shape the document selects", async () => {
    const railway = await start();
    expect(await answer("deploymentStatus", await post(railway, "deploymentStatus", { id: "deployment-good" }), "account")).toEqual({
      deployment: { status: "SUCCESS", url: "app.up.railway.app", staticUrl: "app.up.railway.app", canRollback: true },
    });
  });

  it("turns Railway's refusal (HTTP 200 with errors) into an error, with what to do about a refused token", async () => {
    const railway = await start({ rollbackFails: true });
    await expect(answer("rollback", await post(railway, "rollback", { id: "deployment-good" }), "account")).rejects.toThrow(
      new RailwayError("Railway rejected rollback: Deployment cannot be rolled back"),
    );
    await railway.stop();
    const refusing = await start({ tokens: { account: ["another-token"] } });
    const refused = answer("deploymentStatus", await post(refusing, "deploymentStatus", { id: "deployment-good" }), "account");
    await expect(refused).rejects.toBeInstanceOf(RailwayAuthError);
  });

  it("refuses data of another shape, saying what differs", async () => {
    const railway = await start({ faults: { 0: { status: 200, body: JSON.stringify({ data: { deployment: { status: 7 } } }) } } });
    const shaped = answer("deploymentStatus", await post(railway, "deploymentStatus", { id: "x" }), "account");
    await expect(shaped).rejects.toBeInstanceOf(RailwayError);
    await expect(shaped).rejects.toThrow(/^Railway answered deploymentStatus with data of another shape: .*deployment\.status/s);
  });

  // A request-level GraphQL error has no `data` key at all (railwayapp/cli's testkit sends them so).
  it("reads Railway's refusal from an answer with errors and no data key, with the token guidance", async () => {
    const body = JSON.stringify({ errors: [{ message: "Not Authorized" }] });
    const railway = await start({
      faults: { 0: { status: 200, body }, 1: { status: 200, body: '{"errors":[{"message":"Problem processing request"}]}' } },
    });
    const refused = answer("deploymentStatus", await post(railway, "deploymentStatus", { id: "x" }), "account");
    await expect(refused).rejects.toBeInstanceOf(RailwayAuthError);
    await expect(refused).rejects.toThrow(
      /^Railway refused deploymentStatus for an account or workspace token .* \(Railway said: Not Authorized\)$/,
    );
    await expect(answer("deploymentStatus", await post(railway, "deploymentStatus", { id: "x" }), "account")).rejects.toThrow(
      new RailwayError("Railway rejected deploymentStatus: Problem processing request"),
    );
  });

  it("redacts what Railway said, then shortens it to providerTextLimit, saying how much is left out", async () => {
    const secret = `secret-${"s".repeat(100)}-end`;
    const message = `${"m".repeat(providerTextLimit - 50)} ${secret} ${"t".repeat(10_000)}`;
    const railway = await start({ faults: { 0: { status: 200, body: JSON.stringify({ errors: [{ message }], data: null }) } } });
    const redact = (text: string): string => text.split(secret).join("[secret]");
    const error = answer("deploymentStatus", await post(railway, "deploymentStatus", { id: "x" }), "account", redact);
    const expected = `${"m".repeat(providerTextLimit - 50)} [secret] ${"t".repeat(40)}`;
    await expect(error).rejects.toThrow(
      new RailwayError(`Railway rejected deploymentStatus: ${expected}… (${String(10_000 - 40)} more characters)`),
    );
    expect(providerText("short")).toBe("short");
  });

  it.each([
    [200, JSON.stringify({ data: null })],
    [200, "[1]"],
    [404, "{}"],
  ])("HTTP %s with %s: no data", async (status, body) => {
    const railway = await start({ faults: { 0: { status, body } } });
    await expect(answer("deploymentStatus", await post(railway, "deploymentStatus", { id: "x" }), "account")).rejects.toThrow(
      `Railway answered deploymentStatus with HTTP ${String(status)} and no data`,
    );
  });
});

describe("refusedForNow", () => {
  it("waits what a 429's Retry-After says, and logs it", async () => {
    const railway = await start({ faults: { 0: { status: 429, retryAfter: "3" } } });
    const logs: string[] = [];
    const outcome = await refusedForNow("deploy", await post(railway, "deploy", {}), first, (l) => logs.push(l));
    expect(outcome).toEqual({ done: false, problem: "HTTP 429", waitMs: 3000 });
    expect(logs).toEqual(["railway deploy: HTTP 429; attempt 1/3, retrying in 3000 ms"]);
  });

  it("sends a query again after a 5xx, after the backoff", async () => {
    const railway = await start({ faults: { 0: { status: 503 } } });
    const logs: string[] = [];
    const outcome = await refusedForNow("deploymentStatus", await post(railway, "deploymentStatus", { id: "x" }), first, (l) =>
      logs.push(l),
    );
    expect(outcome).toEqual({ done: false, problem: "HTTP 503", waitMs: 100 });
    expect(logs).toEqual(["railway deploymentStatus: HTTP 503; attempt 1/3, retrying in 100 ms"]);
  });

  it("never sends a deploy again after a 5xx: whether Railway acted is unknown", async () => {
    const railway = await start({ faults: { 0: { status: 502 } } });
    const logs: string[] = [];
    await expect(refusedForNow("deploy", await post(railway, "deploy", {}), first, (l) => logs.push(l))).rejects.toThrow(
      new RailwayOutcomeUnknownError("Railway deploy: HTTP 502; whether Railway acted on it is unknown"),
    );
    expect(logs).toEqual([]);
  });
});

describe("unanswered", () => {
  it("sends a query again after a timeout", async () => {
    const railway = await start({ faults: { 0: { delayMs: 1000 } } });
    const timeout = await fetchError(post(railway, "deploymentStatus", { id: "x" }, 20));
    const logs: string[] = [];
    expect(unanswered("deploymentStatus", timeout, first, 20, (l) => logs.push(l))).toEqual({
      done: false,
      problem: "timed out after 20 ms",
      waitMs: undefined,
    });
    expect(logs).toEqual(["railway deploymentStatus: timed out after 20 ms; attempt 1/3"]);
  });

  it("never sends a rollback again after a timeout: it may have reached Railway", async () => {
    const railway = await start({ faults: { 0: { delayMs: 1000 } } });
    const timeout = await fetchError(post(railway, "rollback", { id: "x" }, 20));
    expect(() => unanswered("rollback", timeout, first, 20, () => undefined)).toThrow(RailwayOutcomeUnknownError);
  });

  it("sends a deploy again when the connection was refused: nothing reached Railway", async () => {
    const refused = await fetchError(fetch(`http://127.0.0.1:${String(await closedPort())}/graphql/v2`, { method: "POST" }));
    const logs: string[] = [];
    expect(unanswered("deploy", refused, first, 50, (l) => logs.push(l))).toEqual({
      done: false,
      problem: "network error (fetch failed)",
      waitMs: undefined,
    });
    expect(logs).toEqual(["railway deploy: network error (fetch failed); attempt 1/3"]);
    expect(() => unanswered("deploy", new Error("socket hang up"), first, 50, () => undefined)).toThrow(
      "Railway deploy: network error (socket hang up); whether Railway acted on it is unknown",
    );
    expect(() => unanswered("deploy", "not an error", first, 50, () => undefined)).toThrow("network error (not an error)");
  });
});

describe("RailwayClient.send", () => {
  it("one attempt: the data when Railway answers, a refused token at once on HTTP 401", async () => {
    const railway = await start({ faults: { 1: { status: 401 } } });
    const client = new RailwayClient({ token, tokenKind: "account", endpoint: `${railway.url}/graphql/v2` });
    const body = JSON.stringify({
      query: documents.deploymentStatus,
      variables: { id: "deployment-good" },
      operationName: "DeploymentStatus",
    });
    expect(await client.send("deploymentStatus", body, first)).toMatchObject({ done: true, value: { deployment: { status: "SUCCESS" } } });
    await expect(client.send("deploymentStatus", body, first)).rejects.toThrow("Railway refused the token (HTTP 401) for deploymentStatus");
  });
});
