import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import type { SecretKey } from "../src/config";
import * as dockerbuild from "@pulumi/docker-build";
import { shipsRelease, unresolved, verifiedTag, type PipelineSpec, type SecretRef } from "../src/pipeline";
import { AppImage, registryLogin } from "./appImage";
import { DeploymentEnvironment } from "./deploymentEnvironment";
import { GeneratedFiles } from "./generatedFiles";
import { RailwayDeploy } from "./railwayDeploy";
import { RepositoryGovernance } from "./repositoryGovernance";
import type { Shipment } from "./shipment";

export interface DeliveryPipelineArgs {
  readonly spec: PipelineSpec;
  /** Every secret the spec references, read with `requireSecret` by the entrypoint. */
  readonly secrets: Readonly<Partial<Record<SecretKey, pulumi.Output<string>>>>;
  /** The GitHub provider every GitHub resource uses (the entrypoint also asks it for the revision). */
  readonly provider: github.Provider;
  /**
   * What this update ships: the revision, and the image when it is not built here. Only the image,
   * the deploy and the verified tag wait for it; the GitHub side is declared at once.
   */
  readonly shipment: Promise<Shipment>;
  /** Token for cloning a private app repository in the image build. */
  readonly gitToken: pulumi.Output<string> | undefined;
}

/** What the pipeline shipped, once what ships is known and its resources are declared. */
export interface Shipped {
  readonly shipment: Shipment;
  readonly imageRef: pulumi.Output<string>;
  readonly deploymentId: pulumi.Output<string>;
  readonly railwayUrl: pulumi.Output<string>;
}

/** The whole pipeline one stack owns. */
export class DeliveryPipeline extends pulumi.ComponentResource {
  public readonly environmentName: pulumi.Output<string>;
  public readonly environmentUrl: string | undefined;
  /** Settles when the shipping side is declared; rejects with the shipment's refusal. */
  public readonly shipped: Promise<Shipped>;

  constructor(name: string, args: DeliveryPipelineArgs, opts: pulumi.ComponentResourceOptions = {}) {
    // Rotation dates are the component's own properties: the policy pack's secret-age check reads them here.
    super(
      "delivery:index:DeliveryPipeline",
      name,
      { secretRotatedAt: args.spec.secretAge.rotatedAt, secretMaxAgeDays: args.spec.secretAge.maxAgeDays },
      opts,
    );
    const spec = args.spec;

    const childOpts = { parent: this, providers: [args.provider] };

    const secret = (key: SecretKey): pulumi.Output<string> => {
      const value = args.secrets[key];
      if (value === undefined) throw new Error(`secret ${key} was not read by the entrypoint`);
      return value;
    };
    const withValue = (ref: SecretRef): { ref: SecretRef; value: pulumi.Output<string> } => ({ ref, value: secret(ref.configKey) });

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

    this.shipped = args.shipment.then((shipment) => this.declareShipping(name, args, shipment, secret));
    this.registerOutputs({
      imageRef: pulumi.output(this.shipped.then((s) => s.imageRef)),
      deploymentId: pulumi.output(this.shipped.then((s) => s.deploymentId)),
      environmentName: this.environmentName,
      environmentUrl: this.environmentUrl,
    });
  }

  /** The image, the Railway deploy and the verified tag: what depends on what ships. */
  private declareShipping(
    name: string,
    args: DeliveryPipelineArgs,
    shipment: Shipment,
    secret: (key: SecretKey) => pulumi.Output<string>,
  ): Shipped {
    const ship = args.spec.ship;
    const image = new AppImage(
      `${name}-app`,
      {
        image: ship.image,
        revision: shipment.revision,
        registryToken: secret("dockerhubToken"),
        existing: shipment.existingImage,
        release: shipsRelease(ship.revisionSource),
        gitToken: args.gitToken,
      },
      { parent: this },
    );
    const deploy = new RailwayDeploy(
      `${name}-railway`,
      {
        deploy: ship.deploy,
        imageRef: image.imageRef,
        railwayToken: secret("railwayToken"),
        variables: Object.fromEntries(ship.deploy.variables.map((v) => [v.name, secret(v.configKey)])),
        // Only a private image gets credentials, and only the read-only pull token: the push token never reaches Railway.
        // Validation requires the pull token with privateImageRepository.
        registryCredentials: ship.deploy.privateImage
          ? { username: ship.image.username, password: secret("dockerhubPullToken") }
          : undefined,
      },
      { parent: this },
    );

    // Staging vouches for what passed its health check: production deploys only digests tagged so.
    if (ship.imageSource.kind === "build" && ship.imageSource.markVerified) {
      new dockerbuild.Index(
        `${name}-verified-tag`,
        {
          sources: [image.imageRef],
          tag: verifiedTag(ship.image, shipment.revision.sha ?? unresolved),
          push: true,
          registry: registryLogin(ship.image, secret("dockerhubToken")),
        },
        // Only after the deploy (and its health check) succeeded; the registry keeps the tag when the stack goes.
        { parent: this, dependsOn: [deploy], retainOnDelete: true },
      );
    }
    return { shipment, imageRef: image.imageRef, deploymentId: deploy.deploymentId, railwayUrl: deploy.url };
  }
}
