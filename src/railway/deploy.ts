/**
 * One deploy of an image to a Railway service: variables, image by digest,
 * deploy, wait, prove health, and on any failure put the previous successful
 * deployment back and fail with what happened and where to look.
 */
import { RailwayClient, RailwayError } from "./client";
import { terminalStatuses, type DeploymentStatus } from "./documents";

export interface DeployOptions {
  readonly projectId: string;
  readonly environmentId: string;
  readonly serviceId: string;
  /** `docker.io/<repo>@sha256:<digest>`: never a mutable tag. */
  readonly image: string;
  readonly healthcheckPath: string;
  readonly healthcheckTimeoutSeconds: number;
  /** The public URL probed after Railway reports SUCCESS. */
  readonly healthUrl: string;
  /** The service's variables (the app's API keys); set without triggering deploys. */
  readonly variables: Readonly<Record<string, string>>;
  /** Credentials Railway pulls a private image with. */
  readonly registryCredentials?: { readonly username: string; readonly password: string };
  /** Runs before anything changes; its failure stops the deploy. */
  readonly preDeploy?: () => Promise<void>;
}

export interface DeployTiming {
  /** Total time to wait for a terminal deployment status. */
  readonly deployTimeoutMs: number;
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

/** A failed deploy, after the rollback was attempted. */
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

const isImageByDigest = (image: string): boolean => /@sha256:[0-9a-f]{64}$/.test(image);

async function previousSuccessful(client: RailwayClient, o: DeployOptions): Promise<DeploymentNode | undefined> {
  const data = await client.request<{ deployments: { edges: { node: DeploymentNode }[] } }>("recentDeployments", {
    input: { projectId: o.projectId, environmentId: o.environmentId, serviceId: o.serviceId },
    first: 20,
  });
  return data.deployments.edges.map((e) => e.node).find((d) => d.status === "SUCCESS");
}

async function waitForTerminal(client: RailwayClient, id: string, t: DeployTiming): Promise<{ status: DeploymentStatus; url: string | undefined }> {
  const deadline = t.now() + t.deployTimeoutMs;
  let wait = t.pollStartMs;
  for (;;) {
    const { deployment } = await client.request<{ deployment: { status: DeploymentStatus; url: string | null; staticUrl: string | null } }>("deploymentStatus", { id });
    if (terminalStatuses.includes(deployment.status)) return { status: deployment.status, url: deployment.staticUrl ?? deployment.url ?? undefined };
    if (t.now() + wait > deadline) throw new RailwayError(`deployment ${id} was still ${deployment.status} after ${Math.round(t.deployTimeoutMs / 1000)} s`);
    await t.sleep(wait);
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

export async function deploy(client: RailwayClient, o: DeployOptions, t: DeployTiming, log: (line: string) => void): Promise<DeployResult> {
  if (!isImageByDigest(o.image)) {
    throw new DeployFailedError(`refusing to deploy ${o.image}: Railway deploys by digest (<repository>@sha256:<64 hex>), never by a mutable tag`, undefined, undefined);
  }
  if (o.preDeploy !== undefined) {
    log("pre-deploy command: running");
    try {
      await o.preDeploy();
    } catch (error) {
      throw new DeployFailedError(`pre-deploy command failed, nothing was deployed: ${error instanceof Error ? error.message : String(error)}`, undefined, undefined);
    }
  }

  const previous = await previousSuccessful(client, o);
  log(previous === undefined ? "no earlier successful deployment: nothing to roll back to" : `rollback target: deployment ${previous.id}`);

  await client.request("upsertVariables", {
    input: { projectId: o.projectId, environmentId: o.environmentId, serviceId: o.serviceId, variables: o.variables, skipDeploys: true },
  });
  log(`variables: ${Object.keys(o.variables).sort().join(", ")} set (values not shown)`);
  await client.request("updateServiceInstance", {
    serviceId: o.serviceId,
    environmentId: o.environmentId,
    input: {
      source: { image: o.image },
      healthcheckPath: o.healthcheckPath,
      healthcheckTimeout: o.healthcheckTimeoutSeconds,
      restartPolicyType: "ON_FAILURE",
      restartPolicyMaxRetries: 3,
      ...(o.registryCredentials === undefined ? {} : { registryCredentials: o.registryCredentials }),
    },
  });
  log(`service image: ${o.image}`);
  const { serviceInstanceDeployV2: deploymentId } = await client.request<{ serviceInstanceDeployV2: string }>("deploy", {
    serviceId: o.serviceId,
    environmentId: o.environmentId,
  });
  log(`deployment ${deploymentId}: started`);

  let failure: string | undefined;
  let url: string | undefined;
  try {
    const outcome = await waitForTerminal(client, deploymentId, t);
    url = outcome.url;
    log(`deployment ${deploymentId}: ${outcome.status}`);
    if (outcome.status !== "SUCCESS") failure = `deployment ${deploymentId} ended ${outcome.status}`;
    else failure = await probeHealth(o.healthUrl, t);
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  }
  if (failure === undefined) return { deploymentId, url: url === undefined ? o.healthUrl : `https://${url.replace(/^https?:\/\//, "")}` };

  const where = `Railway logs: https://railway.com/project/${o.projectId}/service/${o.serviceId}?environmentId=${o.environmentId}`;
  if (previous === undefined) {
    throw new DeployFailedError(`${failure}; there is no earlier successful deployment to roll back to. ${where}`, deploymentId, undefined);
  }
  if (!previous.canRollback) {
    throw new DeployFailedError(`${failure}; deployment ${previous.id} cannot be rolled back to (Railway says canRollback: false). ${where}`, deploymentId, undefined);
  }
  try {
    await client.request("rollback", { id: previous.id });
  } catch (error) {
    // One attempt (with the client's own retries), never a loop: a person must look now.
    throw new DeployFailedError(
      `${failure}; the rollback to deployment ${previous.id} failed too (${error instanceof Error ? error.message : String(error)}): the service may be down. ${where}`,
      deploymentId,
      undefined,
    );
  }
  log(`rolled back to deployment ${previous.id}`);
  throw new DeployFailedError(`${failure}; rolled back to deployment ${previous.id}. ${where}`, deploymentId, previous.id);
}
