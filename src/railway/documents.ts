/**
 * Every GraphQL document the deploy client sends to Railway, and what each
 * deployment status means for one deploy. A test validates each document
 * against Railway's published schema (test/fixtures/railway-schema.json).
 * The evidence behind each choice is in docs/railway.md.
 */
import { z } from "zod";

export const documents = {
  /** The deployments of the service in the environment, newest first: the rollback target and the ids that existed before this deploy. */
  recentDeployments: /* GraphQL */ `
    query RecentDeployments($input: DeploymentListInput!, $first: Int) {
      deployments(input: $input, first: $first) {
        edges {
          node {
            id
            status
            canRollback
            createdAt
          }
        }
      }
    }
  `,
  /** Sets the service's variables without starting a deploy of its own. */
  upsertVariables: /* GraphQL */ `
    mutation UpsertVariables($input: VariableCollectionUpsertInput!) {
      variableCollectionUpsert(input: $input)
    }
  `,
  /**
   * Points the service at the image (by digest) with its health check, restart
   * policy and pre-deploy command. Changes settings only: it starts no
   * deployment (Railway's CLI follows it with `serviceInstanceDeployV2`).
   */
  updateServiceInstance: /* GraphQL */ `
    mutation UpdateServiceInstance($serviceId: String!, $environmentId: String, $input: ServiceInstanceUpdateInput!) {
      serviceInstanceUpdate(serviceId: $serviceId, environmentId: $environmentId, input: $input)
    }
  `,
  /** What the service instance runs: the image Railway stored, and the deployments serving now. */
  serviceInstance: /* GraphQL */ `
    query ServiceInstance($serviceId: String!, $environmentId: String!) {
      serviceInstance(serviceId: $serviceId, environmentId: $environmentId) {
        source {
          image
        }
        activeDeployments {
          id
          status
        }
      }
    }
  `,
  /** Starts the deploy; returns the new deployment's id. */
  deploy: /* GraphQL */ `
    mutation Deploy($serviceId: String!, $environmentId: String!) {
      serviceInstanceDeployV2(serviceId: $serviceId, environmentId: $environmentId)
    }
  `,
  deploymentStatus: /* GraphQL */ `
    query DeploymentStatus($id: String!) {
      deployment(id: $id) {
        id
        status
        url
        staticUrl
        canRollback
      }
    }
  `,
  rollback: /* GraphQL */ `
    mutation Rollback($id: String!) {
      deploymentRollback(id: $id)
    }
  `,
  /** Stops a deployment still on its way (the schema: "Cancels a deployment."). */
  cancel: /* GraphQL */ `
    mutation Cancel($id: String!) {
      deploymentCancel(id: $id)
    }
  `,
  /** The bake window: the service's requests in a time window, one series per HTTP status code (the schema: "grouped by status code"). */
  httpMetricsByStatus: /* GraphQL */ `
    query HttpMetricsByStatus($serviceId: String!, $environmentId: String!, $startDate: DateTime!, $endDate: DateTime!, $stepSeconds: Int) {
      httpMetricsGroupedByStatus(
        serviceId: $serviceId
        environmentId: $environmentId
        startDate: $startDate
        endDate: $endDate
        stepSeconds: $stepSeconds
      ) {
        statusCode
        samples {
          ts
          value
        }
      }
    }
  `,
  /** The bake window: the service's request durations in a time window, per step (p50 to p99, in ms). */
  httpDurations: /* GraphQL */ `
    query HttpDurations($serviceId: String!, $environmentId: String!, $startDate: DateTime!, $endDate: DateTime!, $stepSeconds: Int) {
      httpDurationMetrics(
        serviceId: $serviceId
        environmentId: $environmentId
        startDate: $startDate
        endDate: $endDate
        stepSeconds: $stepSeconds
      ) {
        samples {
          ts
          p95
        }
      }
    }
  `,
  /** The bake window without the metrics API: one deployment's HTTP logs (status and duration of each request). */
  httpLogs: /* GraphQL */ `
    query HttpLogs($deploymentId: String!, $anchorDate: String, $beforeDate: String, $beforeLimit: Int, $afterLimit: Int) {
      httpLogs(
        deploymentId: $deploymentId
        anchorDate: $anchorDate
        beforeDate: $beforeDate
        beforeLimit: $beforeLimit
        afterLimit: $afterLimit
      ) {
        timestamp
        httpStatus
        totalDuration
      }
    }
  `,
} as const;

export type DocumentName = keyof typeof documents;

/**
 * The data each document selects, nullable where Railway's schema makes it so.
 * A status stays a string: one newer than the published schema must not fail the deploy.
 */
export const responses = {
  recentDeployments: z.object({
    deployments: z.object({
      edges: z.array(z.object({ node: z.object({ id: z.string(), status: z.string(), canRollback: z.boolean() }) })),
    }),
  }),
  upsertVariables: z.object({ variableCollectionUpsert: z.boolean() }),
  updateServiceInstance: z.object({ serviceInstanceUpdate: z.boolean() }),
  serviceInstance: z.object({
    serviceInstance: z.object({
      source: z.object({ image: z.string().nullable() }).nullable(),
      activeDeployments: z.array(z.object({ id: z.string() })),
    }),
  }),
  deploy: z.object({ serviceInstanceDeployV2: z.string() }),
  deploymentStatus: z.object({
    deployment: z.object({ status: z.string(), url: z.string().nullable(), staticUrl: z.string().nullable(), canRollback: z.boolean() }),
  }),
  rollback: z.object({ deploymentRollback: z.boolean() }),
  cancel: z.object({ deploymentCancel: z.boolean() }),
  httpMetricsByStatus: z.object({
    httpMetricsGroupedByStatus: z.array(
      z.object({ statusCode: z.number(), samples: z.array(z.object({ ts: z.number(), value: z.number() })) }),
    ),
  }),
  httpDurations: z.object({ httpDurationMetrics: z.object({ samples: z.array(z.object({ ts: z.number(), p95: z.number() })) }) }),
  httpLogs: z.object({
    httpLogs: z.array(z.object({ timestamp: z.string(), httpStatus: z.number(), totalDuration: z.number() })),
  }),
} satisfies Record<DocumentName, z.ZodType>;

export type ResponseOf<N extends DocumentName> = z.infer<(typeof responses)[N]>;

/**
 * Documents the client may send again after a timeout, a network error or a
 * 5xx, whose outcome it cannot know: queries, and mutations that set a value
 * (sending them twice leaves the same state). Starting a deployment and
 * rolling back each start a deployment, so a blind retry could start two.
 */
export const retrySafe: Readonly<Record<DocumentName, boolean>> = {
  recentDeployments: true,
  upsertVariables: true,
  updateServiceInstance: true,
  serviceInstance: true,
  deploy: false,
  deploymentStatus: true,
  rollback: false,
  // Cancelling twice leaves it cancelled.
  cancel: true,
  httpMetricsByStatus: true,
  httpDurations: true,
  httpLogs: true,
};

/** Railway's `DeploymentStatus` enum, every value of it (the schema's, checked by a test). */
export const deploymentStatuses = [
  "BUILDING",
  "CRASHED",
  "DEPLOYING",
  "FAILED",
  "INITIALIZING",
  "NEEDS_APPROVAL",
  "QUEUED",
  "REMOVED",
  "REMOVING",
  "SKIPPED",
  "SLEEPING",
  "SUCCESS",
  "WAITING",
] as const;
export type DeploymentStatus = (typeof deploymentStatuses)[number];

/**
 * What a status of the deployment this deploy started means for the deploy.
 * Railway's own CLI takes only SUCCESS, FAILED and CRASHED as verdicts
 * (`railway up`); the rest are modelled from Railway's docs.
 */
export type Verdict =
  /** Still on its way: keep waiting (within the deadline). */
  | "pending"
  /** Railway made it active (health check passed); SLEEPING: active, and asleep for lack of traffic. */
  | "active"
  /** Build, pre-deploy command, image pull or health check failed: it never became active. */
  | "failed"
  /** It became active, then crashed. */
  | "crashed"
  /** Removed (or being removed) before a verdict: a newer deployment or a person replaced it. */
  | "superseded"
  /** Railway skipped it: nothing of it runs. */
  | "skipped"
  /** It waits for a person to approve it in Railway. */
  | "approval";

export const verdicts: Readonly<Record<DeploymentStatus, Verdict>> = {
  INITIALIZING: "pending",
  QUEUED: "pending",
  BUILDING: "pending",
  DEPLOYING: "pending",
  SUCCESS: "active",
  SLEEPING: "active",
  FAILED: "failed",
  CRASHED: "crashed",
  REMOVING: "superseded",
  REMOVED: "superseded",
  SKIPPED: "skipped",
  WAITING: "approval",
  NEEDS_APPROVAL: "approval",
};

/** A status newer than the published schema is not yet final: the deploy's deadline still bounds it. */
export const verdictOf = (status: string): Verdict => (verdicts as Partial<Record<string, Verdict>>)[status] ?? "pending";

/** Statuses of an earlier deployment that is serving (or asleep, woken by the next request): a rollback target. */
export const servingStatuses: readonly DeploymentStatus[] = ["SUCCESS", "SLEEPING"];

export const isServing = (status: string): boolean => (servingStatuses as readonly string[]).includes(status);
