// The stand-in's git half (test/engine/gitHttp.ts) behind a real HTTP server and driven by real git:
// a clone with the token works, one without is GitHub's 401, a push is refused, and a backend that
// answers before it reads a large body does not take the server down (CI's engine suite once died
// of that EPIPE).
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveGit, type GitRepositoryOptions } from "../engine/gitHttp";
import { runSync } from "../helpers/runSync";

const token = "ghs_suite-token";
let root: string;
let server: Server;
let origin: string;
const statuses: number[] = [];

function git(args: readonly string[], cwd: string): string {
  const result = runSync("git", args, { cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: "0" } });
  if (result.status !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}

/** A clone from the server in this process must not block its event loop: run asynchronously. */
async function gitAsync(args: readonly string[], cwd: string): Promise<void> {
  await promisify(execFile)("git", [...args], { cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: "0" }, timeout: 60_000 });
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "git-http-"));
  const work = join(root, "work");
  runSync("git", ["init", "-q", "-b", "main", work]);
  git(["-c", "user.name=suite", "-c", "user.email=suite@example.com", "commit", "-q", "--allow-empty", "-m", "first"], work);
  git(["clone", "-q", "--bare", work, join(root, "app.git")], root);
  const options: GitRepositoryOptions = { root, token };
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      void serveGit(options, url.pathname, url.search.slice(1), req, Buffer.concat(chunks), res).then((status) => {
        statuses.push(status);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  origin = `http://127.0.0.1:${String(typeof address === "object" && address !== null ? address.port : 0)}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  rmSync(root, { recursive: true, force: true });
});

describe("the git stand-in", () => {
  it("serves a clone to the token, as x-access-token Basic auth, and the cloned commit is the repository's", async () => {
    const head = git(["rev-parse", "HEAD"], join(root, "app.git")).trim();
    const target = join(root, "clone");
    const url = origin.replace("http://", `http://x-access-token:${token}@`);
    await gitAsync(["clone", "-q", `${url}/app.git`, target], root);
    expect(git(["rev-parse", "HEAD"], target).trim()).toBe(head);
  });

  it("answers 401 to a clone without the token, or with another", async () => {
    expect((await fetch(`${origin}/app.git/info/refs?service=git-upload-pack`)).status).toBe(401);
    const wrong = Buffer.from("x-access-token:other").toString("base64");
    const response = await fetch(`${origin}/app.git/info/refs?service=git-upload-pack`, { headers: { authorization: `Basic ${wrong}` } });
    expect(response.status).toBe(401);
    expect(await response.text()).toContain("Password authentication is not supported");
  });

  it("refuses a push", async () => {
    const auth = Buffer.from(`x-access-token:${token}`).toString("base64");
    const response = await fetch(`${origin}/app.git/git-receive-pack`, {
      method: "POST",
      headers: { authorization: `Basic ${auth}` },
      body: "0000",
    });
    expect(response.status).toBe(403);
  });

  it("answers a large body sent to a repository it does not have, and goes on serving", async () => {
    const auth = Buffer.from(`x-access-token:${token}`).toString("base64");
    const response = await fetch(`${origin}/missing.git/git-upload-pack`, {
      method: "POST",
      headers: { authorization: `Basic ${auth}`, "content-type": "application/x-git-upload-pack-request" },
      body: Buffer.alloc(8 * 1024 * 1024, 0x30),
    });
    expect(response.status).toBe(404);
    const refs = await fetch(`${origin}/app.git/info/refs?service=git-upload-pack`, { headers: { authorization: `Basic ${auth}` } });
    expect(refs.status).toBe(200);
    expect(statuses).toContain(404);
  });
});
