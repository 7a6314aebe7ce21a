/**
 * The deploy command `pulumi up` runs (through @pulumi/command). Everything
 * comes from the environment, secrets included, never from arguments. Prints
 * one JSON line on stdout ({deploymentId, url}); progress and errors go to
 * stderr, with every secret value redacted. Exit 1 on a failed deploy.
 */
import { spawn } from "node:child_process";
import { RailwayClient, sleep } from "./client";
import { deploy, type DeployOptions, type DeployTiming } from "./deploy";
import { redactor } from "./redact";

export interface DeployEnv {
  readonly options: DeployOptions;
  readonly token: string;
  readonly tokenKind: "account" | "project";
  readonly endpoint: string | undefined;
  readonly timing: Omit<DeployTiming, "now" | "sleep">;
  readonly secrets: readonly string[];
  readonly preDeployCommand: string | undefined;
}

const required = [
  "RAILWAY_TOKEN",
  "RAILWAY_PROJECT_ID",
  "RAILWAY_ENVIRONMENT_ID",
  "RAILWAY_SERVICE_ID",
  "DEPLOY_IMAGE",
  "HEALTHCHECK_PATH",
  "HEALTHCHECK_TIMEOUT_SECONDS",
  "HEALTH_URL",
  "SERVICE_VARIABLES",
] as const;

function number(env: NodeJS.ProcessEnv, key: string, fallback: number): number {
  const value = Number(env[key] ?? fallback);
  return Number.isFinite(value) && value >= 0 ? value : fallback;
}

/** Reads the deploy's settings; lists every missing or malformed variable at once. */
export function readDeployEnv(env: NodeJS.ProcessEnv): DeployEnv {
  const problems = required.filter((k) => (env[k] ?? "") === "").map((k) => `${k} is not set`);
  let variables: Record<string, string> = {};
  try {
    const parsed: unknown = JSON.parse(env["SERVICE_VARIABLES"] ?? "{}");
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed) || !Object.values(parsed).every((v) => typeof v === "string")) throw new Error();
    variables = parsed as Record<string, string>;
  } catch {
    problems.push("SERVICE_VARIABLES is not a JSON object of strings");
  }
  const kind = env["RAILWAY_TOKEN_KIND"] ?? "account";
  if (kind !== "account" && kind !== "project") problems.push(`RAILWAY_TOKEN_KIND is ${JSON.stringify(kind)}; allowed: account or project`);
  if (problems.length > 0) throw new Error(`deploy settings: ${problems.join("; ")}`);
  const get = (k: (typeof required)[number]): string => env[k] ?? "";
  const registryPassword = env["REGISTRY_PASSWORD"];
  const registryUsername = env["REGISTRY_USERNAME"];
  const preDeployCommand = (env["PRE_DEPLOY_COMMAND"] ?? "") === "" ? undefined : env["PRE_DEPLOY_COMMAND"];
  return {
    token: get("RAILWAY_TOKEN"),
    tokenKind: kind === "project" ? "project" : "account",
    endpoint: env["RAILWAY_API_URL"],
    preDeployCommand,
    secrets: [get("RAILWAY_TOKEN"), ...Object.values(variables), ...(registryPassword === undefined ? [] : [registryPassword])],
    options: {
      projectId: get("RAILWAY_PROJECT_ID"),
      environmentId: get("RAILWAY_ENVIRONMENT_ID"),
      serviceId: get("RAILWAY_SERVICE_ID"),
      image: get("DEPLOY_IMAGE"),
      healthcheckPath: get("HEALTHCHECK_PATH"),
      healthcheckTimeoutSeconds: Number(get("HEALTHCHECK_TIMEOUT_SECONDS")),
      healthUrl: get("HEALTH_URL"),
      variables,
      ...(registryUsername !== undefined && registryPassword !== undefined && registryPassword !== ""
        ? { registryCredentials: { username: registryUsername, password: registryPassword } }
        : {}),
    },
    timing: {
      deployTimeoutMs: number(env, "DEPLOY_TIMEOUT_SECONDS", 900) * 1000,
      pollStartMs: number(env, "DEPLOY_POLL_START_MS", 2000),
      pollMaxMs: number(env, "DEPLOY_POLL_MAX_MS", 15_000),
      healthAttempts: number(env, "HEALTH_ATTEMPTS", 10),
      healthIntervalMs: number(env, "HEALTH_INTERVAL_MS", 6000),
      healthRequestTimeoutMs: number(env, "HEALTH_REQUEST_TIMEOUT_MS", 10_000),
    },
  };
}

/** Runs the team's pre-deploy command in a shell; it inherits this process's environment minus the deploy's secrets. */
function runPreDeploy(command: string, log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const withheld = new Set(["RAILWAY_TOKEN", "SERVICE_VARIABLES", "REGISTRY_PASSWORD"]);
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !withheld.has(key)));
    const child = spawn(command, { shell: true, env, stdio: ["ignore", "pipe", "pipe"] });
    const forward = (chunk: Buffer): void => {
      for (const line of chunk.toString().split("\n")) if (line !== "") log(`pre-deploy: ${line}`);
    };
    child.stdout.on("data", forward);
    child.stderr.on("data", forward);
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve();
      else reject(new Error(`exit code ${String(code)}`));
    });
  });
}

export async function main(env: NodeJS.ProcessEnv, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  let settings: DeployEnv;
  try {
    settings = readDeployEnv(env);
  } catch (error) {
    err(`${(error as Error).message}\n`);
    return 2;
  }
  const redact = redactor(settings.secrets);
  const log = (line: string): void => {
    err(`${redact(line)}\n`);
  };
  const client = new RailwayClient({ token: settings.token, tokenKind: settings.tokenKind, ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }), log });
  const preDeployCommand = settings.preDeployCommand;
  const options: DeployOptions =
    preDeployCommand === undefined ? settings.options : { ...settings.options, preDeploy: () => runPreDeploy(preDeployCommand, log) };
  try {
    const result = await deploy(client, options, { ...settings.timing, now: Date.now, sleep }, log);
    out(`${JSON.stringify(result)}\n`);
    return 0;
  } catch (error) {
    log(`deploy failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (require.main === module) {
  void main(
    process.env,
    (s) => process.stdout.write(s),
    (s) => process.stderr.write(s),
  ).then((code) => {
    process.exitCode = code;
  });
}
