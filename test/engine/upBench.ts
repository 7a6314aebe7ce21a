/**
 * The `pulumi up` half of `npm run bench`: production's `pulumi up` (the stack that promotes, so no image
 * build weighs on the figure) as a user runs it, with the policy pack: a second run that changes nothing,
 * and a run after one secret changed (its GitHub secret and one Railway deploy), each beside the floor, an
 * `up` of the empty program of previewBench.ts with the same pack. Offline, against the engine suite's
 * stand-ins (GitHub, a registry holding staging's signed verified tag, Railway), whose waits are shortened
 * (polls and health probes every 50-200 ms), so the figures hold no network or Railway time. Measures only.
 */
import { join } from "node:path";
import { floorProject, timed, type Sample } from "./previewBench";
import { promotionStage } from "./promotionStage";

export interface EngineUpFigures {
  readonly noOp: readonly Sample[];
  readonly secretChanged: readonly Sample[];
  readonly floor: readonly Sample[];
}

export async function measureEngineUp(runs: number): Promise<EngineUpFigures> {
  const stage = await promotionStage((result, what) => {
    if (result.code !== 0) throw new Error(`${what}: ${result.stderr}`);
  });
  const { ws } = stage;
  try {
    // No bake: it would add its window's wait to the deploy, which says nothing of the program's speed.
    const noBake = await ws.pulumi(["config", "set", "bakeSeconds", "0", "--stack", "production"]);
    if (noBake.code !== 0) throw new Error(`pulumi config set bakeSeconds 0: ${noBake.stderr}`);
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
      const rotated = await ws.pulumi(["config", "set", "--secret", "openaiApiKey", "--stack", "production"], {
        input: `bench-rotated-${String(i)}`,
      });
      if (rotated.code !== 0) throw new Error(`pulumi config set --secret openaiApiKey: ${rotated.stderr}`);
      secretChanged.push(await up(ws.dir, "production"));
      floor.push(await up(floorDir, "bench"));
    }
    return { noOp, secretChanged, floor };
  } finally {
    await stage.stop();
  }
}
