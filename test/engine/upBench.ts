/**
 * The `pulumi up` half of `npm run bench`: production's `pulumi up` (the stack that promotes, so no image
 * build weighs on the figure) as a user runs it, with the policy pack: a second run that changes nothing,
 * and a run after one secret changed (its GitHub secret and one Railway deploy), each beside the floor, an
 * `up` of the empty program of previewBench.ts with the same pack. Offline, against the engine suite's
 * stand-ins (GitHub, a registry holding staging's signed verified tag, Railway), whose waits are shortened
 * (polls and health probes every 50-200 ms), so the figures hold no network or Railway time. Measures only.
 */
import { join } from "node:path";
import type { SecretKey } from "../../src/config";
import { FakeRailway } from "../railway/fakeRailway";
import { fixtureSigningPublicKey, sentinel } from "../helpers/stacks";
import { releaseSha, stackConfigs } from "./fixture";
import { GitHubStateStandIn } from "./githubState";
import { stateFixtureFromStacks } from "./githubStateFixture";
import { floorProject, timed, type Sample } from "./previewBench";
import { DockerPingStandIn, RegistryStandIn } from "./registry";
import { signAsStaging } from "./signatures";
import { EngineWorkspace } from "./workspace";

export interface EngineUpFigures {
  readonly noOp: readonly Sample[];
  readonly secretChanged: readonly Sample[];
  readonly floor: readonly Sample[];
}

export async function measureEngineUp(runs: number): Promise<EngineUpFigures> {
  const [staging, production] = stackConfigs();
  if (staging === undefined || production === undefined) throw new Error("no stacks");
  const github = await new GitHubStateStandIn(stateFixtureFromStacks()).start();
  const login = { username: staging.dockerhubUsername, password: sentinel("dockerhubToken") };
  const tag = `verified-sha-${releaseSha}`;
  const registry = await new RegistryStandIn(
    [{ repository: staging.dockerhubRepository, tag, platforms: staging.platforms }],
    login,
  ).start();
  await signAsStaging(registry, login, {
    repository: staging.dockerhubRepository,
    tag,
    sha: releaseSha,
    appRepository: staging.repository,
  });
  const dockerPing = await new DockerPingStandIn().start();
  const railway = await new FakeRailway({}).start();
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
  });
  try {
    const setup = async (args: readonly string[], input?: string): Promise<void> => {
      const result = await ws.pulumi(args, input === undefined ? {} : { input });
      if (result.code !== 0) throw new Error(`pulumi ${args.join(" ")}: ${result.stderr}`);
    };
    for (const stack of ["staging", "production"]) {
      await setup(["stack", "init", stack, "--secrets-provider", "passphrase"]);
      await setup(["config", "set", "registry", registry.host, "--stack", stack]);
      await setup(["config", "set", "imageSigningPublicKey", "--stack", stack], fixtureSigningPublicKey);
    }
    const plan = await ws.run(join(ws.dir, "node_modules", ".bin", "tsx"), [
      "tools/cli/plan.ts",
      "--stack",
      "production",
      "--out",
      join(ws.dir, "plan-out"),
    ]);
    const listed = [...plan.stdout.matchAll(/pulumi config set --secret (\w+) --stack production/g)].map((m) => m[1] as SecretKey);
    // The stand-ins' own credentials are the sentinels (the registry's login among them).
    for (const key of new Set([...listed, "githubToken" as const]))
      await setup(["config", "set", "--secret", key, "--stack", "production"], sentinel(key));
    const pack = ["--policy-pack", join(ws.dir, "infra", "policy")];
    const up = (cwd: string, stack: string): Promise<Sample> => timed(ws, cwd, ["up", "--yes", "--stack", stack, ...pack]);
    const floorDir = floorProject(ws);
    await timed(ws, floorDir, ["stack", "init", "bench"]);
    // The first up of each creates everything: untimed.
    await up(ws.dir, "production");
    await up(floorDir, "bench");
    const noOp: Sample[] = [];
    const secretChanged: Sample[] = [];
    const floor: Sample[] = [];
    for (let i = 0; i < runs; i++) {
      noOp.push(await up(ws.dir, "production"));
      await setup(["config", "set", "--secret", "openaiApiKey", "--stack", "production"], `bench-rotated-${String(i)}`);
      secretChanged.push(await up(ws.dir, "production"));
      floor.push(await up(floorDir, "bench"));
    }
    return { noOp, secretChanged, floor };
  } finally {
    await railway.stop();
    await github.stop();
    await registry.stop();
    await dockerPing.stop();
    ws.remove();
  }
}
