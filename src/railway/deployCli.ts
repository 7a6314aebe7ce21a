/**
 * The deploy command `pulumi up` runs (through @pulumi/command). Everything
 * comes from the environment, secrets included, never from arguments. The
 * Railway token is read under the names Railway's own tools read:
 * `RAILWAY_API_TOKEN` for an account or workspace token, `RAILWAY_TOKEN` for a
 * project token. Prints one JSON line on stdout ({deploymentId, url}); progress
 * and errors go to stderr, with every secret value redacted. Exit 1 on a
 * failed deploy, 2 on bad settings.
 */
import { z } from "zod";
import { providerText, RailwayClient, tokenVariable, type TokenKind } from "./client";
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

/** Empty counts as unset, as `VAR=` in a shell or an empty Pulumi input does. */
const unsetIfEmpty = (value: unknown): unknown => (value === "" ? undefined : value);

const optional = z.preprocess(unsetIfEmpty, z.string().optional());

const required = z.preprocess(unsetIfEmpty, z.string({ error: (issue) => (issue.input === undefined ? "is not set" : undefined) }));

/** A number setting: what it allows, said with the value given (none of these is secret), and its default if it has one. */
function numberSetting(allowed: string, valid: (n: number) => boolean, fallback?: number): z.ZodType<number> {
  const given = fallback === undefined ? required : z.preprocess(unsetIfEmpty, z.string().default(String(fallback)));
  return given.transform((text, ctx) => {
    const value = Number(text);
    if (valid(value)) return value;
    const unset = fallback === undefined ? "" : `; unset, it is ${fallback}`;
    ctx.addIssue({ code: "custom", message: `is not ${allowed} (it is ${JSON.stringify(text)}${unset})` });
    return z.NEVER;
  });
}

/** How long the deploy waits for what: any length, none included. */
const duration = (unit: "seconds" | "milliseconds", fallback: number): z.ZodType<number> =>
  numberSetting(`a number of ${unit}, 0 or more`, (n) => Number.isFinite(n) && n >= 0, fallback);

/** The service variables hold the app's keys: a problem with them never shows their value. */
const notObjectOfStrings = "is not a JSON object of strings";
const serviceVariables = required
  .transform((text): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  })
  .pipe(z.record(z.string(), z.string({ error: notObjectOfStrings }), { error: notObjectOfStrings }));

// Railway's CLI sends RAILWAY_TOKEN as Project-Access-Token and RAILWAY_API_TOKEN as a Bearer token.
const tokenSetting = z.object({ account: optional, project: optional }).transform(({ account, project }, ctx) => {
  if (account !== undefined && project === undefined) return { token: account, tokenKind: "account" as TokenKind };
  if (project !== undefined && account === undefined) return { token: project, tokenKind: "project" as TokenKind };
  ctx.addIssue({
    code: "custom",
    message:
      account === undefined
        ? "neither RAILWAY_API_TOKEN (account or workspace token) nor RAILWAY_TOKEN (project token) is set"
        : "both RAILWAY_API_TOKEN and RAILWAY_TOKEN are set; set only the one of the token's kind",
  });
  return z.NEVER;
});

const deploySettings = z.object({
  RAILWAY_PROJECT_ID: required,
  RAILWAY_ENVIRONMENT_ID: required,
  RAILWAY_SERVICE_ID: required,
  DEPLOY_IMAGE: required,
  HEALTHCHECK_PATH: required,
  HEALTH_URL: required,
  SERVICE_VARIABLES: serviceVariables,
  HEALTHCHECK_TIMEOUT_SECONDS: numberSetting("a whole number of seconds from 1 to 3600", (n) => Number.isInteger(n) && n >= 1 && n <= 3600),
  PRE_DEPLOY_COMMAND: optional,
  RAILWAY_API_URL: optional,
  DEPLOY_PULL_ALLOWANCE_SECONDS: duration("seconds", 600),
  DEPLOY_VERDICT_GRACE_SECONDS: duration("seconds", 120),
  DEPLOY_POLL_START_MS: duration("milliseconds", 2000),
  DEPLOY_POLL_MAX_MS: duration("milliseconds", 15_000),
  HEALTH_ATTEMPTS: numberSetting("a whole number, 1 or more", (n) => Number.isInteger(n) && n >= 1, 10),
  // healthCheckSuccesses: 2xx answers in a row before the deploy counts the app healthy.
  HEALTH_SUCCESSES: numberSetting("a whole number from 1 to 20", (n) => Number.isInteger(n) && n >= 1 && n <= 20, 3),
  HEALTH_INTERVAL_MS: duration("milliseconds", 6000),
  HEALTH_REQUEST_TIMEOUT_MS: duration("milliseconds", 10_000),
  // The bake window (bakeSeconds and its thresholds); 0 seconds: none.
  BAKE_SECONDS: numberSetting("a whole number of seconds from 0 to 3600", (n) => Number.isInteger(n) && n >= 0 && n <= 3600, 0),
  BAKE_MAX_ERROR_RATE_INCREASE: numberSetting("a ratio from 0 to 1", (n) => Number.isFinite(n) && n >= 0 && n <= 1, 0.01),
  BAKE_MAX_LATENCY_RATIO: numberSetting("a number from 1 to 100", (n) => Number.isFinite(n) && n >= 1 && n <= 100, 1.5),
  BAKE_MIN_REQUESTS: numberSetting("a whole number, 1 or more", (n) => Number.isInteger(n) && n >= 1, 50),
  BAKE_INCONCLUSIVE: z.preprocess(unsetIfEmpty, z.enum(["pass", "fail"], { error: "is not pass or fail" }).default("pass")),
  BAKE_INTERVAL_MS: numberSetting("a number of milliseconds, 1 or more", (n) => Number.isFinite(n) && n >= 1, 30_000),
});

const registryCredentials = z
  .object({ REGISTRY_USERNAME: optional, REGISTRY_PASSWORD: optional })
  .transform(({ REGISTRY_USERNAME, REGISTRY_PASSWORD }, ctx) => {
    if (REGISTRY_USERNAME !== undefined && REGISTRY_PASSWORD !== undefined)
      return { username: REGISTRY_USERNAME, password: REGISTRY_PASSWORD };
    if (REGISTRY_USERNAME === undefined && REGISTRY_PASSWORD === undefined) return undefined;
    ctx.addIssue({ code: "custom", message: "REGISTRY_USERNAME and REGISTRY_PASSWORD go together: set both (a private image) or neither" });
    return z.NEVER;
  });

/** One line per problem, named by its variable; one problem a variable at most. */
function problems(...results: readonly z.ZodSafeParseResult<unknown>[]): string[] {
  const lines = results
    .flatMap((r) => r.error?.issues ?? [])
    .map((i) => (i.path.length === 0 ? i.message : `${String(i.path[0])} ${i.message}`));
  return [...new Set(lines)];
}

/** Reads the deploy's settings; lists every missing or malformed variable at once. */
export function readDeployEnv(env: NodeJS.ProcessEnv): DeployEnv {
  const [t, s, r] = [
    tokenSetting.safeParse({ account: env[tokenVariable.account], project: env[tokenVariable.project] }),
    deploySettings.safeParse(env),
    registryCredentials.safeParse(env),
  ];
  if (!t.success || !s.success || !r.success) throw new Error(`deploy settings: ${problems(t, s, r).join("; ")}`);
  const e = s.data;
  return {
    ...t.data,
    endpoint: e.RAILWAY_API_URL,
    secrets: [t.data.token, ...Object.values(e.SERVICE_VARIABLES), ...(r.data === undefined ? [] : [r.data.password])],
    options: {
      projectId: e.RAILWAY_PROJECT_ID,
      environmentId: e.RAILWAY_ENVIRONMENT_ID,
      serviceId: e.RAILWAY_SERVICE_ID,
      image: e.DEPLOY_IMAGE,
      healthcheckPath: e.HEALTHCHECK_PATH,
      healthcheckTimeoutSeconds: e.HEALTHCHECK_TIMEOUT_SECONDS,
      healthUrl: e.HEALTH_URL,
      variables: e.SERVICE_VARIABLES,
      ...(e.PRE_DEPLOY_COMMAND === undefined ? {} : { preDeployCommand: e.PRE_DEPLOY_COMMAND }),
      ...(r.data === undefined ? {} : { registryCredentials: r.data }),
      bake: {
        seconds: e.BAKE_SECONDS,
        maxErrorRateIncrease: e.BAKE_MAX_ERROR_RATE_INCREASE,
        maxLatencyRatio: e.BAKE_MAX_LATENCY_RATIO,
        minRequests: e.BAKE_MIN_REQUESTS,
        inconclusive: e.BAKE_INCONCLUSIVE,
        intervalMs: e.BAKE_INTERVAL_MS,
      },
    },
    timing: {
      pullAllowanceMs: e.DEPLOY_PULL_ALLOWANCE_SECONDS * 1000,
      verdictGraceMs: e.DEPLOY_VERDICT_GRACE_SECONDS * 1000,
      pollStartMs: e.DEPLOY_POLL_START_MS,
      pollMaxMs: e.DEPLOY_POLL_MAX_MS,
      healthAttempts: e.HEALTH_ATTEMPTS,
      healthSuccesses: e.HEALTH_SUCCESSES,
      healthIntervalMs: e.HEALTH_INTERVAL_MS,
      healthRequestTimeoutMs: e.HEALTH_REQUEST_TIMEOUT_MS,
    },
  };
}

/** Longer than any line the deploy writes itself, with Railway's text (providerTextLimit) inside. */
const logLineLimit = 4000;

export async function main(env: NodeJS.ProcessEnv, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  let settings: DeployEnv;
  try {
    settings = readDeployEnv(env);
  } catch (error) {
    err(`${(error as Error).message}\n`);
    return 2;
  }
  const redact = redactor(settings.secrets);
  // Redacted, then shortened (a cut through a secret would hide it from the redactor): the client shortens what
  // Railway says within its errors already, and this bounds any other line (an echoed image reference, say).
  const log = (line: string): void => {
    err(`${providerText(redact(line), logLineLimit)}\n`);
  };
  const client = new RailwayClient({
    token: settings.token,
    tokenKind: settings.tokenKind,
    ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
    log,
    redact,
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
