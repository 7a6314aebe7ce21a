// Each step of a deploy on its own, with the real client against the Railway stand-in (fakeRailway.ts); deploy.test.ts runs them together.
import { afterEach, describe, expect, it } from "vitest";
import { RailwayAuthError, RailwayClient, RailwayError, RailwayOutcomeUnknownError } from "../../src/railway/client";
import {
  confirmStoredImage,
  deadlineMessage,
  DeployFailedError,
  judge,
  neverActive,
  pointAtImage,
  probeHealth,
  refuseMutableTag,
  requireRollbackable,
  requireStillServing,
  rollBack,
  rollbackTarget,
  serviceInstance,
  servingNow,
  setVariables,
  startDeployment,
  startOnce,
  waitForVerdict,
  type DeployContext,
  type DeployOptions,
  type DeployTiming,
  type Failure,
} from "../../src/railway/deploy";
import {
  closedPort,
  FakeRailway,
  railwayDeployOptions,
  railwayTiming,
  serviceHistory,
  simulatedClock,
  type FakeRailwayOptions,
} from "./fakeRailway";

const digest = `docker.io/acme/app@sha256:${"c".repeat(64)}`;
const variables = { OPENAI_API_KEY: "sentinel-steps-openai-11aa", ANTHROPIC_API_KEY: "sentinel-steps-anthropic-22bb" };
const where = "Railway logs: https://railway.com/project/p-1/service/s-1?environmentId=e-1";
const history = serviceHistory;

let fake: FakeRailway | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

interface Setup {
  readonly c: DeployContext;
  readonly fake: FakeRailway;
  readonly logs: string[];
  /** Every wait taken, in ms (simulated: the clock moves by it). */
  readonly sleeps: number[];
  readonly operations: () => string[];
}

async function setUp(
  options: FakeRailwayOptions = {},
  settings: { readonly overrides?: Partial<DeployOptions>; readonly timing?: Partial<DeployTiming> } = {},
): Promise<Setup> {
  const clock = simulatedClock();
  const railway = await new FakeRailway({ clock: clock.now, ...options }).start();
  fake = railway;
  const logs: string[] = [];
  const { sleep, sleeps } = clock;
  const log = (line: string): void => {
    logs.push(line);
  };
  const client = new RailwayClient({
    token: "sentinel-steps-token-33cc",
    tokenKind: "account",
    endpoint: `${railway.url}/graphql/v2`,
    timeoutMs: 2000,
    backoffMs: 100,
    maxAttempts: 2,
    sleep,
    log,
  });
  const c: DeployContext = {
    client,
    options: railwayDeployOptions(railway, digest, variables, settings.overrides),
    timing: railwayTiming(clock, settings.timing),
    log,
    where,
  };
  return { c, fake: railway, logs, sleeps, operations: () => railway.requests.map((r) => r.operationName) };
}

/** What a step threw (it must throw). */
async function thrown(step: Promise<unknown>): Promise<Error> {
  try {
    await step;
  } catch (error) {
    if (error instanceof Error) return error;
    throw error;
  }
  throw new Error("the step did not throw");
}

describe("refuseMutableTag", () => {
  it("refuses a tag and lets a digest through", () => {
    expect(() => {
      refuseMutableTag("docker.io/acme/app:1.2.0");
    }).toThrow("refusing to deploy docker.io/acme/app:1.2.0: Railway deploys by digest");
    expect(() => {
      refuseMutableTag(digest);
    }).not.toThrow();
  });
});

describe("rollbackTarget", () => {
  it("remembers every deployment there before and picks the serving one", async () => {
    const s = await setUp({ history });
    const { known, previous } = await rollbackTarget(s.c);
    expect([...known]).toEqual(["deployment-failed-earlier", "deployment-good"]);
    expect(previous).toEqual({ id: "deployment-good", status: "SUCCESS", canRollback: true });
    expect(s.logs).toEqual(["rollback target: deployment deployment-good (SUCCESS)"]);
  });

  it("takes a sleeping deployment as the one serving", async () => {
    const s = await setUp({ history: [{ id: "deployment-asleep", status: "SLEEPING", canRollback: true }] });
    expect((await rollbackTarget(s.c)).previous?.id).toBe("deployment-asleep");
  });

  it("says so when nothing serves", async () => {
    const s = await setUp({ history: [{ id: "deployment-failed-earlier", status: "FAILED", canRollback: false }] });
    const { known, previous } = await rollbackTarget(s.c);
    expect(previous).toBeUndefined();
    expect(known.size).toBe(1);
    expect(s.logs).toEqual(["no earlier deployment is serving: nothing to roll back to"]);
  });
});

describe("setVariables", () => {
  it("sets the variables without a deploy and logs their names in order, never their values", async () => {
    const s = await setUp({ history });
    await setVariables(s.c);
    expect(s.fake.instance.variables).toEqual(variables);
    expect(s.fake.started).toEqual([]);
    expect(s.logs).toEqual(["variables: ANTHROPIC_API_KEY, OPENAI_API_KEY set (values not shown)"]);
  });
});

describe("pointAtImage", () => {
  it("sets image, health check and restart policy, clears an earlier pre-deploy command, starts nothing", async () => {
    const s = await setUp({ history });
    s.fake.instance.preDeployCommand = ["./old-migration.sh"];
    await pointAtImage(s.c);
    expect(s.fake.instance).toMatchObject({ image: digest, healthcheckPath: "/health", healthcheckTimeout: 300, preDeployCommand: null });
    expect(s.fake.started).toEqual([]);
    expect(s.logs).toEqual(["pre-deploy command in Railway: none"]);
  });

  it("sets the pre-deploy command for Railway to run", async () => {
    const s = await setUp({ history }, { overrides: { preDeployCommand: "python -m app.migrate" } });
    await pointAtImage(s.c);
    expect(s.fake.instance.preDeployCommand).toEqual(["python -m app.migrate"]);
    expect(s.logs).toEqual(["pre-deploy command in Railway: set (runs in Railway before the deployment starts)"]);
  });

  it("names the Pro plan when Railway refuses registry credentials", async () => {
    const s = await setUp(
      { history, plan: "hobby" },
      { overrides: { registryCredentials: { username: "acmebot", password: "pull-token" } } },
    );
    const error = await thrown(pointAtImage(s.c));
    expect(error).toBeInstanceOf(DeployFailedError);
    expect(error.message).toBe(
      "Railway rejected updateServiceInstance: Private registry credentials are only available on the Pro plan. Railway accepts private " +
        "registry credentials on the Pro plan only (not on Free, Trial or Hobby): upgrade the workspace, or make the image repository " +
        "public and set privateImageRepository false. Nothing was deployed.",
    );
    expect(s.logs).toEqual([]);
  });

  it("passes a refused token on as it is, credentials or not: the plan is not the problem", async () => {
    const credentials = { username: "acmebot", password: "pull-token" };
    for (const overrides of [{ registryCredentials: credentials }, {}]) {
      const s = await setUp({ history, plan: "pro", notAuthorizedFor: ["serviceInstanceUpdate"] }, { overrides });
      const error = await thrown(pointAtImage(s.c));
      expect(error).toBeInstanceOf(RailwayAuthError);
      expect(error.message).not.toContain("Pro plan");
      await s.fake.stop();
      fake = undefined;
    }
  });
});

describe("serviceInstance and confirmStoredImage", () => {
  it("reads no image from an instance without a source, and the deployment serving", async () => {
    const s = await setUp({ history });
    expect(await serviceInstance(s.c)).toEqual({ image: undefined, active: ["deployment-good"] });
    const error = await thrown(confirmStoredImage(s.c));
    expect(error.message).toBe(`Railway stored the service image as nothing instead of ${digest}; nothing was deployed. ${where}`);
  });

  it("refuses an image reference Railway rewrote", async () => {
    const s = await setUp({ history, storesImageAs: "docker.io/acme/app:latest" });
    await pointAtImage(s.c);
    const error = await thrown(confirmStoredImage(s.c));
    expect(error).toBeInstanceOf(DeployFailedError);
    expect(error.message).toContain("Railway stored the service image as docker.io/acme/app:latest instead of");
  });

  it("accepts the digest it was sent, and says so", async () => {
    const s = await setUp({ history });
    await pointAtImage(s.c);
    await confirmStoredImage(s.c);
    expect(s.logs.at(-1)).toBe(`service image: ${digest}`);
  });
});

describe("startOnce", () => {
  const deploy = (s: Setup) => async (): Promise<string> =>
    (await s.c.client.request("deploy", { serviceId: "s-1", environmentId: "e-1" })).serviceInstanceDeployV2;

  it("returns what the request started, and looks nothing up when Railway answered", async () => {
    const s = await setUp({ history });
    await pointAtImage(s.c);
    expect(await startOnce(s.c, new Set(["deployment-good"]), deploy(s), "deploy")).toBe("deployment-new");
    expect(s.operations()).toEqual(["UpdateServiceInstance", "Deploy"]);
  });

  it("after a lost answer, follows the deployment Railway started instead of sending again", async () => {
    const s = await setUp({ history, operationFaults: { Deploy: [{ status: 502, afterProcessing: true }] } });
    await pointAtImage(s.c);
    expect(await startOnce(s.c, new Set(["deployment-failed-earlier", "deployment-good"]), deploy(s), "deploy")).toBe("deployment-new");
    expect(s.operations()).toEqual(["UpdateServiceInstance", "Deploy", "RecentDeployments"]);
    expect(s.logs.slice(1)).toEqual([
      "Railway deploy: HTTP 502; whether Railway acted on it is unknown: looking up what Railway did before sending anything again",
      "Railway had started deployment deployment-new for the deploy: following it, not starting another",
    ]);
  });

  it("sends again, once, when Railway shows nothing started; then gives up saying so", async () => {
    const s = await setUp({ history, operationFaults: { Deploy: [{ status: 502 }, { status: 503 }] } });
    const error = await thrown(startOnce(s.c, new Set(["deployment-failed-earlier", "deployment-good"]), deploy(s), "deploy"));
    expect(error).toBeInstanceOf(RailwayError);
    expect(error.message).toBe(
      "Railway deploy: HTTP 503; whether Railway acted on it is unknown; Railway shows no deployment it started for the deploy",
    );
    expect(s.operations()).toEqual(["Deploy", "RecentDeployments", "Deploy", "RecentDeployments"]);
    expect(s.logs).toContain("Railway shows no deployment started for the deploy: sending it again");
    expect(s.fake.started).toEqual([]);
  });

  it("passes any other error on at once, without a look-up", async () => {
    const s = await setUp({ history, notAuthorizedFor: ["serviceInstanceDeployV2"] });
    expect(await thrown(startOnce(s.c, new Set(), deploy(s), "deploy"))).toBeInstanceOf(RailwayAuthError);
    expect(s.operations()).toEqual(["Deploy"]);
  });

  it("treats only an unknown outcome as ambiguous", async () => {
    const s = await setUp({ history });
    const unknown = new RailwayOutcomeUnknownError("Railway rollback: timed out after 2000 ms; whether Railway acted on it is unknown");
    let sent = 0;
    const send = (): Promise<undefined> => (++sent === 1 ? Promise.reject(unknown) : Promise.resolve(undefined));
    expect(await startOnce(s.c, new Set(["deployment-failed-earlier", "deployment-good"]), send, "rollback")).toBeUndefined();
    expect(sent).toBe(2);
  });
});

describe("startDeployment", () => {
  it("starts one deployment, adds it to the known ones and logs it", async () => {
    const s = await setUp({ history });
    await pointAtImage(s.c);
    const known = new Set(["deployment-good"]);
    expect(await startDeployment(s.c, known)).toBe("deployment-new");
    expect([...known]).toEqual(["deployment-good", "deployment-new"]);
    expect(s.logs.at(-1)).toBe("deployment deployment-new: started");
    expect(s.fake.started).toEqual(["deployment-new"]);
  });
});

describe("waitForVerdict", () => {
  async function started(options: FakeRailwayOptions, timing: Partial<DeployTiming> = {}): Promise<Setup> {
    const s = await setUp({ history, ...options }, { timing });
    await pointAtImage(s.c);
    await startDeployment(s.c, new Set());
    return s;
  }

  it("polls with a doubling wait, capped, until a verdict", async () => {
    const s = await started({ deploymentStatuses: ["QUEUED", "BUILDING", "BUILDING", "DEPLOYING", "SUCCESS"] }, { pollMaxMs: 3000 });
    expect(await waitForVerdict(s.c, "deployment-new")).toEqual({ status: "SUCCESS", verdict: "active", url: "app.up.railway.app" });
    expect(s.sleeps).toEqual([1000, 2000, 3000, 3000]);
  });

  it("returns a verdict that is not success as it is", async () => {
    const s = await started({ deploymentStatuses: ["DEPLOYING", "CRASHED"] });
    expect((await waitForVerdict(s.c, "deployment-new")).verdict).toBe("crashed");
  });

  it("gives a deployment that never deploys the pull allowance, and its last wait ends at the limit", async () => {
    const s = await started({ deploymentStatuses: ["QUEUED"] }, { pullAllowanceMs: 5000 });
    const error = await thrown(waitForVerdict(s.c, "deployment-new"));
    expect(error.message).toContain("deployment deployment-new was still QUEUED after the 5 s allowed");
    expect(s.sleeps).toEqual([1000, 2000, 2000]);
  });

  it("gives a deploying one the health-check timeout plus the grace, from when it started deploying", async () => {
    const s = await started({ deploymentStatuses: ["BUILDING", "DEPLOYING"] }, { verdictGraceMs: 2000 });
    await expect(waitForVerdict({ ...s.c, options: { ...s.c.options, healthcheckTimeoutSeconds: 10 } }, "deployment-new")).rejects.toThrow(
      "deployment deployment-new was still DEPLOYING 12 s after it started deploying: its health check may take 10 s",
    );
    expect(s.sleeps.reduce((a, b) => a + b, 0)).toBe(1000 + 12_000);
  });
});

describe("deadlineMessage", () => {
  it("names the budget that ran out and the setting behind it", async () => {
    const s = await setUp({}, { timing: { pullAllowanceMs: 300_000, verdictGraceMs: 60_000 } });
    expect(deadlineMessage(s.c, "d-1", "BUILDING", 300_000, undefined)).toBe(
      "deployment d-1 was still BUILDING after the 300 s allowed for Railway's queue, the image pull and the pre-deploy command (DEPLOY_PULL_ALLOWANCE_SECONDS)",
    );
    expect(deadlineMessage(s.c, "d-1", "DEPLOYING", 400_400, 40_000)).toBe(
      "deployment d-1 was still DEPLOYING 360 s after it started deploying: its health check may take 300 s (healthCheckTimeoutSeconds), and Railway's verdict did not come within 60 s more",
    );
  });
});

describe("probeHealth", () => {
  it("passes on the first 2xx when one is required", async () => {
    const s = await setUp();
    await probeHealth(s.c.options.healthUrl, { ...s.c.timing, healthSuccesses: 1 });
    expect(s.fake.healthRequests).toEqual(["/health"]);
    expect(s.sleeps).toEqual([]);
  });

  it("requires healthSuccesses 2xx in a row, at the interval", async () => {
    const s = await setUp();
    await probeHealth(s.c.options.healthUrl, s.c.timing);
    expect(s.fake.healthRequests).toEqual(["/health", "/health", "/health"]);
    expect(s.sleeps).toEqual([500, 500]);
  });

  it("tries the attempts at an even interval, then says what the URL last answered", async () => {
    const s = await setUp({ healthStatus: 502 });
    await expect(probeHealth(s.c.options.healthUrl, s.c.timing)).rejects.toThrow(
      `${s.c.options.healthUrl} answered HTTP 502 after 3 attempts`,
    );
    expect(s.fake.healthRequests).toHaveLength(3);
    expect(s.sleeps).toEqual([500, 500]);
  });

  it("names a URL that does not answer in time, and one nothing listens on", async () => {
    const s = await setUp({ healthDelayMs: 500 }, { timing: { healthRequestTimeoutMs: 20, healthAttempts: 2 } });
    await expect(probeHealth(s.c.options.healthUrl, s.c.timing)).rejects.toThrow("answered timed out after 2 attempts");
    const nowhere = `http://127.0.0.1:${String(await closedPort())}/health`;
    // A refused connection is no timeout, however long a loaded machine takes to refuse it: a timeout it cannot reach.
    const patient = { ...s.c.timing, healthRequestTimeoutMs: 10_000 };
    await expect(probeHealth(nowhere, patient)).rejects.toThrow(`${nowhere} answered unreachable after 2 attempts`);
  });
});

describe("judge", () => {
  async function judged(
    options: FakeRailwayOptions,
    timing: Partial<DeployTiming> = {},
  ): Promise<{ s: Setup; judgement?: unknown; error?: Error }> {
    const s = await setUp({ history, ...options }, { timing });
    await pointAtImage(s.c);
    const id = await startDeployment(s.c, new Set());
    try {
      return { s, judgement: await judge(s.c, id) };
    } catch (error) {
      return { s, error: error as Error };
    }
  }

  it("healthy: the public URL over https", async () => {
    const { judgement, s } = await judged({ deploymentStatuses: ["DEPLOYING", "SUCCESS"] });
    expect(judgement).toEqual({ healthy: true, url: "https://app.up.railway.app" });
    expect(s.logs.at(-1)).toBe("deployment deployment-new: SUCCESS");
  });

  it("healthy without a public domain: the health URL", async () => {
    const { judgement, s } = await judged({ publicDomain: null });
    expect(judgement).toEqual({ healthy: true, url: s.c.options.healthUrl });
  });

  it("FAILED never became active; CRASHED did", async () => {
    expect((await judged({ deploymentStatuses: ["FAILED"] })).judgement).toEqual({
      healthy: false,
      failure: "deployment deployment-new ended FAILED (its image pull, pre-deploy command or health check failed)",
      becameActive: false,
    });
    await fake?.stop();
    expect((await judged({ deploymentStatuses: ["CRASHED"] })).judgement).toEqual({
      healthy: false,
      failure: "deployment deployment-new became active, then CRASHED",
      becameActive: true,
    });
  });

  it("active but unhealthy at its public URL: a failure of a deployment that became active", async () => {
    const { judgement, s } = await judged({ healthStatus: 503 });
    expect(judgement).toEqual({
      healthy: false,
      failure: `${s.c.options.healthUrl} answered HTTP 503 after 3 attempts`,
      becameActive: true,
    });
  });

  it("no verdict in time: a failure of a deployment that never became active", async () => {
    // Polls a minute apart at most: the 600 s allowance in 16 polls, not 79 (the cadence is waitForVerdict's, above).
    const { judgement, s } = await judged({ timeline: [{ fromMs: 0, status: "QUEUED" }] }, { pollMaxMs: 60_000 });
    expect(judgement).toMatchObject({ healthy: false, becameActive: false });
    expect((judgement as { failure: string }).failure).toContain("was still QUEUED after the 600 s allowed");
    // Judged at the allowance itself, and nothing probed.
    expect(s.sleeps.reduce((a, b) => a + b, 0)).toBe(600_000);
    expect(s.fake.healthRequests).toEqual([]);
  });

  it.each([
    ["NEEDS_APPROVAL", "deployment deployment-new is NEEDS_APPROVAL: it waits for someone to approve it in Railway."],
    ["REMOVED", "deployment deployment-new was REMOVED before Railway's verdict: a newer deployment or a person replaced it."],
    ["SKIPPED", "deployment deployment-new was SKIPPED by Railway: nothing of it runs, and nothing was rolled back."],
  ] as const)("%s ends the deploy with nothing to roll back, and says where to look", async (status, start) => {
    const { error } = await judged({ deploymentStatuses: [status] });
    expect(error).toBeInstanceOf(DeployFailedError);
    expect(error?.message.startsWith(start)).toBe(true);
    expect(error?.message.endsWith(`. ${where}`)).toBe(true);
    expect(error).toMatchObject({ deploymentId: "deployment-new", rolledBackTo: undefined });
  });
});

describe("servingNow", () => {
  it("reads the deployments serving, or logs why it could not", async () => {
    const s = await setUp({ history });
    expect(await servingNow(s.c)).toEqual(["deployment-good"]);
    await s.fake.stop();
    const refused = await setUp({ history, notAuthorizedFor: ["serviceInstance"] });
    expect(await servingNow(refused.c)).toBeUndefined();
    expect(refused.logs[0]).toMatch(/^could not read which deployments serve: Railway refused serviceInstance/);
  });
});

describe("after a failure", () => {
  const good = { id: "deployment-good", status: "SUCCESS", canRollback: true };
  const failure = (f: Partial<Failure> = {}): Failure => ({
    deploymentId: "deployment-new",
    failure: "deployment deployment-new became active, then CRASHED",
    becameActive: true,
    previous: good,
    known: new Set(["deployment-failed-earlier", "deployment-good", "deployment-new"]),
    ...f,
  });

  it("rolls back once to the deployment serving before, and says so", async () => {
    const s = await setUp({ history });
    const error = await thrown(rollBack(s.c, failure()));
    expect(error.message).toBe(
      "deployment deployment-new became active, then CRASHED; rolled back to deployment deployment-good " +
        "(deployment rollback-of-deployment-good serves it); the service's variables are the stack's current values again " +
        `(Railway's rollback restores the target's). ${where}`,
    );
    expect(error).toMatchObject({ deploymentId: "deployment-new", rolledBackTo: "deployment-good" });
    expect(s.fake.rolledBackTo).toBe("deployment-good");
    // Then: which deployment the rollback started, its verdict, that it serves, and the current variables back (no deploy).
    expect(s.operations()).toEqual([
      "ServiceInstance",
      "DeploymentStatus",
      "Rollback",
      "RecentDeployments",
      "DeploymentStatus",
      "ServiceInstance",
      "UpsertVariables",
    ]);
    expect(s.logs).toEqual([
      expect.stringMatching(/^variables: .* set \(values not shown\)$/),
      "rolled back to deployment deployment-good",
    ]);
  });

  it("rolls back a deployment Railway shows serving, though its verdict never said active", async () => {
    const s = await setUp({ history: [{ id: "deployment-new", status: "SUCCESS", canRollback: false }, ...history] });
    const error = await thrown(rollBack(s.c, failure({ becameActive: false, failure: "it answered HTTP 500" })));
    expect(error).toMatchObject({ rolledBackTo: "deployment-good" });
  });

  it("rolls nothing back when the deployment never became active", async () => {
    const s = await setUp({ history });
    const error = await thrown(rollBack(s.c, failure({ becameActive: false, failure: "deployment deployment-new ended FAILED" })));
    expect(error.message).toBe(
      `deployment deployment-new ended FAILED; Railway never made it active, so deployment deployment-good still serves: nothing to roll back. ${where}`,
    );
    expect(s.operations()).toEqual(["ServiceInstance"]);
  });

  it("has nothing to roll back to without an earlier serving deployment", async () => {
    const s = await setUp({ history: [] });
    const error = await thrown(rollBack(s.c, failure({ previous: undefined })));
    expect(error.message).toBe(
      `deployment deployment-new became active, then CRASHED; there is no earlier successful deployment to roll back to. ${where}`,
    );
  });

  it("reports a rollback Railway refuses, without trying again", async () => {
    const s = await setUp({ history, rollbackFails: true });
    const error = await thrown(rollBack(s.c, failure()));
    expect(error.message).toBe(
      "deployment deployment-new became active, then CRASHED; the rollback to deployment deployment-good failed too " +
        `(Railway rejected rollback: Deployment cannot be rolled back): the service may be down. ${where}`,
    );
    expect(error).toMatchObject({ rolledBackTo: undefined });
    expect(s.operations().filter((o) => o === "Rollback")).toHaveLength(1);
  });

  it("neverActive names what still serves: Railway's answer first, else the deployment serving before, else nothing", async () => {
    const s = await setUp();
    const f = failure({ becameActive: false, failure: "it failed" });
    expect(neverActive(s.c, f, ["deployment-by-someone-else"]).message).toBe(
      `it failed; Railway never made it active, so deployment deployment-by-someone-else still serves: nothing to roll back. ${where}`,
    );
    expect(neverActive(s.c, f, undefined).message).toContain("so deployment deployment-good still serves");
    expect(neverActive(s.c, { ...f, previous: undefined }, []).message).toBe(
      `it failed; Railway never made it active: nothing to roll back. ${where}`,
    );
  });

  it("requireRollbackable asks Railway now whether the target can still be rolled back to", async () => {
    const s = await setUp({
      history: [
        { id: "deployment-good", status: "SUCCESS", canRollback: true },
        { id: "deployment-expired", status: "REMOVED", canRollback: false },
      ],
    });
    await requireRollbackable(s.c, failure(), "deployment-good");
    const error = await thrown(requireRollbackable(s.c, failure(), "deployment-expired"));
    expect(error.message).toBe(
      `deployment deployment-new became active, then CRASHED; deployment deployment-expired cannot be rolled back to (Railway says canRollback: false). ${where}`,
    );
  });
});

describe("requireStillServing (before a bake's rollback)", () => {
  it("passes while the baked deployment serves, and otherwise fails without a rollback, naming who serves", async () => {
    const { c, operations } = await setUp({ history });
    // deployment-good serves (the stand-in's history): the bake's deployment was replaced.
    const error = await thrown(requireStillServing(c, "deployment-new", "deployment deployment-new went live, then failed its bake: …"));
    expect(error).toBeInstanceOf(DeployFailedError);
    expect(error.message).toBe(
      `deployment deployment-new went live, then failed its bake: …; but deployment deployment-new no longer serves (deployment-good does): someone replaced it during the bake, so nothing was rolled back. ${where}`,
    );
    await requireStillServing(c, "deployment-good", "unused");
    expect(operations().filter((o) => o === "Rollback")).toEqual([]);
  });
});
