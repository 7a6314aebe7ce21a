/**
 * One deploy of an image to a Railway service: variables, image by digest
 * (read back), one deployment, wait for Railway's verdict within a deadline
 * derived from the health-check timeout, prove health, and on failure roll
 * back only when the failed deployment had become active. Why each step is
 * what Railway does: docs/railway.md.
 */
import { RailwayAuthError, RailwayClient, RailwayError, RailwayOutcomeUnknownError } from "./client";
import { servingStatuses, verdicts, type DeploymentStatus, type Verdict } from "./documents";
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
  readonly healthAttempts: number;
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

interface DeploymentNode {
  readonly id: string;
  readonly status: DeploymentStatus;
  readonly canRollback: boolean;
}

const seconds = (ms: number): number => Math.round(ms / 1000);

async function recentDeployments(client: RailwayClient, o: DeployOptions): Promise<DeploymentNode[]> {
  const data = await client.request<{ deployments: { edges: { node: DeploymentNode }[] } }>("recentDeployments", {
    input: { projectId: o.projectId, environmentId: o.environmentId, serviceId: o.serviceId },
    first: 20,
  });
  return data.deployments.edges.map((e) => e.node);
}

async function serviceInstance(client: RailwayClient, o: DeployOptions): Promise<{ image: string | undefined; active: string[] }> {
  const { serviceInstance: instance } = await client.request<{
    serviceInstance: { source: { image: string | null } | null; activeDeployments: { id: string }[] };
  }>("serviceInstance", { serviceId: o.serviceId, environmentId: o.environmentId });
  return { image: instance.source?.image ?? undefined, active: instance.activeDeployments.map((d) => d.id) };
}

/** The newest deployment that did not exist before: what a request whose answer was lost started, if anything. */
async function startedSince(client: RailwayClient, o: DeployOptions, known: ReadonlySet<string>): Promise<string | undefined> {
  return (await recentDeployments(client, o)).find((d) => !known.has(d.id))?.id;
}

/**
 * Sends a request that starts a deployment (a deploy, a rollback) without ever
 * starting two: when Railway's answer is lost, it looks for a deployment that
 * was not there before and follows it, and sends again only when there is none.
 */
async function startOnce(
  client: RailwayClient,
  o: DeployOptions,
  known: ReadonlySet<string>,
  send: () => Promise<string | undefined>,
  what: string,
  log: (line: string) => void,
): Promise<string | undefined> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      if (!(error instanceof RailwayOutcomeUnknownError)) throw error;
      log(`${error.message}: looking up what Railway did before sending anything again`);
      const started = await startedSince(client, o, known);
      if (started !== undefined) {
        log(`Railway had started deployment ${started} for the ${what}: following it, not starting another`);
        return started;
      }
      if (attempt >= 2) throw new RailwayError(`${error.message}; Railway shows no deployment it started for the ${what}`);
      log(`Railway shows no deployment started for the ${what}: sending it again`);
    }
  }
}

class DeadlineError extends RailwayError {}

/** Polls until Railway's verdict, within two budgets: getting the image running, then its health check. */
async function waitForVerdict(
  client: RailwayClient,
  id: string,
  o: DeployOptions,
  t: DeployTiming,
): Promise<{ status: DeploymentStatus; verdict: Verdict; url: string | undefined }> {
  const start = t.now();
  let deployingSince: number | undefined;
  let wait = t.pollStartMs;
  for (;;) {
    const { deployment } = await client.request<{ deployment: { status: DeploymentStatus; url: string | null; staticUrl: string | null } }>(
      "deploymentStatus",
      { id },
    );
    // A status newer than the published schema is treated as not yet final; the deadline still bounds it.
    const verdict = (verdicts as Partial<Record<string, Verdict>>)[deployment.status] ?? "pending";
    if (verdict !== "pending") return { status: deployment.status, verdict, url: deployment.staticUrl ?? deployment.url ?? undefined };
    const now = t.now();
    if (deployment.status === "DEPLOYING") deployingSince ??= now;
    const healthBudget = o.healthcheckTimeoutSeconds * 1000 + t.verdictGraceMs;
    const limit = deployingSince === undefined ? start + t.pullAllowanceMs : deployingSince + healthBudget;
    if (now >= limit) {
      throw new DeadlineError(
        deployingSince === undefined
          ? `deployment ${id} was still ${deployment.status} after the ${seconds(t.pullAllowanceMs)} s allowed for Railway's queue, the image pull and the pre-deploy command (DEPLOY_PULL_ALLOWANCE_SECONDS)`
          : `deployment ${id} was still DEPLOYING ${seconds(now - deployingSince)} s after it started deploying: its health check may take ${o.healthcheckTimeoutSeconds} s (healthCheckTimeoutSeconds), and Railway's verdict did not come within ${seconds(t.verdictGraceMs)} s more`,
      );
    }
    await t.sleep(Math.min(wait, limit - now));
    wait = Math.min(wait * 2, t.pollMaxMs);
  }
}

async function probeHealth(url: string, t: DeployTiming): Promise<string | undefined> {
  let last = "";
  for (let attempt = 1; attempt <= t.healthAttempts; attempt++) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(t.healthRequestTimeoutMs) });
      await response.body?.cancel();
      if (response.ok) return undefined;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error instanceof Error && error.name === "TimeoutError" ? "timed out" : "unreachable";
    }
    if (attempt < t.healthAttempts) await t.sleep(t.healthIntervalMs);
  }
  return `${url} answered ${last} after ${t.healthAttempts} attempts`;
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export async function deploy(client: RailwayClient, o: DeployOptions, t: DeployTiming, log: (line: string) => void): Promise<DeployResult> {
  if (!isImageByDigest(o.image)) {
    throw new DeployFailedError(
      `refusing to deploy ${o.image}: Railway deploys by digest (<repository>@sha256:<64 hex>), never by a mutable tag`,
      undefined,
      undefined,
    );
  }
  const where = `Railway logs: https://railway.com/project/${o.projectId}/service/${o.serviceId}?environmentId=${o.environmentId}`;

  const before = await recentDeployments(client, o);
  const known = new Set(before.map((d) => d.id));
  // A sleeping deployment is still the one serving: the next request wakes it.
  const previous = before.find((d) => servingStatuses.includes(d.status));
  log(
    previous === undefined
      ? "no earlier deployment is serving: nothing to roll back to"
      : `rollback target: deployment ${previous.id} (${previous.status})`,
  );

  await client.request("upsertVariables", {
    input: { projectId: o.projectId, environmentId: o.environmentId, serviceId: o.serviceId, variables: o.variables, skipDeploys: true },
  });
  log(`variables: ${Object.keys(o.variables).sort().join(", ")} set (values not shown)`);
  try {
    await client.request("updateServiceInstance", {
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
  log(`pre-deploy command in Railway: ${o.preDeployCommand === undefined ? "none" : "set (runs in Railway before the deployment starts)"}`);
  // Railway's docs show images by tag only; read back what it stored before starting anything with it.
  const stored = (await serviceInstance(client, o)).image;
  if (stored !== o.image) {
    throw new DeployFailedError(
      `Railway stored the service image as ${stored ?? "nothing"} instead of ${o.image}; nothing was deployed. ${where}`,
      undefined,
      undefined,
    );
  }
  log(`service image: ${o.image}`);

  const deploymentId = await startOnce(
    client,
    o,
    known,
    async () =>
      (await client.request<{ serviceInstanceDeployV2: string }>("deploy", { serviceId: o.serviceId, environmentId: o.environmentId }))
        .serviceInstanceDeployV2,
    "deploy",
    log,
  );
  if (deploymentId === undefined) throw new DeployFailedError("Railway started no deployment", undefined, undefined);
  known.add(deploymentId);
  log(`deployment ${deploymentId}: started`);

  let failure: string;
  let becameActive = false;
  try {
    const outcome = await waitForVerdict(client, deploymentId, o, t);
    log(`deployment ${deploymentId}: ${outcome.status}`);
    switch (outcome.verdict) {
      case "approval":
        throw new DeployFailedError(
          `deployment ${deploymentId} is ${outcome.status}: it waits for someone to approve it in Railway. Approve or reject it there; ` +
            `nothing was rolled back, and the deployment serving before is still serving. ${where}`,
          deploymentId,
          undefined,
        );
      case "superseded":
        throw new DeployFailedError(
          `deployment ${deploymentId} was ${outcome.status} before Railway's verdict: a newer deployment or a person replaced it. ` +
            `Nothing was rolled back: what serves now is not this deploy's to undo. ${where}`,
          deploymentId,
          undefined,
        );
      case "skipped":
        throw new DeployFailedError(
          `deployment ${deploymentId} was SKIPPED by Railway: nothing of it runs, and nothing was rolled back. ${where}`,
          deploymentId,
          undefined,
        );
      case "failed":
        failure = `deployment ${deploymentId} ended FAILED (its image pull, pre-deploy command or health check failed)`;
        break;
      case "crashed":
        failure = `deployment ${deploymentId} became active, then CRASHED`;
        becameActive = true;
        break;
      case "active": {
        becameActive = true;
        const unhealthy = await probeHealth(o.healthUrl, t);
        if (unhealthy === undefined) {
          const url = outcome.url;
          return { deploymentId, url: url === undefined ? o.healthUrl : `https://${url.replace(/^https?:\/\//, "")}` };
        }
        failure = unhealthy;
        break;
      }
      case "pending":
        throw new Error("unreachable: a pending status is not a verdict");
    }
  } catch (error) {
    if (error instanceof DeployFailedError) throw error;
    failure = errorText(error);
  }

  // Railway switches traffic only to a deployment that passed its health check; roll back only one that did.
  let serving: string[] | undefined;
  try {
    serving = (await serviceInstance(client, o)).active;
  } catch (error) {
    log(`could not read which deployments serve: ${errorText(error)}`);
  }
  becameActive ||= serving?.includes(deploymentId) === true;
  if (!becameActive) {
    const servingNow =
      serving !== undefined && serving.length > 0
        ? `deployment ${serving.join(", ")}`
        : previous === undefined
          ? undefined
          : `deployment ${previous.id}`;
    throw new DeployFailedError(
      `${failure}; Railway never made it active${servingNow === undefined ? "" : `, so ${servingNow} still serves`}: nothing to roll back. ${where}`,
      deploymentId,
      undefined,
    );
  }
  if (previous === undefined) {
    throw new DeployFailedError(`${failure}; there is no earlier successful deployment to roll back to. ${where}`, deploymentId, undefined);
  }
  // canRollback can change (image retention): ask now, not before the deploy.
  const { deployment: target } = await client.request<{ deployment: { canRollback: boolean | null } }>("deploymentStatus", {
    id: previous.id,
  });
  if (target.canRollback !== true) {
    throw new DeployFailedError(
      `${failure}; deployment ${previous.id} cannot be rolled back to (Railway says canRollback: ${String(target.canRollback)}). ${where}`,
      deploymentId,
      undefined,
    );
  }
  try {
    await startOnce(
      client,
      o,
      known,
      async () => {
        await client.request("rollback", { id: previous.id });
        return undefined;
      },
      "rollback",
      log,
    );
  } catch (error) {
    // One rollback (never a loop): a person must look now.
    throw new DeployFailedError(
      `${failure}; the rollback to deployment ${previous.id} failed too (${errorText(error)}): the service may be down. ${where}`,
      deploymentId,
      undefined,
    );
  }
  log(`rolled back to deployment ${previous.id}`);
  throw new DeployFailedError(`${failure}; rolled back to deployment ${previous.id}. ${where}`, deploymentId, previous.id);
}
