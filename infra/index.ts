// The Pulumi entrypoint: load the config (as the spec), the GitHub provider, resolve what ships, declare the pipeline, outputs.
import * as pulumi from "@pulumi/pulumi";
import { installCheapPromiseStacks } from "./promiseStacks";
import { installRpcTraceFilter } from "./rpcTraces";
import { ConfigError, MissingSecretsError, missingSecretCommands, validateStackConfig } from "../src/config";
import {
  approvalGateWarning,
  backendWarning,
  buildPipelineSpec,
  cloneTokenVariable,
  handedOverCommitVariable,
  handedOverRevisionVariable,
  unresolved,
  type PipelineSpec,
} from "../src/pipeline";
import { DeliveryPipeline } from "./deliveryPipeline";
import { githubProvider } from "./githubProvider";
import { cloneToken, readSecrets, secretValue } from "./secrets";
import { resolveShipment } from "./shipment";
import { readStackConfig } from "./stackConfig";
import { userError } from "./userError";

/**
 * Validates the stack's config and builds the spec, or stops the program
 * before it declares anything. A RunError is how a Pulumi program reports a user's mistake: the
 * CLI prints its message alone, without a stack trace around the report.
 */
function validatedSpec(): PipelineSpec {
  try {
    const validation = validateStackConfig(readStackConfig());
    // Missing secrets stop every run before anything is created (the offline plan hands in placeholders as config).
    if (validation.missingSecrets.length > 0) {
      throw new MissingSecretsError(validation.config.stack, missingSecretCommands(validation));
    }
    // A deploy workflow hands over the exact revision it ran for; a local run has none.
    const handedOver = process.env[handedOverRevisionVariable];
    const handedOverSha = process.env[handedOverCommitVariable];
    // The provider's own default when unset: GitHub's API (GitHub Enterprise Server's when set).
    const baseUrl = process.env["GITHUB_BASE_URL"];
    return buildPipelineSpec(
      validation.config,
      handedOver === "" ? undefined : handedOver,
      handedOverSha === "" ? undefined : handedOverSha,
      baseUrl === undefined || baseUrl === "" ? undefined : baseUrl,
    );
  } catch (error) {
    if (error instanceof ConfigError || error instanceof MissingSecretsError) throw userError(error.message, error);
    throw error;
  }
}

/** Shown by `pulumi preview` and `up` (and so in CI logs): warnings, not refusals. */
function warnAbout(spec: PipelineSpec): void {
  // GitHub offers no approval gate on this plan.
  const gate = approvalGateWarning(spec);
  if (gate !== undefined) void pulumi.log.warn(gate);
  // A file:// backend works for this run; the workflows it commits cannot reach it.
  const backend = backendWarning(spec);
  if (backend !== undefined) void pulumi.log.warn(backend);
}

/**
 * Pulumi calls this with no argument. The offline plan passes `showSpec` to
 * read the spec this run declares (for its notes and diagram), so the spec is built once.
 */
export = async (showSpec?: (spec: PipelineSpec) => void): Promise<Record<string, unknown>> => {
  installCheapPromiseStacks();
  installRpcTraceFilter();
  const spec = validatedSpec();
  showSpec?.(spec);
  warnAbout(spec);
  const secrets = readSecrets(spec.secretsRead);
  const provider = githubProvider("delivery-github", spec.repository.owner, secrets.githubToken);

  // What ships decides only the image and the deploy. A preview creates nothing, so it declares the
  // GitHub side while GitHub answers what ships (the engine checks those resources meanwhile); an
  // update learns what ships first, so a refusal (a pre-release, an unverified release) stops it
  // before anything is created or changed.
  const shipment = resolveShipment(spec, provider, secretValue(secrets, "dockerhubToken"));
  if (!pulumi.runtime.isDryRun()) await shipment;

  const pipeline = new DeliveryPipeline("delivery", {
    spec,
    secrets,
    provider,
    shipment,
    // The build clones the app repository; a private one needs a token that can read it.
    gitToken: cloneToken(spec.repository.visibility, secrets, {
      clone: process.env[cloneTokenVariable],
      github: process.env["GITHUB_TOKEN"],
    }),
  });

  const shipped = await pipeline.shipped;
  return {
    environmentName: pipeline.environmentName,
    environmentUrl: pipeline.environmentUrl,
    repository: spec.repository.fullName,
    governsRepository: spec.governance !== undefined,
    revision: shipped.shipment.revision.sha ?? unresolved,
    version: shipped.shipment.revision.version ?? "",
    imageRef: shipped.imageRef,
    imageBuilt: shipped.shipment.existingImage === undefined,
    railwayDeploymentId: shipped.deploymentId,
    railwayUrl: shipped.railwayUrl,
  };
};
