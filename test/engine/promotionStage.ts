/**
 * What a production `pulumi up` that promotes needs around it, offline: the GitHub stand-in, a registry
 * holding staging's signed verified tags of the release and of the one before it, the Docker ping stand-in, the Railway stand-in (its
 * waits shortened), and a workspace with both stacks initialised, each holding the tests' signing public key
 * (the stacks must agree on it) and the loopback registry, production with every secret its plan lists set
 * to its sentinel (the stand-ins' own credentials). Shared by test/engine/plan.engine.test.ts and the bench.
 */
import { join } from "node:path";
import type { SecretKey } from "../../src/config";
import { FakeRailway } from "../railway/fakeRailway";
import { fixtureSigningPublicKey, sentinel } from "../helpers/stacks";
import { olderReleaseSha, releaseSha, stackConfigs } from "./fixture";
import { GitHubStateStandIn } from "./githubState";
import { stateFixtureFromStacks } from "./githubStateFixture";
import { DockerPingStandIn, RegistryStandIn } from "./registry";
import { signAsStaging } from "./signatures";
import { EngineWorkspace, type RunResult } from "./workspace";

export interface PromotionStage {
  readonly github: GitHubStateStandIn;
  readonly registry: RegistryStandIn;
  readonly railway: FakeRailway;
  readonly ws: EngineWorkspace;
  /** Stops every stand-in and removes the workspace. */
  readonly stop: () => Promise<void>;
}

/** `check` sees every setup command's result (a test asserts on it; the bench throws). */
export async function promotionStage(check: (result: RunResult, what: string) => void): Promise<PromotionStage> {
  const [staging, production] = stackConfigs();
  if (staging === undefined || production === undefined) throw new Error("no stacks");
  const github = await new GitHubStateStandIn(stateFixtureFromStacks()).start();
  const login = { username: staging.dockerhubUsername, password: sentinel("dockerhubToken") };
  // The release and the one before it (a rollback's target), each verified and signed by staging.
  const verified = [releaseSha, olderReleaseSha];
  const registry = await new RegistryStandIn(
    verified.map((sha) => ({ repository: staging.dockerhubRepository, tag: `verified-sha-${sha}`, platforms: staging.platforms })),
    login,
  ).start();
  for (const sha of verified)
    await signAsStaging(registry, login, {
      repository: staging.dockerhubRepository,
      tag: `verified-sha-${sha}`,
      sha,
      appRepository: staging.repository,
    });
  const dockerPing = await new DockerPingStandIn().start();
  const railway = await new FakeRailway({ clock: Date.now }).start();
  const ws = EngineWorkspace.create(github.baseUrl, {
    SSL_CERT_FILE: registry.certFile,
    HOME: dockerPing.home,
    RAILWAY_API_URL: `${railway.url}/graphql/v2`,
    NODE_OPTIONS: `--require ${join(__dirname, "railwayEdge.cjs")}`,
    DELIVERY_TEST_EDGE_HOSTS: production.railwayDomain,
    DELIVERY_TEST_EDGE_URL: railway.url,
    DEPLOY_POLL_START_MS: "100",
    DEPLOY_POLL_MAX_MS: "200",
    HEALTH_INTERVAL_MS: "50",
    BAKE_INTERVAL_MS: "250",
  });
  const run = async (args: readonly string[], input?: string): Promise<void> => {
    check(await ws.pulumi(args, input === undefined ? {} : { input }), `pulumi ${args.join(" ")}`);
  };
  for (const stack of ["staging", "production"]) {
    await run(["stack", "init", stack, "--secrets-provider", "passphrase"]);
    await run(["config", "set", "buildImageOnPreview", "false", "--stack", stack]);
    // A short bake: the stand-in's service has no traffic, so it is inconclusive, which passes.
    await run(["config", "set", "bakeSeconds", "1", "--stack", stack]);
    await run(["config", "set", "registry", registry.host, "--stack", stack]);
    await run(["config", "set", "imageSigningPublicKey", "--stack", stack], fixtureSigningPublicKey);
  }
  const plan = await ws.run(join(ws.dir, "node_modules", ".bin", "tsx"), [
    "tools/cli/plan.ts",
    "--stack",
    "production",
    "--out",
    join(ws.dir, "plan-out"),
  ]);
  check(plan, "the offline plan of production");
  const listed = [...plan.stdout.matchAll(/pulumi config set --secret (\w+) --stack production/g)].map((m) => m[1] as SecretKey);
  for (const key of new Set([...listed, "githubToken" as const]))
    await run(["config", "set", "--secret", key, "--stack", "production"], sentinel(key));
  return {
    github,
    registry,
    railway,
    ws,
    stop: async () => {
      await railway.stop();
      await github.stop();
      await registry.stop();
      await dockerPing.stop();
      ws.remove();
    },
  };
}
