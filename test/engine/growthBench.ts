/**
 * The growth half of `npm run bench`: how a real `pulumi preview` grows with the number of deployment
 * environments and their secrets and variables. The program (test/engine/programs/environmentGrowth)
 * declares N copies of the project's own DeploymentEnvironment component through its GitHub provider; at
 * 1x it has as many environments, secrets and variables as the two example stacks together, at 10x ten
 * times as many. Offline, against the GitHub stand-in, on a file backend. Measures only.
 */
import { cpSync } from "node:fs";
import { join, resolve } from "node:path";
import { validateStackConfig } from "../../src/config";
import { buildPipelineSpec, stackEnvironments } from "../../src/pipeline";
import { rawConfig, sentinel, stackWithSecrets } from "../helpers/stacks";
import { GitHubStateStandIn } from "./githubState";
import { stateFixtureFromStacks } from "./githubStateFixture";
import { timed, type Sample } from "./previewBench";
import { EngineWorkspace } from "./workspace";

const program = join("test", "engine", "programs", "environmentGrowth");

export interface GrowthRow {
  readonly scale: number;
  readonly environments: number;
  readonly secrets: number;
  readonly variables: number;
  /** Resources the preview plans: each environment, its deployment policy, secrets and variables, and the component. */
  readonly resources: number;
  readonly samples: readonly Sample[];
}

/** The example stacks' environments, and their secrets and variables per environment (rounded). */
export function exampleCounts(): { environments: number; secretsPerEnvironment: number; variablesPerEnvironment: number } {
  const envs = ["staging", "production"].flatMap((stack) =>
    stackEnvironments(buildPipelineSpec(validateStackConfig(rawConfig(stackWithSecrets(stack), stack)).config)),
  );
  const per = (pick: (e: (typeof envs)[number]) => number): number => Math.round(envs.reduce((n, e) => n + pick(e), 0) / envs.length);
  return {
    environments: envs.length,
    secretsPerEnvironment: per((e) => e.secrets.length),
    variablesPerEnvironment: per((e) => e.variables.length),
  };
}

export async function measureGrowth(runs: number, scales: readonly number[] = [1, 10]): Promise<GrowthRow[]> {
  const fixture = stateFixtureFromStacks();
  const github = await new GitHubStateStandIn(fixture).start();
  const ws = EngineWorkspace.create(github.baseUrl);
  try {
    cpSync(resolve(__dirname, "..", "..", program), join(ws.dir, program), { recursive: true });
    const example = exampleCounts();
    const rows: GrowthRow[] = [];
    for (const scale of scales) {
      const stack = `x${String(scale)}`;
      const cwd = ["--cwd", program, "--stack", stack];
      const setup = async (args: readonly string[], input?: string): Promise<void> => {
        const result = await ws.pulumi([...args, ...cwd], input === undefined ? {} : { input });
        if (result.code !== 0) throw new Error(`pulumi ${args.join(" ")}: ${result.stderr}`);
      };
      await setup(["stack", "init", "--secrets-provider", "passphrase"]);
      const environments = example.environments * scale;
      for (const [key, value] of [
        ["owner", fixture.owner],
        ["repository", fixture.repository],
        ["environments", String(environments)],
        ["secretsPerEnvironment", String(example.secretsPerEnvironment)],
        ["variablesPerEnvironment", String(example.variablesPerEnvironment)],
      ] as const)
        await setup(["config", "set", key, value]);
      await setup(["config", "set", "--secret", "githubToken"], sentinel("githubToken"));
      await setup(["config", "set", "--secret", "secretValue"], sentinel("openaiApiKey"));
      const preview = (): Promise<Sample> => timed(ws, ws.dir, ["preview", ...cwd]);
      // One untimed preview first: the first run of a stack also fills caches.
      await preview();
      const samples: Sample[] = [];
      for (let i = 0; i < runs; i++) samples.push(await preview());
      rows.push({
        scale,
        environments,
        secrets: environments * example.secretsPerEnvironment,
        variables: environments * example.variablesPerEnvironment,
        resources: environments * (3 + example.secretsPerEnvironment + example.variablesPerEnvironment) + 2,
        samples,
      });
    }
    return rows;
  } finally {
    await github.stop();
    ws.remove();
  }
}
