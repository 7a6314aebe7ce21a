// A loopback git server over HTTP or HTTPS: Git's own `git http-backend` (smart HTTP, the protocol
// GitHub serves) behind Node's HTTP server, for BuildKit git contexts such as
// `https://127.0.0.1:<port>/app.git#<commit>`. Every repository under `root` is served for fetching
// only: http-backend refuses pushes from an unauthenticated client.
//
//   node test/kit/gitServer.cjs ROOT [--port N] [--tls KEY CERT]   # prints the base URL, runs until SIGTERM
//   const { startGitServer } = require("./gitServer.cjs")           # from a test
"use strict";
const { spawn } = require("node:child_process");
const http = require("node:http");
const https = require("node:https");
const { readFileSync } = require("node:fs");

/**
 * @typedef {{ readonly url: string, readonly port: number, readonly requests: string[], close(): Promise<void> }} GitServer
 * @typedef {{ readonly root: string, readonly port?: number, readonly tls?: { readonly key: string, readonly cert: string }, readonly log?: boolean }} GitServerOptions
 */

/**
 * Runs `git http-backend` as CGI for one request.
 * @param {string} root
 * @param {http.IncomingMessage} req
 * @param {http.ServerResponse} res
 */
function serveGit(root, req, res) {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  /** @type {Record<string, string>} */
  const env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: "1",
    REQUEST_METHOD: req.method ?? "GET",
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.slice(1),
    CONTENT_TYPE: req.headers["content-type"] ?? "",
    REMOTE_ADDR: req.socket.remoteAddress ?? "127.0.0.1",
    REMOTE_USER: "",
  };
  const encoding = req.headers["content-encoding"];
  if (typeof encoding === "string") env.HTTP_CONTENT_ENCODING = encoding;
  const protocol = req.headers["git-protocol"];
  if (typeof protocol === "string") env.GIT_PROTOCOL = protocol;
  const cgi = spawn("git", ["http-backend"], { env, stdio: ["pipe", "pipe", "inherit"] });
  // A backend that answers before reading its whole body (a refused request) closes its stdin: the
  // pipe's EPIPE is not the request's error, its answer is what it printed.
  cgi.stdin.on("error", (/** @type {NodeJS.ErrnoException} */ error) => {
    if (error.code !== "EPIPE") throw error;
  });
  req.pipe(cgi.stdin);
  /** @type {Buffer} */
  let head = Buffer.alloc(0);
  let headersDone = false;
  cgi.stdout.on("data", (/** @type {Buffer} */ chunk) => {
    if (headersDone) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    let end = head.indexOf("\r\n\r\n");
    let sep = 4;
    if (end < 0) {
      end = head.indexOf("\n\n");
      sep = 2;
    }
    if (end < 0) return;
    headersDone = true;
    let status = 200;
    for (const line of head.subarray(0, end).toString("latin1").split(/\r?\n/)) {
      const colon = line.indexOf(":");
      if (colon < 0) continue;
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === "status") status = Number.parseInt(value, 10);
      else res.setHeader(name, value);
    }
    res.writeHead(status);
    res.write(head.subarray(end + sep));
  });
  cgi.on("close", (code) => {
    if (!headersDone) {
      res.writeHead(500, { "content-type": "text/plain" });
      res.write(`git http-backend exited with ${String(code)} before answering\n`);
    }
    res.end();
  });
}

/**
 * Starts a git server for the repositories under `root` (bare or not), on 127.0.0.1.
 * @param {GitServerOptions} options
 * @returns {Promise<GitServer>}
 */
function startGitServer(options) {
  /** @type {string[]} */
  const requests = [];
  /** @type {http.RequestListener} */
  const handler = (req, res) => {
    const line = `${req.method ?? "?"} ${req.url ?? "?"}`;
    requests.push(line);
    if (options.log === true) console.error(`git server: ${line}`);
    serveGit(options.root, req, res);
  };
  const server = options.tls
    ? https.createServer({ key: readFileSync(options.tls.key), cert: readFileSync(options.tls.cert) }, handler)
    : http.createServer(handler);
  const scheme = options.tls ? "https" : "http";
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      resolve({
        url: `${scheme}://127.0.0.1:${String(port)}`,
        port,
        requests,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => {
              done();
            });
          }),
      });
    });
  });
}

module.exports = { startGitServer };

if (require.main === module) {
  const args = process.argv.slice(2);
  const root = args[0];
  if (root === undefined) {
    console.error("usage: node gitServer.cjs ROOT [--port N] [--tls KEY CERT]");
    process.exit(2);
  }
  const portAt = args.indexOf("--port");
  const tlsAt = args.indexOf("--tls");
  const key = tlsAt >= 0 ? args[tlsAt + 1] : undefined;
  const cert = tlsAt >= 0 ? args[tlsAt + 2] : undefined;
  startGitServer({
    root,
    log: true,
    ...(portAt >= 0 ? { port: Number(args[portAt + 1]) } : {}),
    ...(key !== undefined && cert !== undefined ? { tls: { key, cert } } : {}),
  }).then(
    (server) => {
      console.log(server.url);
      const stop = () => {
        void server.close().then(() => process.exit(0));
      };
      process.on("SIGTERM", stop);
      process.on("SIGINT", stop);
    },
    (/** @type {unknown} */ error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
