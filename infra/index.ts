// The Pulumi entrypoint: read config once, validate it, build the spec, ask GitHub what ships, declare one pipeline.
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, MissingSecretsError, missingSecretCommands, validateStackConfig, type ValidationResult } from "../src/config";
import { buildPipelineSpec, promotion, type StagingShipment } from "../src/pipeline";
import { offlinePlanEnvVar } from "../src/plan/mode";
import { DeliveryPipeline } from "./deliveryPipeline";
import { githubProvider } from "./githubProvider";
import { resolveRevision } from "./revision";
import { readSecrets } from "./secrets";
import { readStackConfig } from "./stackConfig";

/** What production needs of staging's outputs; undefined when staging has not shipped. */
async function stagingShipment(reference: string): Promise<StagingShipment> {
  const staging = new pulumi.StackReference(reference);
  const [revision, imageRef] = await Promise.all([staging.getOutputDetails("revision"), staging.getOutputDetails("imageRef")]);
  return { revision: revision.value, imageRef: imageRef.value };
}

/**
 * A mistake of the user's, reported by the CLI as its message alone. The SDK
 * still formats the stack of every uncaught error with util.inspect, which
 * under ts-node's source maps took 20-40 s here for a RunError whose stack is
 * never shown; an error without a stack is reported at once.
 */
function userError(cause: ConfigError | MissingSecretsError): pulumi.RunError {
  const error = new pulumi.RunError(cause.message, { cause });
  delete error.stack;
  return error;
}

/**
 * Validates the stack's config, or stops the program before it declares
 * anything. A RunError is how a Pulumi program reports a user's mistake: the
 * CLI prints its message alone, without a stack trace around the report.
 */
function validatedConfig(): ValidationResult {
  try {
    const validation = validateStackConfig(readStackConfig());
    // Only the offline plan may go on without secrets; `pulumi up` and `preview` stop before creating anything.
    if (validation.missingSecrets.length > 0 && process.env[offlinePlanEnvVar] !== "1") {
      throw new MissingSecretsError(validation.config.stack, missingSecretCommands(validation));
    }
    return validation;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof MissingSecretsError) throw userError(error);
    throw error;
  }
}

export = async (): Promise<Record<string, unknown>> => {
  const validation = validatedConfig();
  const { config, missingSecrets } = validation;
  const spec = buildPipelineSpec(config);
  const secrets = readSecrets(spec.secretsRead, missingSecrets);

  const provider = githubProvider("delivery-github", spec.repository.owner, secrets.githubToken);
  const revision = await resolveRevision(spec.ship.revisionSource, spec.repository.owner, spec.repository.name, provider);
  const decision = spec.ship.promoteFrom === undefined ? { kind: "build" as const } : promotion(revision, await stagingShipment(spec.ship.promoteFrom));

  const pipeline = new DeliveryPipeline("delivery", {
    spec,
    secrets,
    provider,
    revision,
    promote: decision.kind === "promote" ? decision.imageRef : undefined,
    dryRun: pulumi.runtime.isDryRun(),
    // The build clones the app repository; a private one needs the same token the GitHub provider uses.
    gitToken:
      spec.repository.visibility === "public"
        ? undefined
        : (secrets.githubToken ?? (process.env["GITHUB_TOKEN"] === undefined ? undefined : pulumi.secret(process.env["GITHUB_TOKEN"]))),
  });

  return {
    environmentName: pipeline.environmentName,
    environmentUrl: pipeline.environmentUrl,
    repository: spec.repository.fullName,
    governsRepository: spec.governsRepository,
    revision: revision.sha ?? "unresolved",
    version: revision.version ?? "",
    imageRef: pipeline.imageRef,
    imageBuilt: decision.kind === "build",
    railwayDeploymentId: pipeline.deploymentId,
    railwayUrl: pipeline.deploymentUrl,
  };
};
