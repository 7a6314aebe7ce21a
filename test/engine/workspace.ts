/**
 * A throw-away copy of the project for the real Pulumi CLI: the program, the
 * policy pack and a copy of the stack files in a temporary folder (the
 * committed ones are never touched), node_modules linked, a file backend and
 * PULUMI_HOME of its own, the passphrase secrets provider, and no route to
 * GitHub but the loopback stand-in. Plugins come from the caller's Pulumi
 * install (offline, set PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true).
 */
import { spawn } from "node:child_process";
import {
  accessSync,
  chmodSync,
  constants,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { homedir, tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";

export const projectDir = resolve(__dirname, "..", "..");

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Written to the command's standard input, then closed. */
  readonly input?: string;
  readonly timeoutMs?: number;
  /** More environment for this command alone (what a workflow step's `env:` hands it). */
  readonly env?: Readonly<Record<string, string>>;
  /** Where to run it instead of the workspace's project (a second checkout). */
  readonly cwd?: string;
}

/** Another checkout of the project beside the first, sharing its state backend: where a later job runs. */
export interface Checkout {
  readonly dir: string;
  /** Its own PULUMI_HOME: no workspace settings or credentials the first checkout's commands left. */
  readonly env: Readonly<Record<string, string>>;
}

/** Copied, not linked: what the CLI reads or writes (Pulumi.yaml, stacks/) or compiles (tsconfig). */
const copied = ["Pulumi.yaml", "package.json", "tsconfig.json", "infra", "src", "tools", "stacks"];

export class EngineWorkspace {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  /** Every argument list the CLI was started with, through the recording shim. */
  private readonly argvLog: string;

  private constructor(
    private readonly root: string,
    githubBaseUrl: string,
    readonly passphrase: string,
    extraEnv: Readonly<Record<string, string>>,
  ) {
    this.dir = join(root, "project");
    mkdirSync(this.dir);
    for (const entry of copied) cpSync(join(projectDir, entry), join(this.dir, entry), { recursive: true });
    symlinkSync(join(projectDir, "node_modules"), join(this.dir, "node_modules"), "dir");
    mkdirSync(join(root, "state"));
    mkdirSync(join(root, "home"));
    // A home of its own (no credentials or stacks of the caller's), but the caller's plugin
    // cache: a normal Pulumi install keeps the provider plugins there (on this machine's
    // engine build they are on PATH instead).
    const callerPlugins = join(process.env["PULUMI_HOME"] ?? join(homedir(), ".pulumi"), "plugins");
    if (existsSync(callerPlugins)) symlinkSync(callerPlugins, join(root, "home", "plugins"), "dir");

    // A `pulumi` first on PATH that records its arguments, then runs the real one:
    // how the suite proves a secret never travels in a command line.
    const shimDir = join(root, "shim");
    mkdirSync(shimDir);
    this.argvLog = join(root, "pulumi-argv.log");
    const real = whichPulumi();
    writeFileSync(
      join(shimDir, "pulumi"),
      `#!/bin/sh\nfor a in "$@"; do printf '%s\\0' "$a" >> '${this.argvLog}'; done\nprintf '\\n\\0' >> '${this.argvLog}'\nexec '${real}' "$@"\n`,
    );
    chmodSync(join(shimDir, "pulumi"), 0o755);

    // Nothing ambient may reach the program: no token, owner or config of the caller's.
    const ambient = new Set([
      "GITHUB_TOKEN",
      "GITHUB_OWNER",
      "DOCKER_HOST",
      "PULUMI_ACCESS_TOKEN",
      "PULUMI_CONFIG",
      "PULUMI_CONFIG_SECRET_KEYS",
      "PULUMI_TEST_MODE",
    ]);
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !ambient.has(key)));
    this.env = {
      ...env,
      PATH: `${shimDir}${delimiter}${process.env["PATH"] ?? ""}`,
      PULUMI_HOME: join(root, "home"),
      PULUMI_BACKEND_URL: `file://${join(root, "state")}`,
      PULUMI_CONFIG_PASSPHRASE: passphrase,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_SKIP_CONFIRMATIONS: "true",
      PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
      GITHUB_BASE_URL: githubBaseUrl,
      ...extraEnv,
      NO_COLOR: "1",
      // Makes --event-log available: the engine's own record of a run, policy summaries included.
      PULUMI_DEBUG_COMMANDS: "true",
    };
  }

  /** `extraEnv`: more of the environment every command gets (SSL_CERT_FILE for a stand-in registry). */
  static create(githubBaseUrl: string, extraEnv: Readonly<Record<string, string>> = {}): EngineWorkspace {
    const root = mkdtempSync(join(tmpdir(), "delivery-engine-"));
    return new EngineWorkspace(root, githubBaseUrl, `engine-suite-${String(process.pid)}`, extraEnv);
  }

  /**
   * A fresh checkout, as a later job on another runner gets of the same commit: the project's files as they
   * are here now (the stack files as `pulumi config set` left them: what a user commits), copied anew, the
   * same dependencies, and an empty PULUMI_HOME but the plugins.
   */
  freshCheckout(name: string): Checkout {
    const dir = join(this.root, `checkout-${name}`);
    mkdirSync(dir);
    for (const entry of copied) cpSync(join(this.dir, entry), join(dir, entry), { recursive: true });
    symlinkSync(join(projectDir, "node_modules"), join(dir, "node_modules"), "dir");
    const home = join(this.root, `home-${name}`);
    mkdirSync(home);
    const callerPlugins = join(process.env["PULUMI_HOME"] ?? join(homedir(), ".pulumi"), "plugins");
    if (existsSync(callerPlugins)) symlinkSync(callerPlugins, join(home, "plugins"), "dir");
    return { dir, env: { PULUMI_HOME: home } };
  }

  stackFile(stack: string): string {
    return join(this.dir, "stacks", `Pulumi.${stack}.yaml`);
  }

  readStackFile(stack: string): string {
    return readFileSync(this.stackFile(stack), "utf8");
  }

  writeStackFile(stack: string, text: string): void {
    writeFileSync(this.stackFile(stack), text);
  }

  /** Argument lists of every `pulumi` started so far. */
  pulumiArgvs(): string[][] {
    let log: string;
    try {
      log = readFileSync(this.argvLog, "utf8");
    } catch {
      return [];
    }
    return log
      .split("\n\0")
      .filter((entry) => entry !== "")
      .map((entry) => entry.split("\0").filter((a) => a !== ""));
  }

  pulumi(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    return this.run("pulumi", [...args, "--non-interactive"], options);
  }

  run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    return new Promise((resolvePromise, reject) => {
      const env = options.env === undefined ? this.env : { ...this.env, ...options.env };
      const child = spawn(command, args, { cwd: options.cwd ?? this.dir, env, stdio: ["pipe", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(
          new Error(`${command} ${args.join(" ")} did not finish in ${String(options.timeoutMs ?? 180_000)} ms\n${stdout}\n${stderr}`),
        );
      }, options.timeoutMs ?? 180_000);
      child.on("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.on("close", (code) => {
        clearTimeout(timer);
        resolvePromise({ code: code ?? 1, stdout, stderr });
      });
      child.stdin.end(options.input ?? "");
    });
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** The real `pulumi` on PATH, or undefined. */
export function findPulumi(): string | undefined {
  for (const dir of (process.env["PATH"] ?? "").split(delimiter)) {
    const candidate = join(dir, "pulumi");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function whichPulumi(): string {
  const found = findPulumi();
  if (found === undefined) throw new Error(noPulumiMessage);
  return found;
}

export const noPulumiMessage =
  'npm run test:engine needs the Pulumi CLI on PATH: install it (https://www.pulumi.com/docs/install/), or here: export PATH="$(../shared/engine/build.sh):$PATH"';
