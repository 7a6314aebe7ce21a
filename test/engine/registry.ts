/**
 * A loopback stand-in for an OCI registry (Docker Hub's registry API, the
 * Distribution spec's `/v2/` endpoints), over HTTPS as the docker provider
 * insists: it serves the manifests of the tags it is given, answers
 * `Docker-Content-Digest` on HEAD and GET as registries do, and 404s unknown
 * tags with the spec's MANIFEST_UNKNOWN error. It requires the basic
 * credentials it was given. Its certificate is self-signed for 127.0.0.1; a
 * process trusts it through SSL_CERT_FILE. It stands in only because Docker
 * Hub is out of reach; the provider reading it is the real one.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { close, listen } from "./loopback";

export interface RegistryTag {
  /** `<namespace>/<name>` */
  readonly repository: string;
  readonly tag: string;
  /** `os/architecture` of each image in the index. */
  readonly platforms: readonly string[];
}

export interface RegistryCall {
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

const indexMediaType = "application/vnd.oci.image.index.v1+json";
const manifestMediaType = "application/vnd.oci.image.manifest.v1+json";

const sha256 = (text: string): string => `sha256:${createHash("sha256").update(text).digest("hex")}`;

export class RegistryStandIn {
  readonly calls: RegistryCall[] = [];
  /** The PEM certificate a client must trust (SSL_CERT_FILE). */
  readonly certFile: string;
  private readonly dir: string;
  private server: Server | undefined;
  private readonly manifests = new Map<string, string>();

  constructor(
    tags: readonly RegistryTag[],
    private readonly credentials: { readonly username: string; readonly password: string },
  ) {
    this.dir = mkdtempSync(join(tmpdir(), "registry-stand-in-"));
    this.certFile = join(this.dir, "cert.pem");
    // A throw-away self-signed certificate for 127.0.0.1 (the Go runtime checks the IP SAN).
    execFileSync("openssl", [
      "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
      "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", join(this.dir, "key.pem"), "-out", this.certFile,
    ], { stdio: "ignore" });
    for (const t of tags) {
      const index = JSON.stringify({
        schemaVersion: 2,
        mediaType: indexMediaType,
        manifests: t.platforms.map((p) => {
          const [os = "", architecture = ""] = p.split("/");
          return { mediaType: manifestMediaType, digest: sha256(`${t.repository}:${t.tag}:${p}`), size: 1234, platform: { architecture, os } };
        }),
      });
      this.manifests.set(`${t.repository}:${t.tag}`, index);
    }
  }

  /** The registry host as a stack's `registry` setting names it. */
  get host(): string {
    return `127.0.0.1:${String((this.server?.address() as AddressInfo).port)}`;
  }

  /** The digest the registry serves for a tag (what a client must end up deploying). */
  digestOf(repository: string, tag: string): string {
    const manifest = this.manifests.get(`${repository}:${tag}`);
    if (manifest === undefined) throw new Error(`no tag ${repository}:${tag}`);
    return sha256(manifest);
  }

  async start(): Promise<this> {
    this.server = createServer({ key: readFileSync(join(this.dir, "key.pem")), cert: readFileSync(this.certFile) }, (req, res) => {
      this.handle(req, res);
    });
    await listen(this.server);
    return this;
  }

  async stop(): Promise<void> {
    await close(this.server);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const method = req.method ?? "GET";
    const path = new URL(req.url ?? "/", "https://127.0.0.1").pathname;
    const answer = (status: number, headers: Record<string, string>, body: string): void => {
      this.calls.push({ method, path, status });
      res.writeHead(status, { "docker-distribution-api-version": "registry/2.0", ...headers });
      res.end(method === "HEAD" ? undefined : body);
    };
    const expected = `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString("base64")}`;
    if (req.headers.authorization !== expected) {
      answer(401, { "content-type": "application/json", "www-authenticate": `Basic realm="${this.host}"` }, JSON.stringify({ errors: [{ code: "UNAUTHORIZED", message: "authentication required" }] }));
      return;
    }
    const match = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(path);
    if (path === "/v2/" || path === "/v2") {
      answer(200, { "content-type": "application/json" }, "{}");
      return;
    }
    if (match === null || (method !== "GET" && method !== "HEAD")) {
      answer(404, { "content-type": "application/json" }, JSON.stringify({ errors: [{ code: "UNSUPPORTED", message: `${method} ${path}` }] }));
      return;
    }
    const [, repository = "", reference = ""] = match;
    const manifest = this.manifests.get(`${repository}:${reference}`);
    if (manifest === undefined) {
      answer(404, { "content-type": "application/json" }, JSON.stringify({ errors: [{ code: "MANIFEST_UNKNOWN", message: "manifest unknown", detail: { Tag: reference } }] }));
      return;
    }
    answer(200, { "content-type": indexMediaType, "docker-content-digest": sha256(manifest), "content-length": String(Buffer.byteLength(manifest)) }, manifest);
  }
}

/**
 * Answers a Docker client's ping on `$HOME/.docker/run/docker.sock`, the
 * user-socket fallback the docker provider tries. Why: the docker plugin's
 * native half pings a daemon in Configure even with `disableDockerDaemonCheck`
 * (pulumi/pulumi-docker#1106), so a registry look-up fails on a machine
 * without Docker. Nothing but the ping is answered: the look-ups themselves
 * go to the registry, and anything else gets 501.
 */
export class DockerPingStandIn {
  readonly home: string;
  readonly requests: string[] = [];
  private server: import("node:http").Server | undefined;

  constructor() {
    this.home = mkdtempSync(join(tmpdir(), "docker-home-"));
  }

  async start(): Promise<this> {
    const { createServer: createHttpServer } = await import("node:http");
    const { mkdirSync } = await import("node:fs");
    const socketDir = join(this.home, ".docker", "run");
    mkdirSync(socketDir, { recursive: true });
    this.server = createHttpServer((req, res) => {
      const path = new URL(req.url ?? "/", "http://docker").pathname;
      this.requests.push(`${req.method ?? "GET"} ${path}`);
      if (/^(\/v[0-9.]+)?\/_ping$/.test(path)) {
        res.writeHead(200, { "api-version": "1.47", "docker-experimental": "false", ostype: "linux", "content-type": "text/plain; charset=utf-8" });
        res.end(req.method === "HEAD" ? undefined : "OK");
      } else {
        res.writeHead(501, { "content-type": "application/json" });
        res.end(JSON.stringify({ message: `the ping stand-in does not serve ${path}` }));
      }
    });
    await listen(this.server, join(socketDir, "docker.sock"));
    return this;
  }

  async stop(): Promise<void> {
    await close(this.server);
    rmSync(this.home, { recursive: true, force: true });
  }
}
