import type * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import * as dockerbuild from "@pulumi/docker-build";
import type { SecretKey } from "../src/config";
import { shipsRelease, signedAnnotations, stackEnvironments, unresolved, verifiedTag, type PipelineSpec } from "../src/pipeline";
import { AppImage, registryLogin } from "./appImage";
import { DeploymentEnvironment } from "./deploymentEnvironment";
import { GeneratedFiles } from "./generatedFiles";
import { imageSignature } from "./imageSignature";
import { RailwayDeploy } from "./railwayDeploy";
import { RepositoryGovernance } from "./repositoryGovernance";
import { secretValue, type SecretValues } from "./secrets";
import type { Shipment } from "./shipment";

export interface DeliveryPipelineArgs {
  readonly spec: PipelineSpec;
  /** Every secret the spec reads (`secretsRead`), read with `requireSecret` by the entrypoint. */
  readonly secrets: SecretValues;
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

/** The whole pipeline one stack owns: each child component declares its slice of the spec. */
export class DeliveryPipeline extends pulumi.ComponentResource {
  public readonly environmentName: pulumi.Output<string>;
  public readonly environmentUrl: string | undefined;
  /** Settles when the shipping side is declared; rejects with the shipment's refusal. */
  public readonly shipped: Promise<Shipped>;

  constructor(name: string, args: DeliveryPipelineArgs, opts: pulumi.ComponentResourceOptions = {}) {
    // Rotation dates are the component's own properties: the policy pack's secret-age check reads them here
    // (inputs under the mocks, outputs on the engine: both are given).
    super(
      "delivery:index:DeliveryPipeline",
      name,
      { secretRotatedAt: args.spec.secretAge.rotatedAt, secretMaxAgeDays: args.spec.secretAge.maxAgeDays },
      opts,
    );
    const environment = this.declareGithub(name, args);
    this.environmentName = environment.environmentName;
    this.environmentUrl = environment.url;
    this.shipped = args.shipment.then((shipment) => this.declareShipping(name, args, shipment));
    this.registerOutputs({
      imageRef: pulumi.output(this.shipped.then((s) => s.imageRef)),
      deploymentId: pulumi.output(this.shipped.then((s) => s.deploymentId)),
      environmentName: this.environmentName,
      environmentUrl: this.environmentUrl,
      // Again as outputs: the engine hands a stack policy each component's outputs, not its inputs (found on
      // the real engine: the secret-age check saw nothing there while the mocks, which pass inputs, saw the dates).
      secretRotatedAt: args.spec.secretAge.rotatedAt,
      secretMaxAgeDays: args.spec.secretAge.maxAgeDays,
    });
  }

  /** The GitHub side: the environments, governance when the spec gives it, then the files. Returns the deploy environment. */
  private declareGithub(name: string, args: DeliveryPipelineArgs): DeploymentEnvironment {
    const { spec, secrets } = args;
    const repository = spec.repository.name;
    const childOpts = { parent: this, providers: [args.provider] };
    const declareEnvironment = (environment: PipelineSpec["deployEnvironment"]): DeploymentEnvironment =>
      new DeploymentEnvironment(`${name}-${environment.name}`, { repository, environment, secrets }, childOpts);
    const environment = declareEnvironment(spec.deployEnvironment);
    const readOnly = stackEnvironments(spec).slice(1).map(declareEnvironment);
    const governance =
      spec.governance === undefined
        ? undefined
        : new RepositoryGovernance(`${name}-repository`, { repository, governance: spec.governance, secrets }, childOpts);
    // Files land after the environments and rulesets exist, so the first workflow run finds its secrets.
    new GeneratedFiles(
      `${name}-files`,
      {
        repository,
        branch: spec.repository.defaultBranch,
        files: spec.files,
        after: [environment, ...readOnly, ...(governance === undefined ? [] : [governance])],
      },
      childOpts,
    );
    return environment;
  }

  /** The image, the Railway deploy and the verified tag: what depends on what ships. */
  private declareShipping(name: string, args: DeliveryPipelineArgs, shipment: Shipment): Shipped {
    const { ship } = args.spec;
    const secret = (key: SecretKey): pulumi.Output<string> => secretValue(args.secrets, key);
    const image = new AppImage(
      `${name}-app`,
      {
        stack: args.spec.stack,
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
    // Staging vouches for what passed its health check and its bake: production deploys only digests it signed.
    if (ship.imageSource.kind === "build" && ship.imageSource.markVerified) this.declareVerifiedTag(name, args, shipment, image, deploy);
    return { shipment, imageRef: image.imageRef, deploymentId: deploy.deploymentId, railwayUrl: deploy.url };
  }

  /**
   * Staging vouches for what passed its health check and its bake window: it signs the digest (with the commit it was built from),
   * then tags it verified, the tag production looks it up by. Both only after the deploy succeeded.
   */
  private declareVerifiedTag(name: string, args: DeliveryPipelineArgs, shipment: Shipment, image: AppImage, deploy: RailwayDeploy): void {
    const { image: imageSpec } = args.spec.ship;
    const sha = shipment.revision.sha ?? unresolved;
    const token = secretValue(args.secrets, "dockerhubToken");
    const signature = imageSignature(
      `${name}-image-signature`,
      {
        image: imageSpec,
        imageRef: image.imageRef,
        annotations: signedAnnotations(args.spec.repository.fullName, sha),
        signingKey: secretValue(args.secrets, "imageSigningKey"),
        registryToken: token,
      },
      { parent: this, dependsOn: [deploy] },
    );
    new dockerbuild.Index(
      `${name}-verified-tag`,
      { sources: [image.imageRef], tag: verifiedTag(imageSpec, sha), push: true, registry: registryLogin(imageSpec, token) },
      // The registry keeps the tag when the stack goes.
      { parent: this, dependsOn: [signature], retainOnDelete: true },
    );
  }
}
