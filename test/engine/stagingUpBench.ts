/**
 * The building half of the bench's `pulumi up` figures: staging's `pulumi up` with the policy pack, on the
 * container kit (a real dockerd, BuildKit and registry; Railway's stand-in running real containers). The
 * first up from nothing builds both platforms cold; then, per run, a second up that changes nothing, an up
 * after one secret changed (its GitHub secret and one redeploy) and an up after a code change (a rebuild
 * with the registry cache and one deploy), beside the floor of previewBench.ts. No bake: it would add its
 * window's wait. Runs only where the kit is set up (test/kit/setup.sh, which needs root). Measures only.
 */
import { existsSync, readdirSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { secretValue } from "../helpers/stacks";
import { startBuildStage } from "./buildStage";
import { readEvents, stepSeconds } from "./events";
import { floorProject, timed, type Sample } from "./previewBench";

/**
 * An up of staging, and how long of it the image's build and push took, and Railway's deploy (the engine's
 * whole seconds; 0 when nothing was built or deployed).
 */
export interface UpSample extends Sample {
  readonly buildSeconds: number;
  readonly deploySeconds: number;
}

export interface StagingUpFigures {
  /** The first up from nothing: every resource created, both platforms built cold, one deploy. */
  readonly first: UpSample;
  readonly noOp: readonly UpSample[];
  readonly secretChanged: readonly UpSample[];
  readonly codeChanged: readonly UpSample[];
  readonly floor: readonly Sample[];
}

/** Why the kit cannot run here, or `undefined` when it can (its cache holds a base image, and this is root). */
export function kitUnavailable(): string | undefined {
  const cache = process.env["KIT_CACHE"] ?? join(process.env["XDG_CACHE_HOME"] ?? join(homedir(), ".cache"), "delivery-pipeline-kit");
  const base = existsSync(cache) && readdirSync(cache).some((name) => name.startsWith("base-"));
  if (!base) return `the container kit is not set up (bash test/kit/setup.sh: about 14 minutes the first time, as root)`;
  if (process.getuid?.() !== 0) return "the container kit runs its own dockerd, which needs root";
  return undefined;
}

export async function measureStagingUp(runs: number): Promise<StagingUpFigures> {
  const stage = await startBuildStage({
    secretValue: (key, kit) => (key === "dockerhubToken" ? kit.registryPassword : secretValue(key)),
    cloneToken: "clone-token-bench-7a1c",
    railwayTokens: [secretValue("railwayToken")],
    check: (result, what) => {
      if (result.code !== 0) throw new Error(`${what}: ${result.stderr}`);
    },
  });
  const { ws } = stage;
  try {
    const noBake = await ws.pulumi(["config", "set", "bakeSeconds", "0", "--stack", "staging"]);
    if (noBake.code !== 0) throw new Error(`pulumi config set bakeSeconds 0: ${noBake.stderr}`);
    const pack = ["--policy-pack", join(ws.dir, "infra", "policy")];
    const eventLog = join(ws.dir, "..", "bench-events.jsonl");
    // The engine's event log says when the image's step started and ended; every up timed here writes one, the floor's too.
    const up = async (cwd: string, stack: string): Promise<UpSample> => {
      rmSync(eventLog, { force: true });
      const sample = await timed(ws, cwd, ["up", "--yes", "--stack", stack, ...pack, "--event-log", eventLog]);
      const events = readEvents(eventLog);
      const total = (seconds: readonly number[]): number => seconds.reduce((sum, s) => sum + s, 0);
      return {
        ...sample,
        buildSeconds: total(stepSeconds(events, "docker-build:index:Image")),
        deploySeconds: total(stepSeconds(events, "command:local:Command", "-deploy")),
      };
    };
    const staging = (): Promise<UpSample> => up(ws.dir, "staging");
    const first = await staging();
    const floorDir = floorProject(ws);
    await timed(ws, floorDir, ["stack", "init", "bench"]);
    await up(floorDir, "bench");
    const figures = { noOp: [] as UpSample[], secretChanged: [] as UpSample[], codeChanged: [] as UpSample[], floor: [] as Sample[] };
    for (let i = 0; i < runs; i++) {
      figures.noOp.push(await staging());
      const rotated = await ws.pulumi(["config", "set", "--secret", "openaiApiKey", "--stack", "staging"], {
        input: `bench-rotated-${String(i)}`,
      });
      if (rotated.code !== 0) throw new Error(`pulumi config set --secret openaiApiKey: ${rotated.stderr}`);
      figures.secretChanged.push(await staging());
      stage.pushAppCommit(`Bench change ${String(i)}`, { "app/release.txt": `bench ${String(i)}\n` });
      figures.codeChanged.push(await staging());
      figures.floor.push(await up(floorDir, "bench"));
    }
    return { first, ...figures };
  } finally {
    await stage.stop();
  }
}
