import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import type { DeploySpec } from "../src/pipeline";
import { tokenVariable } from "../src/railway/client";
import { variablesHash } from "../src/railway/variablesHash";

export interface RailwayDeployArgs {
  readonly deploy: DeploySpec;
  /** `docker.io/<repo>@sha256:...`: the only thing Railway is told to run. */
  readonly imageRef: pulumi.Output<string>;
  readonly railwayToken: pulumi.Output<string>;
  /** Service variables by name, each a Pulumi secret. */
  readonly variables: Readonly<Record<string, pulumi.Output<string>>>;
  /**
   * Read-only credentials Railway pulls a private image with; undefined for a
   * public image (then none are sent: Railway accepts them on the Pro plan only).
   */
  readonly registryCredentials: { readonly username: string; readonly password: pulumi.Output<string> } | undefined;
}

/** The command `pulumi up` runs; every input it needs is in its environment. */
export const deployCommand = "npx --no-install tsx src/railway/deployCli.ts";

/**
 * Deploys the image to the Railway service, proves it healthy, and rolls back
 * on failure (src/railway/). Runs again only when the digest or a variable
 * changes; deleting it leaves the Railway service running.
 */
export class RailwayDeploy extends pulumi.ComponentResource {
  public readonly deploymentId: pulumi.Output<string>;
  public readonly url: pulumi.Output<string>;

  constructor(name: string, args: RailwayDeployArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("delivery:railway:RailwayDeploy", name, {}, opts);
    const d = args.deploy;
    const variables = pulumi.all(args.variables);
    const deploy = new command.local.Command(
      `${name}-deploy`,
      {
        // Runs in the project folder, where Pulumi runs the program. No `dir`: an absolute path
        // differs between machines, and any input change reruns the deploy.
        create: deployCommand,
        environment: {
          // The name Railway's own tools read for this kind of token: RAILWAY_API_TOKEN (account or workspace), RAILWAY_TOKEN (project).
          [tokenVariable[d.tokenKind]]: args.railwayToken,
          RAILWAY_PROJECT_ID: d.projectId,
          RAILWAY_ENVIRONMENT_ID: d.environmentId,
          RAILWAY_SERVICE_ID: d.serviceId,
          DEPLOY_IMAGE: args.imageRef,
          HEALTHCHECK_PATH: d.healthCheckPath,
          HEALTHCHECK_TIMEOUT_SECONDS: String(d.healthCheckTimeoutSeconds),
          HEALTH_URL: d.healthUrl,
          HEALTH_SUCCESSES: String(d.healthCheckSuccesses),
          // The bake window after go-live: what it watches and when it rolls back (docs/railway.md §13).
          BAKE_SECONDS: String(d.bake.seconds),
          BAKE_MAX_ERROR_RATE_INCREASE: String(d.bake.maxErrorRateIncrease),
          BAKE_MAX_LATENCY_RATIO: String(d.bake.maxLatencyRatio),
          BAKE_MIN_REQUESTS: String(d.bake.minRequests),
          BAKE_INCONCLUSIVE: d.bake.inconclusive,
          SERVICE_VARIABLES: pulumi.secret(variables.apply((v) => JSON.stringify(v))),
          ...(args.registryCredentials === undefined
            ? {}
            : { REGISTRY_USERNAME: args.registryCredentials.username, REGISTRY_PASSWORD: args.registryCredentials.password }),
          // Railway's own pre-deploy command (runs in Railway, in the service's network); unset clears it there.
          ...(d.preDeployCommand === undefined ? {} : { PRE_DEPLOY_COMMAND: d.preDeployCommand }),
        },
        // Progress and errors (redacted by the client) are logged; stdout is the JSON result, kept out of the logs.
        logging: command.types.enums.local.Logging.Stderr,
        // Computed from secrets, the hash stays a secret.
        triggers: [args.imageRef, pulumi.secret(variables.apply(variablesHash))],
        // No `delete`: removing this resource must not take the service down.
      },
      { parent: this },
    );
    // Empty until the command has run (and in mock runs, where nothing runs).
    const result = deploy.stdout.apply((out: string | undefined) =>
      out === undefined || out === "" ? {} : (JSON.parse(out) as { deploymentId?: string; url?: string }),
    );
    this.deploymentId = result.apply((r) => r.deploymentId ?? "");
    this.url = result.apply((r) => r.url ?? "");
    this.registerOutputs({ deploymentId: this.deploymentId, url: this.url });
  }
}
