// The deploy command exactly as @pulumi/command runs it: a child process, settings and secrets in its environment.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { main, readDeployEnv } from "../../src/railway/deployCli";
import { projectDir } from "../helpers/stacks";
import { tsxProcess } from "../helpers/tool";
import { describeLeaks, findLeaks, leakValue, valueClasses, type LeakValue, type ValueClass } from "../helpers/leakValues";
import { echoStyles, FakeRailway, type FakeRailwayOptions, type HistoryDeployment } from "./fakeRailway";

const apiToken = "sentinel-cli-token-55aa";
const pullToken = "sentinel-cli-pull-66bb";
const variables = { ANTHROPIC_API_KEY: "sentinel-cli-anthropic-77cc" };
const secretValues = [apiToken, pullToken, ...Object.values(variables)];
let fake: FakeRailway | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

function baseEnv(url: string): Record<string, string> {
  return {
    RAILWAY_API_TOKEN: apiToken,
    RAILWAY_API_URL: `${url}/graphql/v2`,
    RAILWAY_PROJECT_ID: "p-1",
    RAILWAY_ENVIRONMENT_ID: "e-1",
    RAILWAY_SERVICE_ID: "s-1",
    DEPLOY_IMAGE: `docker.io/acme/app@sha256:${"b".repeat(64)}`,
    HEALTHCHECK_PATH: "/health",
    HEALTHCHECK_TIMEOUT_SECONDS: "300",
    HEALTH_URL: `${url}/health`,
    SERVICE_VARIABLES: JSON.stringify(variables),
    DEPLOY_POLL_START_MS: "1",
    HEALTH_INTERVAL_MS: "1",
    HEALTH_ATTEMPTS: "2",
  };
}

/** The deploy command in this process (main(), given the environment it would read): its exit code and what it printed. */
async function deployCli(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(
    env,
    (s) => (stdout += s),
    (s) => (stderr += s),
  );
  return { code, stdout, stderr };
}

/**
 * The deploy command as the Command resource runs it (`npx --no-install tsx src/railway/deployCli.ts`): its own
 * process, settings only in its environment. It is the process tsx's CLI starts for a script, started here without
 * the two launchers before it (npx, and tsx's CLI, a Node process of its own that only spawns this one and passes on
 * its exit code): Node with tsx's preflight and loader, running deployCli.ts.
 */
function deployCliChild(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const deployCli = tsxProcess(join(projectDir, "src", "railway", "deployCli.ts"));
  return new Promise((resolve) => {
    const child = spawn(deployCli.command, deployCli.args, { env: { PATH: process.env["PATH"] ?? "", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

async function start(options: FakeRailwayOptions): Promise<FakeRailway> {
  fake = await new FakeRailway(options).start();
  return fake;
}

const history: HistoryDeployment[] = [{ id: "deployment-good", status: "SUCCESS", canRollback: true }];
const updateInput = (railway: FakeRailway): Record<string, unknown> =>
  railway.requests.find((q) => q.operationName === "UpdateServiceInstance")?.variables["input"] as Record<string, unknown>;

describe("deploy command", () => {
  it("prints the deployment as one JSON line, logs progress without a secret", async () => {
    const railway = await start({ history });
    const r = await deployCliChild(baseEnv(railway.url));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ deploymentId: "deployment-new", url: "https://app.up.railway.app" });
    expect(r.stderr).toContain("variables: ANTHROPIC_API_KEY set (values not shown)");
    for (const value of secretValues) expect(r.stdout + r.stderr).not.toContain(value);
  });

  it("exits 1 with what failed and what was rolled back", async () => {
    const railway = await start({ history, deploymentStatuses: ["CRASHED"] });
    const r = await deployCli(baseEnv(railway.url));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(
      "deploy failed: deployment deployment-new became active, then CRASHED; rolled back to deployment deployment-good (deployment rollback-of-deployment-good serves it); the service's variables are the stack's current values again",
    );
  });

  // 1. Railway refuses with HTTP 200 and an `errors` array.
  it("a refused token (HTTP 200, 'Not Authorized'): exit 1, says which token and what to do, never prints it", async () => {
    const railway = await start({ history, tokens: { account: ["some-other-token"] } });
    const r = await deployCli(baseEnv(railway.url));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "Railway refused recentDeployments for an account or workspace token (RAILWAY_API_TOKEN, sent as Authorization: Bearer)",
    );
    expect(r.stderr).toContain("pulumi config set --secret railwayToken");
    expect(r.stderr).not.toContain(apiToken);
  });

  // 5. The token under the names Railway's own tools read.
  it("RAILWAY_API_TOKEN (account or workspace token) goes as a Bearer token", async () => {
    const railway = await start({ history, tokens: { account: [apiToken] } });
    const r = await deployCli(baseEnv(railway.url));
    expect(r.code).toBe(0);
    expect(railway.requests.every((q) => q.authorization === `Bearer ${apiToken}` && q.projectToken === undefined)).toBe(true);
  });

  it("RAILWAY_TOKEN (project token) goes as Project-Access-Token, as Railway's CLI sends it", async () => {
    const railway = await start({ history, tokens: { project: [apiToken] } });
    const env: Record<string, string> = { ...baseEnv(railway.url), RAILWAY_TOKEN: apiToken };
    delete env["RAILWAY_API_TOKEN"];
    const r = await deployCli(env);
    expect(r.code).toBe(0);
    expect(railway.requests.every((q) => q.projectToken === apiToken && q.authorization === undefined)).toBe(true);
  });

  // 4. Credentials only for a private image, and only then.
  it("a public image: no registry credentials reach Railway", async () => {
    const railway = await start({ history, plan: "hobby" });
    const r = await deployCli(baseEnv(railway.url));
    expect(r.code).toBe(0);
    expect(updateInput(railway)["registryCredentials"]).toBeUndefined();
  });

  it("a private image: the read-only pull token is sent, and a Hobby workspace's refusal names the Pro plan", async () => {
    const privateImage = { repository: "docker.io/acme/app", username: "acmebot", password: pullToken };
    const pro = await start({ history, plan: "pro", privateImage });
    const ok = await deployCli({ ...baseEnv(pro.url), REGISTRY_USERNAME: "acmebot", REGISTRY_PASSWORD: pullToken });
    expect(ok.code).toBe(0);
    expect(updateInput(pro)["registryCredentials"]).toEqual({ username: "acmebot", password: pullToken });
    await pro.stop();
    const hobby = await start({ history, plan: "hobby", privateImage });
    const refused = await deployCli({ ...baseEnv(hobby.url), REGISTRY_USERNAME: "acmebot", REGISTRY_PASSWORD: pullToken });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("Railway accepts private registry credentials on the Pro plan only");
    expect(refused.stderr).not.toContain(pullToken);
  });

  // 9. Railway's own pre-deploy command, in the service's network: nothing runs on the runner.
  it("hands the pre-deploy command to Railway and runs nothing on the runner", async () => {
    const dir = mkdtempSync(join(tmpdir(), "predeploy-"));
    try {
      const marker = join(dir, "ran-on-runner");
      const railway = await start({ history });
      const r = await deployCli({ ...baseEnv(railway.url), PRE_DEPLOY_COMMAND: `touch ${marker}` });
      expect(r.code).toBe(0);
      expect(existsSync(marker)).toBe(false);
      expect(railway.instance.preDeployCommand).toEqual([`touch ${marker}`]);
      expect(r.stderr).toContain("pre-deploy command in Railway: set (runs in Railway before the deployment starts)");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("readDeployEnv", () => {
  const valid = baseEnv("http://127.0.0.1:1");

  it("lists every missing or malformed setting at once", () => {
    expect(() => readDeployEnv({ SERVICE_VARIABLES: "[1]", HEALTHCHECK_TIMEOUT_SECONDS: "7200" })).toThrow(
      /neither RAILWAY_API_TOKEN \(account or workspace token\) nor RAILWAY_TOKEN \(project token\) is set; .*HEALTH_URL is not set; SERVICE_VARIABLES is not a JSON object of strings; HEALTHCHECK_TIMEOUT_SECONDS is not a whole number of seconds from 1 to 3600/,
    );
  });

  it("refuses both token names at once, and half a registry credential", () => {
    expect(() => readDeployEnv({ ...valid, RAILWAY_TOKEN: "x" })).toThrow(/both RAILWAY_API_TOKEN and RAILWAY_TOKEN are set/);
    expect(() => readDeployEnv({ ...valid, REGISTRY_PASSWORD: "x" })).toThrow(/REGISTRY_USERNAME and REGISTRY_PASSWORD go together/);
  });

  const problemsOf = (env: NodeJS.ProcessEnv): string => {
    try {
      readDeployEnv(env);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error("readDeployEnv accepted the settings");
  };

  it("names each malformed number with the value given, what is allowed and its default", () => {
    const message = problemsOf({
      ...valid,
      HEALTHCHECK_TIMEOUT_SECONDS: "7200",
      DEPLOY_POLL_START_MS: "soon",
      DEPLOY_PULL_ALLOWANCE_SECONDS: "-5",
      HEALTH_ATTEMPTS: "0",
      HEALTH_SUCCESSES: "21",
    });
    expect(message).toBe(
      "deploy settings: " +
        [
          'HEALTHCHECK_TIMEOUT_SECONDS is not a whole number of seconds from 1 to 3600 (it is "7200")',
          'DEPLOY_PULL_ALLOWANCE_SECONDS is not a number of seconds, 0 or more (it is "-5"; unset, it is 600)',
          'DEPLOY_POLL_START_MS is not a number of milliseconds, 0 or more (it is "soon"; unset, it is 2000)',
          'HEALTH_ATTEMPTS is not a whole number, 1 or more (it is "0"; unset, it is 10)',
          'HEALTH_SUCCESSES is not a whole number from 1 to 20 (it is "21"; unset, it is 3)',
        ].join("; "),
    );
  });

  it("never shows a token or a service variable, whatever is wrong with them", () => {
    const message = problemsOf({
      ...valid,
      RAILWAY_TOKEN: "sentinel-project-token-88dd",
      SERVICE_VARIABLES: JSON.stringify({ ANTHROPIC_API_KEY: "sentinel-key-99ee", RETRIES: 3, TIMEOUT: 5 }),
    });
    expect(message).toBe(
      "deploy settings: both RAILWAY_API_TOKEN and RAILWAY_TOKEN are set; set only the one of the token's kind; " +
        "SERVICE_VARIABLES is not a JSON object of strings",
    );
    expect(problemsOf({ ...valid, SERVICE_VARIABLES: "{ANTHROPIC_API_KEY: sentinel-key-99ee" })).toBe(
      "deploy settings: SERVICE_VARIABLES is not a JSON object of strings",
    );
  });

  it("counts an empty variable as unset: a default applies, a required one is missing", () => {
    const settings = readDeployEnv({ ...valid, RAILWAY_TOKEN: "", DEPLOY_POLL_START_MS: "", PRE_DEPLOY_COMMAND: "" });
    expect(settings.tokenKind).toBe("account");
    expect(settings.timing.pollStartMs).toBe(2000);
    expect(settings.options).not.toHaveProperty("preDeployCommand");
    expect(problemsOf({ ...valid, HEALTH_URL: "", SERVICE_VARIABLES: "" })).toBe(
      "deploy settings: HEALTH_URL is not set; SERVICE_VARIABLES is not set",
    );
  });

  it("reads every setting into the deploy's options, timing and secrets", () => {
    const env: Record<string, string> = {
      ...valid,
      REGISTRY_USERNAME: "acmebot",
      REGISTRY_PASSWORD: pullToken,
      PRE_DEPLOY_COMMAND: "python -m app.migrate",
    };
    delete env["RAILWAY_API_TOKEN"];
    const settings = readDeployEnv({ ...env, RAILWAY_TOKEN: apiToken, HEALTH_REQUEST_TIMEOUT_MS: "2500" });
    expect(settings).toMatchObject({ token: apiToken, tokenKind: "project", endpoint: "http://127.0.0.1:1/graphql/v2" });
    expect(settings.secrets).toEqual([apiToken, variables.ANTHROPIC_API_KEY, pullToken]);
    expect(settings.options).toEqual({
      projectId: "p-1",
      environmentId: "e-1",
      serviceId: "s-1",
      image: `docker.io/acme/app@sha256:${"b".repeat(64)}`,
      healthcheckPath: "/health",
      healthcheckTimeoutSeconds: 300,
      healthUrl: "http://127.0.0.1:1/health",
      variables,
      preDeployCommand: "python -m app.migrate",
      registryCredentials: { username: "acmebot", password: pullToken },
      // Unset, the bake is off; the thresholds are the program's defaults.
      bake: { seconds: 0, maxErrorRateIncrease: 0.01, maxLatencyRatio: 1.5, minRequests: 50, inconclusive: "pass", intervalMs: 30_000 },
    });
    expect(settings.timing).toEqual({
      pullAllowanceMs: 600_000,
      verdictGraceMs: 120_000,
      pollStartMs: 1,
      pollMaxMs: 15_000,
      healthAttempts: 2,
      healthSuccesses: 3,
      healthIntervalMs: 1,
      healthRequestTimeoutMs: 2500,
    });
  });

  it("reads the bake window's settings, and refuses each malformed one naming it and what it allows", () => {
    const settings = readDeployEnv({
      ...valid,
      BAKE_SECONDS: "120",
      BAKE_MAX_ERROR_RATE_INCREASE: "0.005",
      BAKE_MAX_LATENCY_RATIO: "2",
      BAKE_MIN_REQUESTS: "20",
      BAKE_INCONCLUSIVE: "fail",
      BAKE_INTERVAL_MS: "5000",
    });
    expect(settings.options.bake).toEqual({
      seconds: 120,
      maxErrorRateIncrease: 0.005,
      maxLatencyRatio: 2,
      minRequests: 20,
      inconclusive: "fail",
      intervalMs: 5000,
    });
    expect(() =>
      readDeployEnv({
        ...valid,
        BAKE_SECONDS: "-1",
        BAKE_MAX_ERROR_RATE_INCREASE: "5",
        BAKE_MAX_LATENCY_RATIO: "0.5",
        BAKE_MIN_REQUESTS: "1.5",
        BAKE_INCONCLUSIVE: "maybe",
      }),
    ).toThrow(
      /BAKE_SECONDS is not a whole number of seconds from 0 to 3600 \(it is "-1"; unset, it is 0\); BAKE_MAX_ERROR_RATE_INCREASE is not a ratio from 0 to 1 \(it is "5"; unset, it is 0\.01\); BAKE_MAX_LATENCY_RATIO is not a number from 1 to 100 \(it is "0\.5"; unset, it is 1\.5\); BAKE_MIN_REQUESTS is not a whole number, 1 or more \(it is "1\.5"; unset, it is 50\); BAKE_INCONCLUSIVE is not pass or fail/,
    );
  });

  // 3. The deadline is derived from the health-check timeout, not fixed.
  it("derives the deadline from the health-check timeout plus an allowance for the queue and the pull", () => {
    const settings = readDeployEnv({ ...valid, HEALTHCHECK_TIMEOUT_SECONDS: "3600" });
    expect(settings.options.healthcheckTimeoutSeconds).toBe(3600);
    expect(settings.timing).toMatchObject({ pullAllowanceMs: 600_000, verdictGraceMs: 120_000 });
    expect(readDeployEnv({ ...valid, DEPLOY_PULL_ALLOWANCE_SECONDS: "900" }).timing.pullAllowanceMs).toBe(900_000);
    expect(settings).not.toHaveProperty("timing.deployTimeoutMs");
  });
});

// main() itself: deploying, and refusing bad settings with exit 2 (the first test above runs it as its own process).
describe("deploy command main()", () => {
  it("deploys, and fails on bad settings with exit 2", async () => {
    const railway = await start({ history });
    const ok = await deployCli({ ...baseEnv(railway.url), PRE_DEPLOY_COMMAND: "echo backing up" });
    expect(ok).toMatchObject({ code: 0 });
    expect(JSON.parse(ok.stdout)).toMatchObject({ deploymentId: "deployment-new" });
    expect(railway.requests[0]?.authorization).toBe(`Bearer ${apiToken}`);
    const bad = await deployCli({});
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("neither RAILWAY_API_TOKEN");
  });

  it("exits 1 on a failed deploy with the secrets redacted", async () => {
    const railway = await start({ history, faults: { 0: { status: 403 } } });
    const r = await deployCli(baseEnv(railway.url));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("HTTP 403");
    expect(r.stderr).not.toContain(apiToken);
  });
});

/**
 * Railway echoing the request back in its error (security review F-M6): for each value class and each echo style,
 * the variables' request and the registry credentials' request are refused with the echo, and no form of any
 * secret (the token, the app's keys, the pull token) reaches the command's output.
 */
describe("deploy command, Railway echoing the request back", () => {
  /** A header cannot hold a newline or a character above U+00FF (fetch refuses it before sending): the token gets the shell class then. */
  const headerSafe = (valueClass: ValueClass): ValueClass =>
    /^[\x20-\x7e]*$/.test(leakValue("t", valueClass).value) ? valueClass : "shell";

  function secretsOf(valueClass: ValueClass): { token: LeakValue; anthropic: LeakValue; openai: LeakValue; pull: LeakValue } {
    return {
      token: leakValue("railwayToken", headerSafe(valueClass)),
      anthropic: leakValue("anthropicApiKey", valueClass),
      openai: leakValue("openaiApiKey", valueClass),
      pull: leakValue("dockerhubPullToken", valueClass),
    };
  }

  function echoEnv(url: string, s: ReturnType<typeof secretsOf>): Record<string, string> {
    return {
      ...baseEnv(url),
      RAILWAY_API_TOKEN: s.token.value,
      SERVICE_VARIABLES: JSON.stringify({ ANTHROPIC_API_KEY: s.anthropic.value, OPENAI_API_KEY: s.openai.value }),
      REGISTRY_USERNAME: "acmebot",
      REGISTRY_PASSWORD: s.pull.value,
    };
  }

  it.each(valueClasses)("%s values: no form of any secret in the output, whatever Railway echoes", async (valueClass) => {
    const s = secretsOf(valueClass);
    const values = Object.values(s);
    const railway = await start({ history, plan: "pro" });
    for (const operationName of ["UpsertVariables", "UpdateServiceInstance"]) {
      for (const style of echoStyles) {
        railway.reconfigure({ echoesRequest: { operationName, style } });
        const r = await deployCli(echoEnv(railway.url, s));
        const where = `${operationName} echoed as ${style}`;
        expect(r.code, where).toBe(1);
        // The echo reached the output (redacted): a test that never saw it would prove nothing.
        expect(r.stderr, where).toMatch(/Railway rejected (upsertVariables|updateServiceInstance): .*\[secret\]/);
        expect(findLeaks(r.stdout + r.stderr, values, where), describeLeaks(findLeaks(r.stdout + r.stderr, values, where))).toEqual([]);
      }
    }
  });

  it("shortens an echo of a megabyte to what a log can carry, saying how much is left out", async () => {
    const railway = await start({ history, echoesRequest: { operationName: "UpsertVariables", style: "raw" } });
    const r = await deployCli({ ...baseEnv(railway.url), RAILWAY_PROJECT_ID: "p".repeat(1_000_000) });
    expect(r.code).toBe(1);
    expect(r.stderr.length).toBeLessThan(3000);
    expect(r.stderr).toContain(`deploy failed: Railway rejected upsertVariables: could not apply ${"p".repeat(1900)}`);
    expect(r.stderr).toMatch(/p… \(\d{6} more characters\)\n$/);
  });

  it("bounds any other line that carries what Railway sent: a stored image reference of a megabyte", async () => {
    const railway = await start({ history, storesImageAs: `docker.io/acme/app:${"x".repeat(1_000_000)}` });
    const r = await deployCli(baseEnv(railway.url));
    expect(r.code).toBe(1);
    expect(r.stderr.length).toBeLessThan(5000);
    expect(r.stderr).toMatch(/deploy failed: Railway stored the service image as docker\.io\/acme\/app:x+… \(\d{6} more characters\)\n$/);
  });
});
