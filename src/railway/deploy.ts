/**
 * One deploy of an image to a Railway service: variables, image by digest
 * (read back), one deployment, wait for Railway's verdict within a deadline
 * derived from the health-check timeout, prove health, and on failure roll
 * back only when the failed deployment had become active. Why each step is
 * what Railway does: docs/railway.md.
 */
import { RailwayAuthError, RailwayClient, RailwayError, RailwayOutcomeUnknownError } from "./client";
import { isServing, verdictOf, type ResponseOf, type Verdict } from "./documents";
import { again, done, retry } from "./retry";
import { bakeFailure } from "./bake";
import type { BakeSettings } from "./bakeVerdict";
import { isImageByDigest } from "../formats";

export interface DeployOptions {
  readonly projectId: string;
  readonly environmentId: string;
  readonly serviceId: string;
  /** `docker.io/<repo>@sha256:<digest>`: never a mutable tag. */
  readonly image: string;
  readonly healthcheckPath: string;
  /** Railway's health-check timeout (1 to 3600 s): how long a deployment may take to answer its health check. */
  readonly healthcheckTimeoutSeconds: number;
  /** The public URL probed after Railway reports the deployment active. */
  readonly healthUrl: string;
  /** The service's variables (the app's API keys); set without triggering deploys. */
  readonly variables: Readonly<Record<string, string>>;
  /**
   * Read-only credentials Railway pulls a private image with; only for a
   * private image repository (Railway accepts them on the Pro plan only).
   */
  readonly registryCredentials?: { readonly username: string; readonly password: string };
  /**
   * Railway's own pre-deploy command: it runs in Railway, in the new image, in
   * the service's private network with its variables, before the deployment
   * starts; its failure fails the deployment. Undefined clears it.
   */
  readonly preDeployCommand?: string;
  /** The bake window after go-live (bakeVerdict.ts); undefined or 0 seconds: none. */
  readonly bake?: BakeSettings;
}

export interface DeployTiming {
  /**
   * How long the deployment may take to leave INITIALIZING, QUEUED and
   * BUILDING: Railway's queue, the image pull and the pre-deploy command.
   */
  readonly pullAllowanceMs: number;
  /** How long after the health-check timeout Railway may take to post its verdict. */
  readonly verdictGraceMs: number;
  readonly pollStartMs: number;
  readonly pollMaxMs: number;
  /** Probes allowed for the app to answer its first 2xx at the public URL. */
  readonly healthAttempts: number;
  /** 2xx answers in a row the app must give before it counts as healthy (one 2xx is not: a flapping app passes it). */
  readonly healthSuccesses: number;
  readonly healthIntervalMs: number;
  readonly healthRequestTimeoutMs: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

export interface DeployResult {
  readonly deploymentId: string;
  readonly url: string;
}

/** A failed deploy, after the rollback was attempted (or found needless). */
export class DeployFailedError extends Error {
  override readonly name = "DeployFailedError";
  constructor(
    message: string,
    readonly deploymentId: string | undefined,
    readonly rolledBackTo: string | undefined,
  ) {
    super(message);
  }
}

/** What every step of one deploy works with. */
export interface DeployContext {
  readonly client: RailwayClient;
  readonly options: DeployOptions;
  readonly timing: DeployTiming;
  readonly log: (line: string) => void;
  /** Where a person sees what Railway did: the end of every failure message. */
  readonly where: string;
}

export type DeploymentNode = ResponseOf<"recentDeployments">["deployments"]["edges"][number]["node"];

/** A verdict other than "still on its way". */
export type FinalVerdict = Exclude<Verdict, "pending">;

/** How the deployment this deploy started ended, short of a rollback. */
export type Judgement =
  | { readonly healthy: true; readonly url: string }
  | { readonly healthy: false; readonly failure: string; readonly becameActive: boolean };

/** What the steps after a failure need to know. */
export interface Failure {
  readonly deploymentId: string;
  /** What failed, the start of the error message. */
  readonly failure: string;
  /** Railway reported it active at some point (SUCCESS, SLEEPING, CRASHED). */
  readonly becameActive: boolean;
  /** The deployment serving before this deploy: the rollback target. */
  readonly previous: DeploymentNode | undefined;
  /** Every deployment id that existed before the rollback is sent. */
  readonly known: ReadonlySet<string>;
}

const seconds = (ms: number): number => Math.round(ms / 1000);

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export async function deploy(client: RailwayClient, o: DeployOptions, t: DeployTiming, log: (line: string) => void): Promise<DeployResult> {
  refuseMutableTag(o.image);
  const where = `Railway logs: https://railway.com/project/${o.projectId}/service/${o.serviceId}?environmentId=${o.environmentId}`;
  const c: DeployContext = { client, options: o, timing: t, log, where };
  const { known, previous, unfinished } = await rollbackTarget(c);
  await cancelUnfinished(c, unfinished);
  await setVariables(c);
  await pointAtImage(c);
  await confirmStoredImage(c);
  const startedAt = t.now();
  const deploymentId = await startDeployment(c, known);
  const judgement = await judge(c, deploymentId);
  if (!judgement.healthy)
    return rollBack(c, { deploymentId, failure: judgement.failure, becameActive: judgement.becameActive, previous, known });
  const windows = { deploymentId, liveAt: t.now(), previousId: previous?.id, startedAt };
  const baked = await bakeFailure(c, windows, o.bake);
  if (baked === undefined) return { deploymentId, url: judgement.url };
  await requireStillServing(c, deploymentId, baked);
  return rollBack(c, { deploymentId, failure: baked, becameActive: true, previous, known });
}

export function refuseMutableTag(image: string): void {
  if (!isImageByDigest(image)) {
    throw new DeployFailedError(
      `refusing to deploy ${image}: Railway deploys by digest (<repository>@sha256:<64 hex>), never by a mutable tag`,
      undefined,
      undefined,
    );
  }
}

async function recentDeployments(c: DeployContext): Promise<DeploymentNode[]> {
  const { projectId, environmentId, serviceId } = c.options;
  const data = await c.client.request("recentDeployments", { input: { projectId, environmentId, serviceId }, first: 20 });
  return data.deployments.edges.map((e) => e.node);
}

export async function serviceInstance(c: DeployContext): Promise<{ image: string | undefined; active: string[] }> {
  const { serviceInstance: instance } = await c.client.request("serviceInstance", {
    serviceId: c.options.serviceId,
    environmentId: c.options.environmentId,
  });
  return { image: instance.source?.image ?? undefined, active: instance.activeDeployments.map((d) => d.id) };
}

/**
 * The deployments there before this deploy, the one serving among them (what a failure rolls back to), and
 * those still on their way: started by a deploy that did not finish (a killed `pulumi up`, a lost runner).
 */
export async function rollbackTarget(
  c: DeployContext,
): Promise<{ known: Set<string>; previous: DeploymentNode | undefined; unfinished: DeploymentNode[] }> {
  const before = await recentDeployments(c);
  const unfinished = before.filter((d) => verdictOf(d.status) === "pending");
  // A sleeping deployment is still the one serving: the next request wakes it.
  const previous = before.find((d) => isServing(d.status));
  c.log(
    previous === undefined
      ? "no earlier deployment is serving: nothing to roll back to"
      : `rollback target: deployment ${previous.id} (${previous.status})`,
  );
  return { known: new Set(before.map((d) => d.id)), previous, unfinished };
}

/**
 * A deployment still on its way when a deploy starts was started by one that never finished (the stack is
 * locked while an up runs, so not by a live one of this stack): it is cancelled before this deploy starts its
 * own, so that exactly one deployment, this one, can go live. If it cannot be, nothing is changed.
 */
export async function cancelUnfinished(c: DeployContext, unfinished: readonly DeploymentNode[]): Promise<void> {
  for (const d of unfinished) {
    c.log(
      `deployment ${d.id} was still ${d.status} when this deploy started (a deploy that did not finish, such as a killed pulumi up, started it): cancelling it`,
    );
    const outcome = await cancel(c, d.id);
    if (!outcome.startsWith("it was cancelled")) {
      throw new DeployFailedError(
        `deployment ${d.id} was still ${d.status} from a deploy that did not finish, and ${outcome.replace(/^cancelling it failed too/, "cancelling it failed")}; nothing was deployed. ${c.where}`,
        undefined,
        undefined,
      );
    }
  }
}

export async function setVariables(c: DeployContext): Promise<void> {
  const { projectId, environmentId, serviceId, variables } = c.options;
  await c.client.request("upsertVariables", { input: { projectId, environmentId, serviceId, variables, skipDeploys: true } });
  c.log(`variables: ${Object.keys(variables).sort().join(", ")} set (values not shown)`);
}

/** Points the service at the image with its health check, restart policy and pre-deploy command; starts nothing. */
export async function pointAtImage(c: DeployContext): Promise<void> {
  const o = c.options;
  try {
    await c.client.request("updateServiceInstance", {
      serviceId: o.serviceId,
      environmentId: o.environmentId,
      input: {
        source: { image: o.image },
        healthcheckPath: o.healthcheckPath,
        healthcheckTimeout: o.healthcheckTimeoutSeconds,
        restartPolicyType: "ON_FAILURE",
        restartPolicyMaxRetries: 3,
        // null clears a command set earlier: the stack's setting is the whole truth.
        preDeployCommand: o.preDeployCommand === undefined ? null : [o.preDeployCommand],
        ...(o.registryCredentials === undefined ? {} : { registryCredentials: o.registryCredentials }),
      },
    });
  } catch (error) {
    if (o.registryCredentials !== undefined && error instanceof RailwayError && !(error instanceof RailwayAuthError)) {
      throw new DeployFailedError(
        `${error.message}. Railway accepts private registry credentials on the Pro plan only (not on Free, Trial or Hobby): upgrade the workspace, ` +
          "or make the image repository public and set privateImageRepository false. Nothing was deployed.",
        undefined,
        undefined,
      );
    }
    throw error;
  }
  c.log(
    `pre-deploy command in Railway: ${o.preDeployCommand === undefined ? "none" : "set (runs in Railway before the deployment starts)"}`,
  );
}

/** Railway's docs show images by tag only; read back what it stored before starting anything with it. */
export async function confirmStoredImage(c: DeployContext): Promise<void> {
  const stored = (await serviceInstance(c)).image;
  if (stored !== c.options.image) {
    throw new DeployFailedError(
      `Railway stored the service image as ${stored ?? "nothing"} instead of ${c.options.image}; nothing was deployed. ${c.where}`,
      undefined,
      undefined,
    );
  }
  c.log(`service image: ${c.options.image}`);
}

/** The newest deployment that did not exist before: what a request whose answer was lost started, if anything. */
async function startedSince(c: DeployContext, known: ReadonlySet<string>): Promise<string | undefined> {
  return (await recentDeployments(c)).find((d) => !known.has(d.id))?.id;
}

/**
 * Sends a request that starts a deployment (a deploy, a rollback) without ever
 * starting two: when Railway's answer is lost, it looks for a deployment that
 * was not there before and follows it, and sends again only when there is none.
 */
export async function startOnce<T extends string | undefined>(
  c: DeployContext,
  known: ReadonlySet<string>,
  send: () => Promise<T>,
  what: string,
): Promise<T | string> {
  return retry<T | string>(
    async ({ attempt }) => {
      if (attempt > 1) c.log(`Railway shows no deployment started for the ${what}: sending it again`);
      try {
        return done(await send());
      } catch (error) {
        if (!(error instanceof RailwayOutcomeUnknownError)) throw error;
        c.log(`${error.message}: looking up what Railway did before sending anything again`);
        const started = await startedSince(c, known);
        if (started === undefined) return again(error.message);
        c.log(`Railway had started deployment ${started} for the ${what}: following it, not starting another`);
        return done(started);
      }
    },
    { attempts: 2, giveUp: (problem) => new RailwayError(`${problem}; Railway shows no deployment it started for the ${what}`) },
  );
}

/** Starts the one deployment of this deploy, and adds it to `known`. */
export async function startDeployment(c: DeployContext, known: Set<string>): Promise<string> {
  const { serviceId, environmentId } = c.options;
  const send = async (): Promise<string> => (await c.client.request("deploy", { serviceId, environmentId })).serviceInstanceDeployV2;
  const deploymentId = await startOnce(c, known, send, "deploy");
  known.add(deploymentId);
  c.log(`deployment ${deploymentId}: started`);
  return deploymentId;
}

class DeadlineError extends RailwayError {}

/** Polls until Railway's verdict, within two budgets: getting the image running, then its health check. */
export async function waitForVerdict(
  c: DeployContext,
  id: string,
): Promise<{ status: string; verdict: FinalVerdict; url: string | undefined }> {
  const t = c.timing;
  const start = t.now();
  let deployingSince: number | undefined;
  let wait = t.pollStartMs;
  for (;;) {
    const { deployment } = await c.client.request("deploymentStatus", { id });
    const verdict = verdictOf(deployment.status);
    if (verdict !== "pending") return { status: deployment.status, verdict, url: deployment.staticUrl ?? deployment.url ?? undefined };
    const now = t.now();
    if (deployment.status === "DEPLOYING") deployingSince ??= now;
    const healthBudget = c.options.healthcheckTimeoutSeconds * 1000 + t.verdictGraceMs;
    const limit = deployingSince === undefined ? start + t.pullAllowanceMs : deployingSince + healthBudget;
    if (now >= limit) throw new DeadlineError(deadlineMessage(c, id, deployment.status, now, deployingSince));
    await t.sleep(Math.min(wait, limit - now));
    wait = Math.min(wait * 2, t.pollMaxMs);
  }
}

export function deadlineMessage(c: DeployContext, id: string, status: string, now: number, deployingSince: number | undefined): string {
  const t = c.timing;
  return deployingSince === undefined
    ? `deployment ${id} was still ${status} after the ${seconds(t.pullAllowanceMs)} s allowed for Railway's queue, the image pull and the pre-deploy command (DEPLOY_PULL_ALLOWANCE_SECONDS)`
    : `deployment ${id} was still DEPLOYING ${seconds(now - deployingSince)} s after it started deploying: its health check may take ${c.options.healthcheckTimeoutSeconds} s (healthCheckTimeoutSeconds), and Railway's verdict did not come within ${seconds(t.verdictGraceMs)} s more`;
}

/** One probe of the public URL: `undefined` for a 2xx, otherwise what it answered. */
async function probeOnce(url: string, t: DeployTiming): Promise<string | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(t.healthRequestTimeoutMs) });
    await response.body?.cancel();
    return response.ok ? undefined : `HTTP ${response.status}`;
  } catch (error) {
    return error instanceof Error && error.name === "TimeoutError" ? "timed out" : "unreachable";
  }
}

/**
 * Probes the public URL until it answers 2xx `healthSuccesses` times in a row. The app gets `healthAttempts`
 * probes to come up; once it has, each further probe must answer 2xx too, so in all it gets
 * `healthAttempts + healthSuccesses - 1`: enough for an app that comes up and stays up, never for one that flaps.
 * Throws what it last answered.
 */
export async function probeHealth(url: string, t: DeployTiming): Promise<void> {
  const need = Math.max(1, t.healthSuccesses);
  const attempts = t.healthAttempts + need - 1;
  let streak = 0;
  let best = 0;
  let last = "nothing";
  let made = 0;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await t.sleep(t.healthIntervalMs);
    made = attempt;
    const problem = await probeOnce(url, t);
    if (problem === undefined) {
      streak++;
      best = Math.max(best, streak);
      if (streak >= need) return;
    } else {
      streak = 0;
      last = problem;
    }
    // The run cannot be finished in the probes left.
    if (need - streak > attempts - attempt) break;
  }
  if (best === 0) throw new Error(`${url} answered ${last} after ${String(made)} attempts`);
  throw new Error(
    `${url} answered 2xx at most ${String(best)} time${best === 1 ? "" : "s"} in a row, then ${last} (${String(need)} in a row are needed, ` +
      `healthCheckSuccesses): the app is flapping`,
  );
}

/** Verdicts that end the deploy with nothing to roll back: what serves now is not this deploy's to undo. */
const leftAlone: Readonly<Partial<Record<FinalVerdict, (id: string, status: string) => string>>> = {
  approval: (id, status) =>
    `deployment ${id} is ${status}: it waits for someone to approve it in Railway. Approve or reject it there; ` +
    "nothing was rolled back, and the deployment serving before is still serving.",
  superseded: (id, status) =>
    `deployment ${id} was ${status} before Railway's verdict: a newer deployment or a person replaced it. ` +
    "Nothing was rolled back: what serves now is not this deploy's to undo.",
  skipped: (id) => `deployment ${id} was SKIPPED by Railway: nothing of it runs, and nothing was rolled back.`,
};

/** Waits for Railway's verdict on the deployment and, when Railway made it active, probes its health. */
export async function judge(c: DeployContext, deploymentId: string): Promise<Judgement> {
  let outcome: Awaited<ReturnType<typeof waitForVerdict>>;
  try {
    outcome = await waitForVerdict(c, deploymentId);
  } catch (error) {
    if (!(error instanceof DeadlineError)) return { healthy: false, failure: errorText(error), becameActive: false };
    return { healthy: false, failure: `${error.message}; ${await cancel(c, deploymentId)}`, becameActive: false };
  }
  c.log(`deployment ${deploymentId}: ${outcome.status}`);
  const stop = leftAlone[outcome.verdict];
  if (stop !== undefined) throw new DeployFailedError(`${stop(deploymentId, outcome.status)} ${c.where}`, deploymentId, undefined);
  if (outcome.verdict === "failed") {
    return {
      healthy: false,
      failure: `deployment ${deploymentId} ended FAILED (its image pull, pre-deploy command or health check failed)`,
      becameActive: false,
    };
  }
  if (outcome.verdict === "crashed")
    return { healthy: false, failure: `deployment ${deploymentId} became active, then CRASHED`, becameActive: true };
  try {
    await probeHealth(c.options.healthUrl, c.timing);
  } catch (error) {
    return { healthy: false, failure: errorText(error), becameActive: true };
  }
  const url = outcome.url;
  return { healthy: true, url: url === undefined ? c.options.healthUrl : `https://${url.replace(/^https?:\/\//, "")}` };
}

/**
 * A deployment still on its way when the budget ends is cancelled, not left to go live after the deploy
 * reported failure (and after the next deploy started): says what became of it.
 */
export async function cancel(c: DeployContext, id: string): Promise<string> {
  try {
    await c.client.request("cancel", { id });
  } catch (error) {
    return `cancelling it failed too (${errorText(error)}): cancel it in Railway before it goes live`;
  }
  c.log(`deployment ${id}: cancelled`);
  return "it was cancelled (deploymentCancel)";
}

/** The deployments serving now, or undefined when Railway could not say. */
export async function servingNow(c: DeployContext): Promise<string[] | undefined> {
  try {
    return (await serviceInstance(c)).active;
  } catch (error) {
    c.log(`could not read which deployments serve: ${errorText(error)}`);
    return undefined;
  }
}

/**
 * After a failure: rolls back, once, to the deployment serving before, and
 * only when the failed one had become active (Railway switches traffic only to
 * a deployment that passed its health check). Always throws what happened.
 */
export async function rollBack(c: DeployContext, f: Failure): Promise<never> {
  const serving = await servingNow(c);
  if (!f.becameActive && serving?.includes(f.deploymentId) !== true) throw neverActive(c, f, serving);
  const previous = f.previous;
  if (previous === undefined) {
    throw new DeployFailedError(
      `${f.failure}; there is no earlier successful deployment to roll back to. ${c.where}`,
      f.deploymentId,
      undefined,
    );
  }
  await requireRollbackable(c, f, previous.id);
  const send = async (): Promise<undefined> => {
    await c.client.request("rollback", { id: previous.id });
    return undefined;
  };
  let started: string | undefined;
  try {
    started = (await startOnce(c, f.known, send, "rollback")) ?? (await startedSince(c, f.known));
  } catch (error) {
    // One rollback (never a loop): a person must look now.
    throw new DeployFailedError(
      `${f.failure}; the rollback to deployment ${previous.id} failed too (${errorText(error)}): the service may be down. ${c.where}`,
      f.deploymentId,
      undefined,
    );
  }
  const verified = await rollbackServes(c, previous.id, started);
  const variables = await restoreVariables(c);
  if (verified !== undefined) {
    throw new DeployFailedError(
      `${f.failure}; the rollback to deployment ${previous.id} was sent, but ${verified}: the service may be down${variables}. ${c.where}`,
      f.deploymentId,
      undefined,
    );
  }
  c.log(`rolled back to deployment ${previous.id}`);
  throw new DeployFailedError(
    `${f.failure}; rolled back to deployment ${previous.id}${started === undefined ? "" : ` (deployment ${started} serves it)`}${variables}. ${c.where}`,
    f.deploymentId,
    previous.id,
  );
}

/**
 * Railway's rollback redeploys the target, "both the Docker image and custom variables": a rollback after a
 * rotation would reinstall the revoked key as the service's variable. The stack's current values go back at once
 * (no deploy of their own); the rolled-back deployment runs with what it had until the next deploy.
 */
async function restoreVariables(c: DeployContext): Promise<string> {
  try {
    await setVariables(c);
    return "; the service's variables are the stack's current values again (Railway's rollback restores the target's)";
  } catch (error) {
    return `; setting the service's variables back to the stack's current values failed (${errorText(error)}): Railway holds the rolled-back deployment's, so run pulumi up again`;
  }
}

/** A rollback is reported only once Railway serves it: `undefined` when it does, otherwise what it did instead. */
async function rollbackServes(c: DeployContext, targetId: string, started: string | undefined): Promise<string | undefined> {
  if (started !== undefined) {
    try {
      const outcome = await waitForVerdict(c, started);
      if (outcome.verdict !== "active") return `its deployment ${started} ended ${outcome.status}`;
    } catch (error) {
      return errorText(error);
    }
  }
  const serving = await servingNow(c);
  if (serving === undefined) return "Railway could not say which deployment serves";
  const expected = started ?? targetId;
  return serving.includes(expected)
    ? undefined
    : `Railway shows ${serving.length === 0 ? "no deployment" : serving.join(", ")} serving, not ${expected}`;
}

/** The failed deployment never served: the error says which one still does. */
export function neverActive(c: DeployContext, f: Failure, serving: readonly string[] | undefined): DeployFailedError {
  const still =
    serving !== undefined && serving.length > 0
      ? `deployment ${serving.join(", ")}`
      : f.previous === undefined
        ? undefined
        : `deployment ${f.previous.id}`;
  return new DeployFailedError(
    `${f.failure}; Railway never made it active${still === undefined ? "" : `, so ${still} still serves`}: nothing to roll back. ${c.where}`,
    f.deploymentId,
    undefined,
  );
}

/**
 * Before a bake's rollback: the deployment must still be the one serving. A person (or another deploy) who
 * replaced it during the bake decided what serves now; the metrics the bake read were partly theirs.
 */
export async function requireStillServing(c: DeployContext, deploymentId: string, failure: string): Promise<void> {
  const serving = await servingNow(c);
  if (serving === undefined || serving.includes(deploymentId)) return;
  throw new DeployFailedError(
    `${failure}; but deployment ${deploymentId} no longer serves (${serving.length === 0 ? "nothing does" : `${serving.join(", ")} does`}): ` +
      `someone replaced it during the bake, so nothing was rolled back. ${c.where}`,
    deploymentId,
    undefined,
  );
}

/** canRollback can change (image retention): ask now, not before the deploy. */
export async function requireRollbackable(c: DeployContext, f: Failure, targetId: string): Promise<void> {
  const { deployment: target } = await c.client.request("deploymentStatus", { id: targetId });
  if (!target.canRollback) {
    throw new DeployFailedError(
      `${f.failure}; deployment ${targetId} cannot be rolled back to (Railway says canRollback: ${String(target.canRollback)}). ${c.where}`,
      f.deploymentId,
      undefined,
    );
  }
}
