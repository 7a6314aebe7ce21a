// The first `pulumi up` runs as the delivery App: the CLI mints an installation token from the App's key, the way
// GitHub checks it (an RS256 JWT issued by the App id), and hands it to the command only through its environment.
import { spawn } from "node:child_process";
import { createVerify, generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppTokenError, asDeliveryApp, installationToken } from "../../tools/cli/asDeliveryApp";
import { fixtureStacksDir, projectDir } from "../helpers/stacks";
import { toolCommand } from "../helpers/tool";

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
// Another key only has to sign a JWT the App's public key does not verify; 1024 bits make it in a fifth of the time.
const { privateKey: otherKey } = generateKeyPairSync("rsa", { modulusLength: 1024 });
const otherPem = otherKey.export({ type: "pkcs8", format: "pem" }).toString();
// The fixture's delivery App and repository (test/fixtures/stacks/Pulumi.staging.yaml).
const appId = "1234567";
const repository = "acme/learning-voice-agent";
const mintedToken = "ghs_standInInstallationToken0000000000";

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly body: string;
}
const seen: Seen[] = [];

/** GitHub's two endpoints, judging the JWT as GitHub does: signature by the App's public key, iss, a lifetime of at most 10 minutes. */
function github(req: IncomingMessage, res: ServerResponse): void {
  let body = "";
  req.on("data", (chunk: Buffer) => (body += chunk.toString()));
  req.on("end", () => {
    seen.push({ method: req.method ?? "", url: req.url ?? "", body });
    const [head = "", payload = "", signature = ""] = (req.headers.authorization ?? "").replace(/^Bearer /, "").split(".");
    const valid = createVerify("RSA-SHA256").update(`${head}.${payload}`).verify(publicKey, Buffer.from(signature, "base64url"));
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString() || "{}") as { iss?: string; iat?: number; exp?: number };
    const now = Math.floor(Date.now() / 1000);
    if (
      !valid ||
      claims.iss !== appId ||
      claims.exp === undefined ||
      claims.iat === undefined ||
      claims.exp - claims.iat > 600 ||
      claims.exp < now
    ) {
      res.writeHead(401, { "Content-Type": "application/json" }).end(JSON.stringify({ message: "A JSON web token could not be decoded" }));
      return;
    }
    if (req.method === "GET" && req.url === `/repos/${repository}/installation`) {
      res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ id: 4242 }));
    } else if (req.method === "GET" && req.url?.startsWith("/repos/")) {
      res.writeHead(404, { "Content-Type": "application/json" }).end(JSON.stringify({ message: "Not Found" }));
    } else if (req.method === "POST" && req.url === "/app/installations/4242/access_tokens") {
      res
        .writeHead(201, { "Content-Type": "application/json" })
        .end(JSON.stringify({ token: mintedToken, expires_at: "2030-01-01T00:00:00Z" }));
    } else {
      res.writeHead(404).end();
    }
  });
}

let server: Server;
let apiUrl: string;
beforeAll(async () => {
  server = createServer(github);
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((done) =>
    server.close(() => {
      done();
    }),
  );
});

const now = (): number => Math.floor(Date.now() / 1000);

describe("installationToken", () => {
  it("mints a token for the one app repository with a JWT GitHub accepts", async () => {
    seen.length = 0;
    expect(await installationToken({ apiUrl, appId, privateKeyPem: pem, repository, nowSeconds: now() })).toBe(mintedToken);
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      `GET /repos/${repository}/installation`,
      "POST /app/installations/4242/access_tokens",
    ]);
    expect(JSON.parse(seen[1]?.body ?? "")).toEqual({ repositories: ["learning-voice-agent"] });
  });

  it("says the key is not the App's when GitHub refuses the JWT", async () => {
    await expect(installationToken({ apiUrl, appId, privateKeyPem: otherPem, repository, nowSeconds: now() })).rejects.toThrow(
      /refused the App's key \(401\): check that deliveryAppId 1234567/,
    );
  });

  it("says the App is not installed on the repository", async () => {
    await expect(installationToken({ apiUrl, appId, privateKeyPem: pem, repository: "acme/other", nowSeconds: now() })).rejects.toThrow(
      "the delivery App (id 1234567) is not installed on acme/other",
    );
  });

  it("refuses a file that is not a private key, without GitHub", async () => {
    seen.length = 0;
    await expect(installationToken({ apiUrl, appId, privateKeyPem: "not a key", repository, nowSeconds: now() })).rejects.toBeInstanceOf(
      AppTokenError,
    );
    expect(seen).toEqual([]);
  });
});

describe("npm run as-delivery-app", () => {
  const run = (args: readonly string[]): Promise<{ status: number | null; stdout: string; stderr: string }> =>
    new Promise((done) => {
      // Asynchronous: the loopback GitHub runs in this process and must answer while the CLI waits.
      const tool = toolCommand("as-delivery-app", args);
      const child = spawn(tool.command, tool.args, {
        cwd: projectDir,
        env: { ...process.env, GITHUB_API_URL: apiUrl },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
      child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
      child.on("close", (status) => {
        done({ status, stdout, stderr });
      });
    });

  it("runs the command with the token in GITHUB_TOKEN, and prints it nowhere", async () => {
    const dir = mkdtempSync(join(tmpdir(), "as-app-"));
    const keyFile = join(dir, "delivery-app.pem");
    writeFileSync(keyFile, pem);
    const check = `process.exit(process.env.GITHUB_TOKEN === ${JSON.stringify(mintedToken)} ? 7 : 3)`;
    const result = await run([
      "--stack",
      "staging",
      "--stacks-dir",
      fixtureStacksDir,
      "--key",
      keyFile,
      "--",
      process.execPath,
      "-e",
      check,
    ]);
    // The command's own exit code comes back: 7 means it saw the token.
    expect(result.status).toBe(7);
    expect(result.stderr).toContain("as the delivery App (id 1234567) on acme/learning-voice-agent");
    expect(result.stdout + result.stderr).not.toContain(mintedToken);
  }, 60_000);

  // In this process: running it as a user does is the case above's.
  it("refuses to run without a command, with the usage, and asks GitHub nothing", async () => {
    seen.length = 0;
    let stderr = "";
    const status = await asDeliveryApp(["--stack", "staging", "--key", "x.pem"], (text) => (stderr += text));
    expect(status).toBe(2);
    expect(stderr).toContain("usage: npm run as-delivery-app -- --stack <staging|production> --key <delivery-app.pem>");
    expect(seen).toEqual([]);
  });
});
