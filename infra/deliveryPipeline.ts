import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import type { SecretKey } from "../src/config";
import type { PipelineSpec, SecretRef } from "../src/pipeline";
import { DeploymentEnvironment } from "./deploymentEnvironment";
import { GeneratedFiles } from "./generatedFiles";
import { RepositoryGovernance } from "./repositoryGovernance";

export interface DeliveryPipelineArgs {
  readonly spec: PipelineSpec;
  /** Every secret the spec references, read with `requireSecret` by the entrypoint. */
  readonly secrets: Readonly<Partial<Record<SecretKey, pulumi.Output<string>>>>;
  /** Token for the GitHub provider; without it the provider reads GITHUB_TOKEN. */
  readonly githubToken?: pulumi.Output<string>;
}

/** The whole pipeline one stack owns. */
export class DeliveryPipeline extends pulumi.ComponentResource {
  public readonly environmentName: pulumi.Output<string>;
  public readonly environmentUrl: string | undefined;

  constructor(name: string, args: DeliveryPipelineArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("delivery:index:DeliveryPipeline", name, {}, opts);
    const spec = args.spec;

    const provider = new github.Provider(
      `${name}-github`,
      {
        owner: spec.repository.owner,
        ...(args.githubToken === undefined ? {} : { token: args.githubToken }),
        // GitHub rejects concurrent writes to one repository (409s on contents, secondary rate limits):
        // one request at a time, with a pause between writes.
        parallelRequests: false,
        writeDelayMs: 1000,
        maxRetries: 3,
        retryableErrors: [500, 502, 503, 504],
      },
      { parent: this },
    );
    const childOpts = { parent: this, providers: [provider] };

    const withValue = (ref: SecretRef): { ref: SecretRef; value: pulumi.Output<string> } => {
      const value = args.secrets[ref.configKey];
      if (value === undefined) throw new Error(`secret ${ref.configKey} was not read by the entrypoint`);
      return { ref, value };
    };

    const declareEnvironment = (env: PipelineSpec["environment"]): DeploymentEnvironment =>
      new DeploymentEnvironment(
        `${name}-${env.name}`,
        {
          repository: spec.repository.name,
          environment: env,
          secrets: spec.secrets.filter((s) => s.environment === env.name).map(withValue),
          variables: spec.variables.filter((v) => v.environment === env.name),
        },
        childOpts,
      );
    const environment = declareEnvironment(spec.environment);
    const preview = declareEnvironment(spec.previewEnvironment);
    this.environmentName = environment.environmentName;
    this.environmentUrl = environment.url;

    let governance: RepositoryGovernance | undefined;
    // The spec gives Actions permissions (and rulesets) only to the governing stack.
    if (spec.actionsPermissions !== undefined) {
      governance = new RepositoryGovernance(
        `${name}-repository`,
        {
          repository: spec.repository.name,
          rulesets: spec.rulesets,
          actionsPermissions: spec.actionsPermissions,
          secrets: spec.secrets.filter((s) => s.scope === "repository").map(withValue),
          variables: spec.variables.filter((v) => v.scope === "repository"),
        },
        childOpts,
      );
    }

    // Files land after the environment and rulesets exist, so the first workflow run finds its secrets.
    new GeneratedFiles(
      `${name}-files`,
      {
        repository: spec.repository.name,
        branch: spec.repository.defaultBranch,
        files: spec.files,
        after: governance === undefined ? [environment, preview] : [environment, preview, governance],
      },
      childOpts,
    );

    this.registerOutputs({ environmentName: this.environmentName, environmentUrl: this.environmentUrl });
  }
}
