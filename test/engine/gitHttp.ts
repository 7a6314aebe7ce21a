/**
 * The git half of a GitHub Enterprise Server: `/<owner>/<repo>.git/...` served by Git's own
 * `git http-backend` (smart HTTP, the protocol GitHub speaks), for fetching only, from a bare
 * repository the suite made. A private repository's clone must authenticate as GitHub asks: HTTP
 * Basic with any user and a token as the password (BuildKit sends `x-access-token:<token>` from its
 * GIT_AUTH_TOKEN build secret); a missing or wrong token is GitHub's 401, and nothing is served.
 */
import { spawn } from "node:child_process";
import type { IncomingMessage, ServerResponse } from "node:http";

export interface GitRepositoryOptions {
  /** The folder holding `<repo>.git` (a bare repository). */
  readonly root: string;
  /** The only token a clone may use; `undefined`: a public repository, no login. */
  readonly token?: string;
}

export interface GitRequest {
  readonly method: string;
  readonly path: string;
  readonly token: string | undefined;
  readonly status: number;
}

/** The token of a Basic authorization header (its password), as GitHub reads it for git over HTTPS. */
export function basicPassword(header: string | undefined): string | undefined {
  if (header === undefined || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon === -1 ? undefined : decoded.slice(colon + 1);
}

/** Answers one git request (`repoPath`: `/<repo>.git/info/refs` ...) from `options.root`. */
export function serveGit(
  options: GitRepositoryOptions,
  repoPath: string,
  query: string,
  req: IncomingMessage,
  body: Buffer,
  res: ServerResponse,
): Promise<number> {
  const token = basicPassword(req.headers.authorization);
  if (options.token !== undefined && token !== options.token) {
    res.writeHead(401, { "www-authenticate": 'Basic realm="GitHub"', "content-type": "text/plain" });
    res.end(
      token === undefined
        ? "Authentication required\n"
        : "Invalid username or token. Password authentication is not supported for Git operations.\n",
    );
    return Promise.resolve(401);
  }
  if (req.method === "POST" && repoPath.endsWith("/git-receive-pack")) {
    res.writeHead(403, { "content-type": "text/plain" });
    res.end("the suite's repository is read-only\n");
    return Promise.resolve(403);
  }
  const env: Record<string, string> = {
    PATH: process.env["PATH"] ?? "/usr/bin:/bin",
    GIT_PROJECT_ROOT: options.root,
    GIT_HTTP_EXPORT_ALL: "1",
    REQUEST_METHOD: req.method ?? "GET",
    PATH_INFO: repoPath,
    QUERY_STRING: query,
    CONTENT_TYPE: req.headers["content-type"] ?? "",
    CONTENT_LENGTH: String(body.length),
    REMOTE_ADDR: "127.0.0.1",
    ...(typeof req.headers["content-encoding"] === "string" ? { HTTP_CONTENT_ENCODING: req.headers["content-encoding"] } : {}),
    ...(typeof req.headers["git-protocol"] === "string" ? { GIT_PROTOCOL: req.headers["git-protocol"] } : {}),
  };
  return new Promise((resolve) => {
    const cgi = spawn("git", ["http-backend"], { env, stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    cgi.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    // The backend may answer and exit before it reads its stdin (a GET's empty body, a request it
    // refuses): the write then fails with EPIPE, which is not an error of the request; its answer is
    // what it printed. Anything else is this server's fault, and is thrown.
    cgi.stdin.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
    });
    let failed = false;
    cgi.on("error", (error) => {
      failed = true;
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(`git http-backend did not start: ${error.message}\n`);
      resolve(500);
    });
    cgi.stdin.end(body);
    cgi.on("close", () => {
      if (failed) return;
      const all = Buffer.concat(out);
      let end = all.indexOf("\r\n\r\n");
      let sep = 4;
      if (end < 0) {
        end = all.indexOf("\n\n");
        sep = 2;
      }
      if (end < 0) {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end("git http-backend gave no answer\n");
        resolve(500);
        return;
      }
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of all.subarray(0, end).toString("latin1").split(/\r?\n/)) {
        const colon = line.indexOf(":");
        if (colon < 0) continue;
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === "status") status = Number.parseInt(value, 10);
        else headers[name] = value;
      }
      res.writeHead(status, headers);
      res.end(all.subarray(end + sep));
      resolve(status);
    });
  });
}
