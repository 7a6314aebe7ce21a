/**
 * Railway's runtime, for real on this machine: each deployment the Railway stand-in starts pulls its image
 * by digest from the kit's registry (with the credentials the service holds, as Railway pulls a private
 * image) into the kit's Docker daemon and runs it as a container, its service variables as its
 * environment and `PORT` set as Railway sets it. Railway's own health check then asks the container's
 * health path until it answers 200 or the service's health-check timeout runs out: SUCCESS or FAILED.
 * The container of a deployment that no longer serves is removed; `stop` removes them all.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DeploymentRun, DeploymentRuntime } from "../railway/fakeRailway";

function freePort(): Promise<number> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

interface Running {
  readonly container: string;
  readonly port: number;
}

export interface RuntimeEvent {
  readonly deployment: string;
  readonly what: "pulled" | "started" | "healthy" | "unhealthy" | "removed" | "pull-refused";
  readonly detail: string;
}

export class ContainerRuntime implements DeploymentRuntime {
  readonly events: RuntimeEvent[] = [];
  private readonly running = new Map<string, Running>();
  private readonly configDir: string;

  /**
   * `env`: the kit's (DOCKER_HOST, PATH); `registry`: its host, which a deployment's image names;
   * `maxHealthSeconds`: Railway waits the service's timeout (300 s by default), the suite no longer than this.
   */
  /**
   * `publicLogin`: how a public image is pulled. A public Docker Hub repository needs no login, but the kit's
   * registry asks one for every pull, so a deployment without credentials pulls with the kit's own.
   */
  constructor(
    private readonly env: Readonly<Record<string, string>>,
    private readonly publicLogin: { readonly username: string; readonly password: string },
    private readonly maxHealthSeconds = 90,
  ) {
    this.configDir = mkdtempSync(join(tmpdir(), "railway-runtime-"));
  }

  private docker(args: readonly string[], config?: string): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(
        "docker",
        [...(config === undefined ? [] : ["--config", config]), ...args],
        { env: { ...process.env, ...this.env }, timeout: 300_000, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => {
          if (error === null) resolve(stdout.trim());
          else reject(new Error(`docker ${args[0] ?? ""}: ${stderr.trim() || error.message}`));
        },
      );
    });
  }

  /** A Docker config holding only the deployment's own registry login, as Railway pulls with the service's credentials. */
  private loginConfig(run: DeploymentRun): string {
    const dir = join(this.configDir, run.id);
    mkdirSync(dir, { recursive: true });
    const host = run.image.slice(0, run.image.indexOf("/"));
    const login = run.registryCredentials ?? this.publicLogin;
    const auths = { [host]: { auth: Buffer.from(`${login.username}:${login.password}`).toString("base64") } };
    writeFileSync(join(dir, "config.json"), JSON.stringify({ auths }));
    return dir;
  }

  async start(run: DeploymentRun): Promise<"SUCCESS" | "FAILED"> {
    const config = this.loginConfig(run);
    try {
      await this.docker(["pull", "--quiet", run.image], config);
    } catch (error) {
      this.events.push({ deployment: run.id, what: "pull-refused", detail: (error as Error).message });
      return "FAILED";
    }
    this.events.push({ deployment: run.id, what: "pulled", detail: run.image });
    const port = await freePort();
    const env = Object.entries({ ...run.variables, PORT: String(port), HOST: "127.0.0.1", RAILWAY_DEPLOYMENT_ID: run.id }).flatMap(
      ([k, v]) => ["--env", `${k}=${v}`],
    );
    const container = await this.docker([
      "run",
      "--detach",
      "--network",
      "host",
      "--name",
      `railway-${run.id}-${String(port)}`,
      ...env,
      run.image,
    ]);
    this.running.set(run.id, { container, port });
    this.events.push({ deployment: run.id, what: "started", detail: `port ${String(port)}` });
    const healthy = await this.healthCheck(
      port,
      run.healthcheckPath ?? "/",
      Math.min(run.healthcheckTimeoutSeconds ?? 300, this.maxHealthSeconds),
    );
    this.events.push({ deployment: run.id, what: healthy ? "healthy" : "unhealthy", detail: run.healthcheckPath ?? "/" });
    return healthy ? "SUCCESS" : "FAILED";
  }

  /** Railway's health check: the path must answer 200 within the timeout (it asks again until then). */
  private async healthCheck(port: number, path: string, timeoutSeconds: number): Promise<boolean> {
    const deadline = Date.now() + timeoutSeconds * 1000;
    while (Date.now() < deadline) {
      try {
        const answer = await fetch(`http://127.0.0.1:${String(port)}${path}`, { signal: AbortSignal.timeout(5000) });
        if (answer.status === 200) return true;
        // The app answers, and not healthy: Railway keeps asking until the timeout; a test need not wait it out.
        if (answer.status >= 500 && Date.now() > deadline - (timeoutSeconds - 10) * 1000) return false;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    return false;
  }

  async remove(id: string): Promise<void> {
    const running = this.running.get(id);
    if (running === undefined) return;
    this.running.delete(id);
    await this.docker(["rm", "--force", running.container]);
    this.events.push({ deployment: id, what: "removed", detail: running.container });
  }

  baseUrl(id: string): string | undefined {
    const running = this.running.get(id);
    return running === undefined ? undefined : `http://127.0.0.1:${String(running.port)}`;
  }

  /** The deployments with a container now. */
  get containers(): string[] {
    return [...this.running.keys()];
  }

  async stop(): Promise<void> {
    for (const id of [...this.running.keys()]) await this.remove(id);
    rmSync(this.configDir, { recursive: true, force: true });
  }
}
