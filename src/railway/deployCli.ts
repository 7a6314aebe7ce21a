/**
 * The deploy command `pulumi up` runs (through @pulumi/command). Everything
 * comes from the environment, secrets included, never from arguments. The
 * Railway token is read under the names Railway's own tools read:
 * `RAILWAY_API_TOKEN` for an account or workspace token, `RAILWAY_TOKEN` for a
 * project token. Prints one JSON line on stdout ({deploymentId, url}); progress
 * and errors go to stderr, with every secret value redacted. Exit 1 on a
 * failed deploy, 2 on bad settings.
 */
import { RailwayClient, tokenVariable, type TokenKind } from "./client";
import { deploy, type DeployOptions, type DeployTiming } from "./deploy";
import { redactor } from "./redact";
import { sleep } from "./retry";

export interface DeployEnv {
  readonly options: DeployOptions;
  readonly token: string;
  readonly tokenKind: TokenKind;
  readonly endpoint: string | undefined;
  readonly timing: Omit<DeployTiming, "now" | "sleep">;
  readonly secrets: readonly string[];
}

const required = [
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

const set = (env: NodeJS.ProcessEnv, key: string): string | undefined => ((env[key] ?? "") === "" ? undefined : env[key]);

/** Reads the deploy's settings; lists every missing or malformed variable at once. */
export function readDeployEnv(env: NodeJS.ProcessEnv): DeployEnv {
  const problems: string[] = [];
  const projectToken = set(env, tokenVariable.project);
  const apiToken = set(env, tokenVariable.account);
  // Railway's CLI sends RAILWAY_TOKEN as Project-Access-Token and RAILWAY_API_TOKEN as a Bearer token.
  if (projectToken === undefined && apiToken === undefined)
    problems.push("neither RAILWAY_API_TOKEN (account or workspace token) nor RAILWAY_TOKEN (project token) is set");
  if (projectToken !== undefined && apiToken !== undefined)
    problems.push("both RAILWAY_API_TOKEN and RAILWAY_TOKEN are set; set only the one of the token's kind");
  problems.push(...required.filter((k) => set(env, k) === undefined).map((k) => `${k} is not set`));
  let variables: Record<string, string> = {};
  try {
    const parsed: unknown = JSON.parse(env["SERVICE_VARIABLES"] ?? "{}");
    if (
      typeof parsed !== "object" ||
      parsed === null ||
      Array.isArray(parsed) ||
      !Object.values(parsed).every((v) => typeof v === "string")
    )
      throw new Error();
    variables = parsed as Record<string, string>;
  } catch {
    problems.push("SERVICE_VARIABLES is not a JSON object of strings");
  }
  const healthcheckTimeoutSeconds = Number(env["HEALTHCHECK_TIMEOUT_SECONDS"]);
  if (
    set(env, "HEALTHCHECK_TIMEOUT_SECONDS") !== undefined &&
    !(Number.isInteger(healthcheckTimeoutSeconds) && healthcheckTimeoutSeconds >= 1 && healthcheckTimeoutSeconds <= 3600)
  ) {
    problems.push("HEALTHCHECK_TIMEOUT_SECONDS is not a whole number of seconds from 1 to 3600");
  }
  const registryUsername = set(env, "REGISTRY_USERNAME");
  const registryPassword = set(env, "REGISTRY_PASSWORD");
  if ((registryUsername === undefined) !== (registryPassword === undefined))
    problems.push("REGISTRY_USERNAME and REGISTRY_PASSWORD go together: set both (a private image) or neither");
  if (problems.length > 0) throw new Error(`deploy settings: ${problems.join("; ")}`);

  const get = (k: (typeof required)[number]): string => env[k] ?? "";
  const token = projectToken ?? apiToken ?? "";
  const preDeployCommand = set(env, "PRE_DEPLOY_COMMAND");
  return {
    token,
    tokenKind: projectToken === undefined ? "account" : "project",
    endpoint: set(env, "RAILWAY_API_URL"),
    secrets: [token, ...Object.values(variables), ...(registryPassword === undefined ? [] : [registryPassword])],
    options: {
      projectId: get("RAILWAY_PROJECT_ID"),
      environmentId: get("RAILWAY_ENVIRONMENT_ID"),
      serviceId: get("RAILWAY_SERVICE_ID"),
      image: get("DEPLOY_IMAGE"),
      healthcheckPath: get("HEALTHCHECK_PATH"),
      healthcheckTimeoutSeconds,
      healthUrl: get("HEALTH_URL"),
      variables,
      ...(preDeployCommand === undefined ? {} : { preDeployCommand }),
      ...(registryUsername !== undefined && registryPassword !== undefined
        ? { registryCredentials: { username: registryUsername, password: registryPassword } }
        : {}),
    },
    timing: {
      pullAllowanceMs: number(env, "DEPLOY_PULL_ALLOWANCE_SECONDS", 600) * 1000,
      verdictGraceMs: number(env, "DEPLOY_VERDICT_GRACE_SECONDS", 120) * 1000,
      pollStartMs: number(env, "DEPLOY_POLL_START_MS", 2000),
      pollMaxMs: number(env, "DEPLOY_POLL_MAX_MS", 15_000),
      healthAttempts: number(env, "HEALTH_ATTEMPTS", 10),
      healthIntervalMs: number(env, "HEALTH_INTERVAL_MS", 6000),
      healthRequestTimeoutMs: number(env, "HEALTH_REQUEST_TIMEOUT_MS", 10_000),
    },
  };
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
  const client = new RailwayClient({
    token: settings.token,
    tokenKind: settings.tokenKind,
    ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
    log,
  });
  try {
    const result = await deploy(client, settings.options, { ...settings.timing, now: Date.now, sleep }, log);
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
