/**
 * `npm run as-delivery-app -- --stack <stack> --key <app.pem> -- <command...>`:
 * runs a command (the first `pulumi up`) as the delivery GitHub App, the only
 * actor the rulesets let commit the generated files. It mints a short-lived
 * installation token for the app repository, as the deploy workflows do, and
 * hands it to the command as GITHUB_TOKEN in its environment: the token is
 * never printed, never on a command line, and gone when the command ends.
 *
 * GitHub's flow: a JWT signed with the App's private key (RS256; iat 60 s in the
 * past against clock drift, at most 10 minutes), `GET /repos/{owner}/{repo}/installation`,
 * then `POST /app/installations/{id}/access_tokens` limited to that repository.
 */
import { spawnSync } from "node:child_process";
import { createPrivateKey, createSign } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { projectName } from "../../src/config";
import { readStackSettings } from "../../src/config/stackFiles";

export class AppTokenError extends Error {
  override readonly name = "AppTokenError";
}

/** A JWT that authenticates as the App itself (not an installation), valid for nine minutes. */
export function appJwt(appId: string, privateKeyPem: string, nowSeconds: number): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${part({ alg: "RS256", typ: "JWT" })}.${part({ iat: nowSeconds - 60, exp: nowSeconds + 540, iss: appId })}`;
  const signature = createSign("RSA-SHA256").update(unsigned).sign(createPrivateKey(privateKeyPem)).toString("base64url");
  return `${unsigned}.${signature}`;
}

export interface InstallationTokenRequest {
  readonly apiUrl: string;
  readonly appId: string;
  readonly privateKeyPem: string;
  /** The app repository as owner/name: the token can reach only it. */
  readonly repository: string;
  readonly nowSeconds: number;
}

async function call(url: string, init: RequestInit): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "object" && parsed !== null) body = parsed as Record<string, unknown>;
  } catch {
    // GitHub answers JSON; anything else is reported by status alone.
  }
  return { status: response.status, body };
}

/** An installation token of the App for one repository, or an error that says what to fix. */
export async function installationToken(request: InstallationTokenRequest): Promise<string> {
  let jwt: string;
  try {
    jwt = appJwt(request.appId, request.privateKeyPem, request.nowSeconds);
  } catch {
    throw new AppTokenError(
      "the key file is not a PEM private key: use the .pem file GitHub downloaded when you generated the App's private key",
    );
  }
  const headers = { Accept: "application/vnd.github+json", Authorization: `Bearer ${jwt}`, "X-GitHub-Api-Version": "2022-11-28" };
  const installation = await call(`${request.apiUrl}/repos/${request.repository}/installation`, { headers });
  if (installation.status === 401) {
    throw new AppTokenError(
      `GitHub refused the App's key (401): check that deliveryAppId ${request.appId} is the App whose private key this is, and that this machine's clock is right`,
    );
  }
  if (installation.status === 404) {
    throw new AppTokenError(
      `the delivery App (id ${request.appId}) is not installed on ${request.repository}: install it on that repository (README: Before you start)`,
    );
  }
  const id = installation.body["id"];
  if (installation.status !== 200 || typeof id !== "number")
    throw new AppTokenError(`GitHub answered ${installation.status} to the installation look-up of ${request.repository}`);
  const name = request.repository.split("/")[1] ?? "";
  const minted = await call(`${request.apiUrl}/app/installations/${id}/access_tokens`, {
    method: "POST",
    headers: { ...headers, "Content-Type": "application/json" },
    body: JSON.stringify({ repositories: [name] }),
  });
  const token = minted.body["token"];
  if (minted.status !== 201 || typeof token !== "string") {
    throw new AppTokenError(`GitHub answered ${minted.status} when minting the installation token for ${request.repository}`);
  }
  return token;
}

const usage = `usage: npm run as-delivery-app -- --stack <staging|production> --key <delivery-app.pem> [--stacks-dir <dir>] -- <command> [args...]`;

/** The command: the command's own exit code, or 2 after saying what was refused or failed. */
export async function asDeliveryApp(
  argv: readonly string[],
  stderr: (text: string) => void = (text) => process.stderr.write(text),
): Promise<number> {
  try {
    return await runAsDeliveryApp(argv, stderr);
  } catch (error) {
    stderr(`${projectName}: ${error instanceof AppTokenError ? error.message : String(error)}\n`);
    return 2;
  }
}

async function runAsDeliveryApp(argv: readonly string[], stderr: (text: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: { stack: { type: "string" }, key: { type: "string" }, "stacks-dir": { type: "string" } },
    allowPositionals: true,
    strict: true,
  });
  const [command, ...args] = positionals;
  if (values.stack === undefined || values.key === undefined || command === undefined) throw new AppTokenError(usage);
  const projectDir = resolve(__dirname, "..", "..");
  const settings = readStackSettings(
    projectDir,
    values.stack,
    values["stacks-dir"] === undefined ? undefined : resolve(values["stacks-dir"]),
  );
  const appId = settings.config[`${projectName}:deliveryAppId`];
  const repository = settings.config[`${projectName}:repository`];
  if (appId === undefined || appId === "" || repository === undefined || repository === "") {
    throw new AppTokenError(
      `stacks/Pulumi.${values.stack}.yaml sets no deliveryAppId or repository: set both first (npm run plan -- --stack ${values.stack} lists what is missing)`,
    );
  }
  let pem: string;
  try {
    pem = readFileSync(values.key, "utf8");
  } catch {
    throw new AppTokenError(`cannot read the key file ${values.key}`);
  }
  const token = await installationToken({
    apiUrl: (process.env["GITHUB_API_URL"] ?? "https://api.github.com").replace(/\/$/, ""),
    appId,
    privateKeyPem: pem,
    repository,
    nowSeconds: Math.floor(Date.now() / 1000),
  });
  stderr(`${projectName}: running ${command} as the delivery App (id ${appId}) on ${repository}; the token expires within the hour\n`);
  const child = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, GITHUB_TOKEN: token } });
  if (child.error !== undefined) throw new AppTokenError(`cannot run ${command}: ${child.error.message}`);
  return child.status ?? 1;
}

if (require.main === module) {
  void asDeliveryApp(process.argv.slice(2)).then((code) => process.exit(code));
}
