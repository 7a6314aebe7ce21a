// The deploy command exactly as @pulumi/command runs it: a child process, settings and secrets in its environment.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { main, readDeployEnv } from "../../src/railway/deployCli";
import { projectDir } from "../helpers/stacks";
import { FakeRailway, type FakeRailwayOptions } from "./fakeRailway";

const secrets = { RAILWAY_TOKEN: "sentinel-cli-token-55aa", REGISTRY_PASSWORD: "sentinel-cli-registry-66bb" };
const variables = { ANTHROPIC_API_KEY: "sentinel-cli-anthropic-77cc" };
let fake: FakeRailway | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

function baseEnv(url: string): Record<string, string> {
  return {
    ...secrets,
    RAILWAY_API_URL: `${url}/graphql/v2`,
    RAILWAY_PROJECT_ID: "p-1",
    RAILWAY_ENVIRONMENT_ID: "e-1",
    RAILWAY_SERVICE_ID: "s-1",
    DEPLOY_IMAGE: `docker.io/acme/app@sha256:${"b".repeat(64)}`,
    HEALTHCHECK_PATH: "/health",
    HEALTHCHECK_TIMEOUT_SECONDS: "300",
    HEALTH_URL: `${url}/health`,
    SERVICE_VARIABLES: JSON.stringify(variables),
    REGISTRY_USERNAME: "acmebot",
    DEPLOY_POLL_START_MS: "1",
    HEALTH_INTERVAL_MS: "1",
    HEALTH_ATTEMPTS: "2",
  };
}

function deployCli(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(projectDir, "node_modules", "tsx", "dist", "cli.mjs"), join(projectDir, "src", "railway", "deployCli.ts")], {
      env: { PATH: process.env["PATH"] ?? "", ...env },
    });
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

const history = [{ id: "deployment-good", status: "SUCCESS", canRollback: true }];

describe("deploy command", () => {
  it("prints the deployment as one JSON line, logs progress without a secret", async () => {
    const railway = await start({ history });
    const r = await deployCli(baseEnv(railway.url));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ deploymentId: "deployment-new", url: "https://app.up.railway.app" });
    expect(r.stderr).toContain("variables: ANTHROPIC_API_KEY set (values not shown)");
    for (const value of [...Object.values(secrets), ...Object.values(variables)]) expect(r.stdout + r.stderr).not.toContain(value);
    const update = railway.requests.find((q) => q.operationName === "UpdateServiceInstance");
    expect((update?.variables["input"] as Record<string, unknown>)["registryCredentials"]).toEqual({ username: "acmebot", password: secrets.REGISTRY_PASSWORD });
  });

  it("exits 1 with what failed and what was rolled back", async () => {
    const railway = await start({ history, deploymentStatuses: ["CRASHED"] });
    const r = await deployCli(baseEnv(railway.url));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("deploy failed: deployment deployment-new ended CRASHED; rolled back to deployment deployment-good.");
  });

  it("runs the pre-deploy command first, without the deploy's secrets, and stops when it fails", async () => {
    const railway = await start({ history });
    const r = await deployCli({ ...baseEnv(railway.url), PRE_DEPLOY_COMMAND: 'echo "backup with token=[$RAILWAY_TOKEN]"; exit 3' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("pre-deploy: backup with token=[]");
    expect(r.stderr).toContain("pre-deploy command failed, nothing was deployed: exit code 3");
    expect(railway.requests).toEqual([]);
  });

  it("fails at once on 401, naming the token scope, never the token", async () => {
    const railway = await start({ history, faults: { 0: { status: 401 } } });
    const r = await deployCli(baseEnv(railway.url));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Railway refused the token (HTTP 401)");
    expect(r.stderr).not.toContain(secrets.RAILWAY_TOKEN);
  });
});

describe("readDeployEnv", () => {
  it("lists every missing or malformed setting at once", () => {
    expect(() => readDeployEnv({ SERVICE_VARIABLES: "[1]", RAILWAY_TOKEN_KIND: "personal" })).toThrow(
      /RAILWAY_TOKEN is not set; .*HEALTH_URL is not set; SERVICE_VARIABLES is not a JSON object of strings; RAILWAY_TOKEN_KIND is "personal"/,
    );
  });
});

// The same entry point in this process, so coverage sees it; the child-process tests above prove the wiring.
describe("deploy command main()", () => {
  async function inProcess(env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    let err = "";
    const code = await main(env, (s) => (out += s), (s) => (err += s));
    return { code, out, err };
  }

  it("deploys, and fails on bad settings with exit 2", async () => {
    const railway = await start({ history });
    const ok = await inProcess({ ...baseEnv(railway.url), RAILWAY_TOKEN_KIND: "project", PRE_DEPLOY_COMMAND: "echo backing up" });
    expect(ok).toMatchObject({ code: 0 });
    expect(JSON.parse(ok.out)).toMatchObject({ deploymentId: "deployment-new" });
    expect(ok.err).toContain("pre-deploy: backing up");
    expect(railway.requests[0]?.projectToken).toBe(secrets.RAILWAY_TOKEN);
    const bad = await inProcess({});
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("RAILWAY_TOKEN is not set");
  });

  it("exits 1 on a failed deploy with the secrets redacted", async () => {
    const railway = await start({ history, faults: { 0: { status: 403 } } });
    const r = await inProcess({ ...baseEnv(railway.url), PRE_DEPLOY_COMMAND: "exit 0" });
    expect(r.code).toBe(1);
    expect(r.err).toContain("HTTP 403");
    expect(r.err).not.toContain(secrets.RAILWAY_TOKEN);
  });
});
