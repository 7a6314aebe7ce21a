/**
 * Every GraphQL document the deploy client sends to Railway. A test validates
 * each against Railway's published schema (test/fixtures/railway-schema.json).
 */

export const documents = {
  /** The deployments of the service in the environment, newest first: finds what to roll back to. */
  recentDeployments: /* GraphQL */ `
    query RecentDeployments($input: DeploymentListInput!, $first: Int) {
      deployments(input: $input, first: $first) {
        edges { node { id status canRollback createdAt } }
      }
    }`,
  /** Sets the service's variables without starting a deploy of its own. */
  upsertVariables: /* GraphQL */ `
    mutation UpsertVariables($input: VariableCollectionUpsertInput!) {
      variableCollectionUpsert(input: $input)
    }`,
  /** Points the service at the image (by digest) with its health check and restart policy. */
  updateServiceInstance: /* GraphQL */ `
    mutation UpdateServiceInstance($serviceId: String!, $environmentId: String, $input: ServiceInstanceUpdateInput!) {
      serviceInstanceUpdate(serviceId: $serviceId, environmentId: $environmentId, input: $input)
    }`,
  /** Starts the deploy; returns the new deployment's id. */
  deploy: /* GraphQL */ `
    mutation Deploy($serviceId: String!, $environmentId: String!) {
      serviceInstanceDeployV2(serviceId: $serviceId, environmentId: $environmentId)
    }`,
  deploymentStatus: /* GraphQL */ `
    query DeploymentStatus($id: String!) {
      deployment(id: $id) { id status url staticUrl }
    }`,
  rollback: /* GraphQL */ `
    mutation Rollback($id: String!) {
      deploymentRollback(id: $id)
    }`,
} as const;

export type DocumentName = keyof typeof documents;

export type DeploymentStatus =
  | "BUILDING"
  | "CRASHED"
  | "DEPLOYING"
  | "FAILED"
  | "INITIALIZING"
  | "NEEDS_APPROVAL"
  | "QUEUED"
  | "REMOVED"
  | "REMOVING"
  | "SKIPPED"
  | "SLEEPING"
  | "SUCCESS"
  | "WAITING";

/** Statuses a deployment does not leave by itself. */
export const terminalStatuses: readonly DeploymentStatus[] = ["SUCCESS", "FAILED", "CRASHED", "REMOVED", "SKIPPED", "SLEEPING"];
