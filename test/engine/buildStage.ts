/**
 * What a `pulumi up` that really builds needs around it, offline: the container kit (a private dockerd,
 * the CNCF registry with TLS and basic auth, BuildKit), the fixture app's git repository (its older
 * release, then the release at main's head), the GitHub stand-in serving that git to the clone token only,
 * Railway's stand-in running each deployment as a real container, and a workspace with both stacks
 * initialised: the kit's registry, a short bake, the tests' signing public key, and every secret each
 * stack's offline plan lists. Shared by test/engine/up.engine.test.ts and the bench's staging `up`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SecretKey } from "../../src/config";
import { RegistryClient } from "../../src/signing/registryClient";
import { FakeRailway } from "../railway/fakeRailway";
import { fixtureSigningPublicKey } from "../helpers/stacks";
import { kitEnv, setupKit, startKit, stopKit, type KitState } from "../kit/kit";
import { AppRepository } from "./appRepository";
import { ContainerRuntime } from "./containerRuntime";
import { olderReleaseTag, releaseTag, stackConfigs, unsignedSha, unsignedTag } from "./fixture";
import { GitHubStateStandIn } from "./githubState";
import { stateFixtureFromStacks } from "./githubStateFixture";
import { EngineWorkspace, type RunResult } from "./workspace";

export interface BuildStageOptions {
  /** The value each secret is set to (the push token must be the kit registry's password). */
  readonly secretValue: (key: SecretKey, kit: KitState) => string;
  /** The only token the app repository's git lets a build clone with (the deploy workflow's read-only clone token). */
  readonly cloneToken: string;
  /** The Railway tokens the stand-in accepts (the one set, and any a test rotates to). */
  readonly railwayTokens: readonly string[];
  /** Files on main and develop before the stacks take them over. */
  readonly files?: Readonly<Record<string, string>>;
  /** Sees every setup command's result (a test asserts on it; the bench throws). */
  readonly check: (result: RunResult, what: string) => void;
}

export interface BuildStage {
  readonly kit: KitState;
  readonly app: AppRepository;
  readonly github: GitHubStateStandIn;
  readonly runtime: ContainerRuntime;
  readonly railway: FakeRailway;
  readonly ws: EngineWorkspace;
  /** This process's client of the kit registry's app repository (tags, signatures). */
  readonly registry: RegistryClient;
  /** The app's commits: the older release, and the release (main's head at the start). */
  readonly commits: { readonly older: string; readonly release: string };
  /** A commit of the app pushed to main (a merged pull request): in its git, and as GitHub's head of main. */
  readonly pushAppCommit: (message: string, files: Readonly<Record<string, string>>) => string;
  /** Stops every stand-in, the containers and the kit, and removes what they kept. */
  readonly stop: () => Promise<void>;
}

export async function startBuildStage(options: BuildStageOptions): Promise<BuildStage> {
  const [staging, production] = stackConfigs();
  if (staging === undefined || production === undefined) throw new Error("no stacks");
  const repository = staging.dockerhubRepository;
  setupKit();
  const runDir = mkdtempSync(join(tmpdir(), "delivery-up-kit-"));
  // overlay2: the same real daemon, without vfs copying every layer of every pull in full.
  const kit = startKit(runDir, { env: { KIT_DOCKER_STORAGE_DRIVER: "overlay2", KIT_REGISTRY_USER: staging.dockerhubUsername } });
  // This process reads the registry too (tags, signatures), trusting the run's certificate as the engine's processes do.
  process.env["SSL_CERT_FILE"] = kit.caBundle;
  const registry = new RegistryClient({ host: kit.registry, repository }, { username: kit.registryUser, password: kit.registryPassword });
  const app = AppRepository.create(mkdtempSync(join(tmpdir(), "delivery-app-")), staging.repository.split("/")[1] ?? "app", kit.baseImage);
  const older = app.head;
  const release = app.commit("Release 1.4.2", { "app/release.txt": "1.4.2\n" });
  const files = options.files ?? {};
  const github = await new GitHubStateStandIn(
    stateFixtureFromStacks(undefined, {
      branches: { [staging.defaultBranch]: release, [staging.developBranch]: release },
      files: { main: files, develop: files },
      releases: [
        { tag: "v1.5.0-rc.1", sha: release, prerelease: true },
        { tag: releaseTag, sha: release, annotated: true },
        { tag: olderReleaseTag, sha: older },
        { tag: unsignedTag, sha: unsignedSha },
      ],
      // The repository is private: a clone must bring the read-only clone token.
      git: { root: app.root, token: options.cloneToken },
    }),
  ).start();
  const runtime = new ContainerRuntime(kitEnv(kit), { username: kit.registryUser, password: kit.registryPassword });
  // On the wall clock: the bake reads the service's traffic by real time windows.
  const railway = await new FakeRailway({
    runtime,
    clock: Date.now,
    tokens: { account: [...options.railwayTokens] },
  }).start();
  const { PATH: _path, ...kitVariables } = kitEnv(kit);
  const ws = EngineWorkspace.create(github.baseUrl, {
    ...kitVariables,
    // What the deploy workflow hands the program for the image build's clone.
    DELIVERY_CLONE_TOKEN: options.cloneToken,
    RAILWAY_API_URL: `${railway.url}/graphql/v2`,
    NODE_OPTIONS: `--require ${join(__dirname, "railwayEdge.cjs")}`,
    DELIVERY_TEST_EDGE_HOSTS: [staging.railwayDomain, production.railwayDomain].join(","),
    DELIVERY_TEST_EDGE_URL: railway.url,
    DEPLOY_POLL_START_MS: "200",
    DEPLOY_POLL_MAX_MS: "500",
    HEALTH_ATTEMPTS: "3",
    HEALTH_INTERVAL_MS: "200",
    BAKE_INTERVAL_MS: "500",
  });
  await initStacks(ws, kit, options);
  return {
    kit,
    app,
    github,
    runtime,
    railway,
    ws,
    registry,
    commits: { older, release },
    pushAppCommit: (message, changed) => {
      const sha = app.commit(message, changed);
      github.pushCommit("main", sha, message);
      return sha;
    },
    stop: async () => {
      await railway.settled();
      await runtime.stop();
      await railway.stop();
      await github.stop();
      ws.remove();
      stopKit(runDir);
      rmSync(runDir, { recursive: true, force: true });
      delete process.env["SSL_CERT_FILE"];
    },
  };
}

/** Both stacks: the kit's registry, a short bake, the signing public key, then every secret each one's offline plan lists. */
async function initStacks(ws: EngineWorkspace, kit: KitState, options: BuildStageOptions): Promise<void> {
  const run = async (args: readonly string[], input?: string): Promise<void> => {
    options.check(await ws.pulumi(args, input === undefined ? {} : { input }), `pulumi ${args.join(" ")}`);
  };
  for (const stack of ["staging", "production"] as const) {
    await run(["stack", "init", stack, "--secrets-provider", "passphrase"]);
    for (const [key, value] of [
      ["buildImageOnPreview", "false"],
      ["registry", kit.registry],
      // Every deploy bakes, briefly: a quiet service is inconclusive, which passes; a test with traffic sets its own.
      ["bakeSeconds", "2"],
      ["bakeMinRequests", "5"],
    ] as const)
      await run(["config", "set", key, value, "--stack", stack]);
    await run(["config", "set", "imageSigningPublicKey", "--stack", stack], fixtureSigningPublicKey);
  }
  // Both stacks hold the tests' public key before either is checked: the stacks must agree on it.
  for (const stack of ["staging", "production"] as const) {
    const plan = await ws.run(join(ws.dir, "node_modules", ".bin", "tsx"), [
      "tools/cli/plan.ts",
      "--stack",
      stack,
      "--out",
      join(ws.dir, "plan-out", stack),
    ]);
    options.check(plan, `the offline plan of ${stack}`);
    const listed = [...plan.stdout.matchAll(new RegExp(`pulumi config set --secret (\\w+) --stack ${stack}`, "g"))].map(
      (m) => m[1] as SecretKey,
    );
    for (const key of new Set([...listed, "githubToken" as const]))
      await run(["config", "set", "--secret", key, "--stack", stack], options.secretValue(key, kit));
  }
}
