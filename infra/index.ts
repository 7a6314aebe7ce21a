// The Pulumi entrypoint: read config once, validate it, build the spec, declare one pipeline.
import { MissingSecretsError, missingSecretCommands, validateStackConfig } from "../src/config";
import { buildPipelineSpec } from "../src/pipeline";
import { offlinePlanEnvVar } from "../src/plan/mode";
import { DeliveryPipeline } from "./deliveryPipeline";
import { readSecrets } from "./secrets";
import { readStackConfig } from "./stackConfig";

const validation = validateStackConfig(readStackConfig());
const { config, missingSecrets } = validation;
// Only the offline plan may go on without secrets; `pulumi up` and `preview` stop before creating anything.
const offlinePlan = process.env[offlinePlanEnvVar] === "1";
if (missingSecrets.length > 0 && !offlinePlan) {
  throw new MissingSecretsError(config.stack, missingSecretCommands(validation));
}
const spec = buildPipelineSpec(config);
const secrets = readSecrets(
  [...spec.secrets.map((s) => s.configKey), ...config.secretsPresent.filter((k) => k === "githubToken")],
  missingSecrets,
);

const pipeline = new DeliveryPipeline("delivery", {
  spec,
  secrets,
  ...(secrets.githubToken === undefined ? {} : { githubToken: secrets.githubToken }),
});

export const environmentName = pipeline.environmentName;
export const environmentUrl = pipeline.environmentUrl;
export const repository = spec.repository.fullName;
export const governsRepository = spec.governsRepository;
