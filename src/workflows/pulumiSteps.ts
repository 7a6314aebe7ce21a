/**
 * What a job that runs `pulumi` (a deploy, a preview, a drift check) does
 * before it: stop when the state backend is out of reach, check out and
 * install the program, write the policy pack's config, mint the App token;
 * and the environment `pulumi` then runs with.
 */
import type { StateBackendKind } from "../config/backend";
import { cloneTokenVariable } from "../shipping";
import { appToken, mintToken, type AppIdentity } from "./identities";
import type { Step } from "./model";
import type { AppWorkflowSettings } from "./settings";
import { buildxSteps, checkout, run } from "./steps";

/**
 * The Pulumi CLI every generated job runs, by exact version (pulumi/actions
 * would otherwise take the newest): the version the engine suite is verified
 * against, and the one @pulumi/pulumi in the lock file is.
 */
export const engineCliVersion = "3.248.0";

/** The policy pack, relative to the program folder (`work-dir`): every preview and deploy runs it. */
export const policyPackPath = "infra/policy";

/** The Actions variable each stack publishes its policy pack config in (src/policies/packConfig.ts; no secret). */
export const policyPackConfigVariable = "POLICY_PACK_CONFIG";
/** Where a job writes that config for `--policy-pack-config` (pulumi/actions' `policyPackConfigs`): outside the checkout. */
export const policyPackConfigFile = "${{ runner.temp }}/policy-pack-config.json";

/**
 * Writes the stack's policy pack config to a file. It comes from the
 * environment the job runs in (each stack's own settings, also in the preview
 * matrix the governing stack generates), through `env:`, never inside the
 * script. An environment without it (this program's own CI, whose
 * environments a person sets up) gets `{}`: the policies then judge what needs
 * no setting.
 */
export function writePolicyPackConfig(): Step {
  return run(
    "Write the policy pack's config for this stack",
    [
      'if [ -z "$POLICY_PACK_CONFIG" ]; then POLICY_PACK_CONFIG="{}"; fi',
      'printf \'%s\\n\' "$POLICY_PACK_CONFIG" > "$RUNNER_TEMP/policy-pack-config.json"',
    ].join("\n"),
    { POLICY_PACK_CONFIG: `\${{ vars.${policyPackConfigVariable} }}` },
  );
}

/**
 * The state backend's credentials, under the names Pulumi reads: a Pulumi
 * Cloud token; AWS keys (the region is in the URL); a Google service
 * account's JSON key (GOOGLE_CREDENTIALS, the key itself, since a runner has
 * no key file); an Azure storage account key (the account is in the URL).
 */
const backendCredentials: Readonly<Record<StateBackendKind, readonly string[]>> = {
  "pulumi-cloud": ["PULUMI_ACCESS_TOKEN"],
  s3: ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"],
  gs: ["GOOGLE_CREDENTIALS"],
  azblob: ["AZURE_STORAGE_KEY"],
  file: [],
};

/** What a job that runs `pulumi` needs in its environment, by name only (`buildsImage`: with the clone token). */
export function pulumiEnv(s: AppWorkflowSettings, buildsImage = false): Record<string, string> {
  return {
    PULUMI_BACKEND_URL: "${{ vars.PULUMI_BACKEND_URL }}",
    PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}",
    ...Object.fromEntries(backendCredentials[s.stateBackend].map((name) => [name, `\${{ secrets.${name} }}`])),
    GITHUB_TOKEN: "${{ steps.app-token.outputs.token }}",
    ...(buildsImage && s.privateRepository ? { [cloneTokenVariable]: "${{ steps.clone-token.outputs.token }}" } : {}),
  };
}

/**
 * A `file://` backend is a folder on the machine that ran `pulumi up`. A runner
 * would find an empty folder there and fail later with "no stack named ...";
 * the job stops first and says why, and what to do.
 */
export function backendReachable(s: AppWorkflowSettings): Step[] {
  if (s.stateBackend !== "file") return [];
  return [
    run(
      "Stop: the state backend is a local folder",
      [
        'echo "::error::stateBackendUrl is a file:// folder on the machine that ran pulumi up; this runner cannot reach it.' +
          " Move both stacks to an s3://, gs://, azblob:// or Pulumi Cloud backend (README: Before you start, state backend)," +
          ' then pulumi config set stateBackendUrl <url> for each stack and pulumi up."',
        "exit 1",
      ].join("\n"),
    ),
  ];
}

/** How a job that runs `pulumi` gets the program. */
export interface ProgramSetupOptions {
  /**
   * Restore no npm cache and install no dev dependencies: every job that holds
   * a stack's deploy credentials or plans what they apply (default: the delivery App's jobs).
   */
  readonly clean?: boolean;
  /** The program repository's commit to check out instead of `program.ref` (the deploy job: the one its plan was made from). */
  readonly programRef?: string;
}

/**
 * Check out the program and install it. In its own repository it is checked
 * out with a token of its own that can only read that repository; no other
 * token exists yet, so `npm ci` never runs beside one.
 */
export function programSetup(s: AppWorkflowSettings, identity: AppIdentity, options: ProgramSetupOptions = {}): Step[] {
  const own = s.program.repository;
  const clean = options.clean ?? identity === "delivery";
  return [
    ...(own === undefined
      ? [checkout()]
      : [
          mintToken(identity, "program-token", own, { "permission-contents": "read" }, `${own}, to check out the program`),
          checkout({
            repository: own,
            ref: options.programRef ?? s.program.ref,
            path: s.program.path,
            token: "${{ steps.program-token.outputs.token }}",
          }),
        ]),
    {
      name: "Set up Node.js",
      action: "actions/setup-node",
      // A deploy (or its plan) restores no cache: an entry another workflow on the branch saved could feed `pulumi up` poisoned
      // modules. Omitting `cache` is not enough: since v5, setup-node caches npm by itself when package.json's
      // `packageManager` names it, unless `package-manager-cache: false`.
      with: clean
        ? { "node-version": "20", "package-manager-cache": false }
        : { "node-version": "20", cache: "npm", "cache-dependency-path": `${s.program.path}/package-lock.json` },
    },
    // A deploy installs neither dev dependencies nor install scripts: the job is about to hold every credential of the
    // stack, and a package's install script could plant something in $GITHUB_ENV or node_modules for the pulumi step.
    // The engine fetches the plugins the lock file's packages name, by version, when it first needs them.
    {
      name: "Install the delivery program",
      run: clean ? "npm ci --omit=dev --ignore-scripts" : "npm ci --ignore-scripts",
      workingDirectory: s.program.path,
    },
  ];
}

/**
 * Every step before `pulumi` itself, in order. The App token is minted last,
 * after `npm ci`, so no install script ever runs beside it. `buildsImage`:
 * whether this `pulumi` run may build the image, and so needs QEMU and Buildx.
 */
export function beforePulumi(
  s: AppWorkflowSettings,
  identity: AppIdentity,
  buildsImage: boolean,
  options: ProgramSetupOptions & { readonly first?: readonly Step[] } = {},
): Step[] {
  return [
    ...backendReachable(s),
    // Steps that need neither the program nor a token (the deploy's fetch of its approved plan) fail before either exists.
    ...(options.first ?? []),
    ...programSetup(s, identity, options),
    ...(buildsImage ? buildxSteps(s.image.platforms) : []),
    writePolicyPackConfig(),
    appToken(s, identity),
    ...(buildsImage && s.privateRepository ? [cloneTokenStep(s, identity)] : []),
  ];
}

/** A second token for the image build's clone of the app repository: contents, read only. */
export function cloneTokenStep(s: AppWorkflowSettings, identity: AppIdentity): Step {
  return mintToken(
    identity,
    "clone-token",
    s.repository,
    { "permission-contents": "read" },
    `${s.repository}, read-only, for the image build's clone`,
  );
}
