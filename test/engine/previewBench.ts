/**
 * The engine half of `npm run bench`: wall time and peak memory of a real
 * `pulumi preview --stack staging` of this program, beside its floor, a preview
 * on the same engine of an empty program that only imports the same provider
 * SDKs with the project's tsconfig.json. Both run offline on a file backend
 * against the engine suite's loopback GitHub stand-in, so the figures hold no
 * network time. Measures; asserts nothing.
 */
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse, stringify } from "yaml";
import { projectName, requiredSecrets } from "../../src/config";
import { readStackSettings } from "../../src/config/stackFiles";
import { fixtureSigningPublicKey, secretValue } from "../helpers/stacks";
import { GitHubStateStandIn } from "./githubState";
import { stateFixtureFromStacks } from "./githubStateFixture";
import { EngineWorkspace, projectDir } from "./workspace";

export interface Sample {
  readonly wallMs: number;
  /** Peak resident memory of the largest process of the run (the language host), when measurable. */
  readonly maxRssKb: number | undefined;
}

/** The SDKs the program loads: the floor imports exactly these. */
const sdks = ["@pulumi/pulumi", "@pulumi/github", "@pulumi/command", "@pulumi/docker-build", "@pulumi/docker"];

/** GNU time reports the peak RSS of the largest process it waited for; macOS and others lack `-f`. */
const gnuTime = "/usr/bin/time";
const canMeasureMemory = existsSync(gnuTime) && process.platform === "linux";

export function timed(ws: EngineWorkspace, cwd: string, args: readonly string[]): Promise<Sample> {
  const command = canMeasureMemory ? gnuTime : "pulumi";
  const argv = canMeasureMemory ? ["-f", "maxrss=%M", "pulumi", ...args, "--non-interactive"] : [...args, "--non-interactive"];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, argv, { cwd, env: ws.env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = Math.round(performance.now() - started);
      if (code !== 0) {
        reject(new Error(`pulumi ${args.join(" ")} exited ${String(code)} in ${cwd}:\n${output}`));
        return;
      }
      const rss = /maxrss=(\d+)/.exec(output)?.[1];
      resolve({ wallMs, maxRssKb: rss === undefined ? undefined : Number(rss) });
    });
  });
}

/**
 * An empty program beside the project copy, run as the project runs: the same
 * runtime settings from Pulumi.yaml, the same tsconfig.json (and the
 * transpiler it names), the same node_modules, the same SDK imports.
 */
export function floorProject(ws: EngineWorkspace): string {
  const dir = join(ws.dir, "..", "floor");
  mkdirSync(dir);
  const project = parse(readFileSync(join(projectDir, "Pulumi.yaml"), "utf8")) as { runtime: unknown };
  writeFileSync(join(dir, "Pulumi.yaml"), stringify({ name: "bench-floor", runtime: project.runtime }));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "bench-floor", private: true, main: "index.ts" }));
  cpSync(join(projectDir, "tsconfig.json"), join(dir, "tsconfig.json"));
  const tsNode = (JSON.parse(readFileSync(join(projectDir, "tsconfig.json"), "utf8")) as { "ts-node"?: { transpiler?: string } })[
    "ts-node"
  ];
  if (tsNode?.transpiler?.startsWith(".") === true) {
    mkdirSync(dirname(join(dir, tsNode.transpiler)), { recursive: true });
    cpSync(join(projectDir, tsNode.transpiler), join(dir, tsNode.transpiler));
  }
  writeFileSync(join(dir, "index.ts"), `${sdks.map((m) => `import "${m}";`).join("\n")}\n`);
  cpSync(join(ws.dir, "node_modules"), join(dir, "node_modules"), { verbatimSymlinks: true });
  return dir;
}

export interface EnginePreviewFigures {
  readonly program: readonly Sample[];
  readonly floor: readonly Sample[];
}

/** `runs` previews of staging and of the floor, interleaved so that drifting machine load hits both alike. */
export async function measureEnginePreview(runs: number): Promise<EnginePreviewFigures> {
  const github = await new GitHubStateStandIn(stateFixtureFromStacks()).start();
  const ws = EngineWorkspace.create(github.baseUrl);
  try {
    const stack = "staging";
    const setup = async (args: readonly string[], input?: string): Promise<void> => {
      const result = await ws.pulumi(args, input === undefined ? {} : { input });
      if (result.code !== 0) throw new Error(`pulumi ${args.join(" ")}: ${result.stderr}`);
    };
    // Both stacks hold the tests' signing public key (the stacks must agree on it; staging signs with its half).
    for (const each of ["staging", "production"]) {
      await setup(["stack", "init", each, "--secrets-provider", "passphrase"]);
      await setup(["config", "set", "imageSigningPublicKey", "--stack", each], fixtureSigningPublicKey);
    }
    await setup(["config", "set", "buildImageOnPreview", "false", "--stack", stack]);
    // What a user sets before a first preview: the secrets the stack requires, and the provider's token.
    const backend = readStackSettings(ws.dir, stack, join(ws.dir, "stacks")).config[`${projectName}:stateBackendUrl`];
    for (const key of new Set([...requiredSecrets(backend, { signsImages: true }), "githubToken" as const])) {
      await setup(["config", "set", "--secret", key, "--stack", stack], secretValue(key));
    }
    const floorDir = floorProject(ws);
    await timed(ws, floorDir, ["stack", "init", "bench"]);
    // One untimed preview each first: the first run of a fresh workspace also fills caches.
    // As the README runs it: text output, the policy pack on (the floor gets the same pack, with nothing to judge).
    const pack = ["--policy-pack", join(ws.dir, "infra", "policy")];
    await timed(ws, ws.dir, ["preview", "--stack", stack, ...pack]);
    await timed(ws, floorDir, ["preview", "--stack", "bench", ...pack]);
    const program: Sample[] = [];
    const floor: Sample[] = [];
    for (let i = 0; i < runs; i++) {
      program.push(await timed(ws, ws.dir, ["preview", "--stack", stack, ...pack]));
      floor.push(await timed(ws, floorDir, ["preview", "--stack", "bench", ...pack]));
    }
    return { program, floor };
  } finally {
    await github.stop();
    ws.remove();
  }
}
