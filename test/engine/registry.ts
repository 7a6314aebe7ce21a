/**
 * A loopback stand-in for an OCI registry (Docker Hub's registry API, the
 * Distribution spec's `/v2/` endpoints), over HTTPS as the docker providers
 * insist: it serves the manifests of the tags it is given, answers
 * `Docker-Content-Digest` on HEAD and GET as registries do, 404s unknown
 * tags with the spec's MANIFEST_UNKNOWN error, and takes pushes (docker-build's
 * Index tags a promoted digest) with the spec's checks. It requires the basic
 * credentials it was given. Its certificate is self-signed for 127.0.0.1; a
 * process trusts it through SSL_CERT_FILE. It stands in only because Docker
 * Hub is out of reach; the provider reading it is the real one.
 */
import { listeningPort } from "../helpers/port";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer } from "node:https";
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from "node:net";
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
const configMediaType = "application/vnd.oci.image.config.v1+json";
const layerMediaType = "application/vnd.oci.image.layer.v1.tar+gzip";
/** The manifest media types the Distribution spec's registries take (OCI and Docker's). */
const manifestTypes = new Set([
  indexMediaType,
  manifestMediaType,
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.docker.distribution.manifest.v2+json",
]);
const isIndexType = (mediaType: string): boolean =>
  mediaType === indexMediaType || mediaType === "application/vnd.docker.distribution.manifest.list.v2+json";

const sha256 = (content: string | Buffer): string => `sha256:${createHash("sha256").update(content).digest("hex")}`;

interface Manifest {
  readonly mediaType: string;
  readonly body: Buffer;
}

/** One repository's content, as a registry keeps it: blobs and manifests by digest, tags naming manifests. */
interface RepositoryContent {
  readonly blobs: Map<string, Buffer>;
  readonly manifests: Map<string, Manifest>;
  readonly tags: Map<string, string>;
}

interface Descriptor {
  readonly mediaType?: unknown;
  readonly digest?: unknown;
  readonly size?: unknown;
}

type Answer = { readonly status: number; readonly headers?: Record<string, string>; readonly body?: string | Buffer };

const registryError = (status: number, code: string, message: string, detail?: unknown): Answer => ({
  status,
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ errors: [{ code, message, ...(detail === undefined ? {} : { detail }) }] }),
});

let certificate: { readonly key: Buffer; readonly cert: Buffer } | undefined;

/**
 * A throw-away self-signed certificate for 127.0.0.1 (the Go runtime checks the
 * IP SAN), made once per process: an RSA key takes openssl a noticeable time,
 * and every stand-in of a process can present the same one.
 */
function selfSignedCertificate(): { readonly key: Buffer; readonly cert: Buffer } {
  if (certificate !== undefined) return certificate;
  const dir = mkdtempSync(join(tmpdir(), "registry-certificate-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
      ],
      // Bounded: a synchronous call the suite's timeouts cannot interrupt.
      { stdio: "ignore", timeout: 60_000, killSignal: "SIGKILL" },
    );
    certificate = { key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) };
    return certificate;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Content-addressed, as the Distribution spec's registries are: every tag it
 * is given is a real OCI index of real image manifests (a config and a layer
 * blob each), served by tag or digest. A client may push what a registry takes
 * (blob uploads, monolithic or chunked, and cross-repository mounts; manifests
 * by tag or digest), and is refused what a registry refuses: a manifest whose
 * blobs or child manifests the repository lacks (MANIFEST_BLOB_UNKNOWN), a
 * digest that is not the content's (DIGEST_INVALID), a body that is not the
 * media type it claims (MANIFEST_INVALID). Docker Hub deletes nothing through
 * this API (UNSUPPORTED), which is why the program retains its images.
 */
export class RegistryStandIn {
  readonly calls: RegistryCall[] = [];
  /** The PEM certificate a client must trust (SSL_CERT_FILE). */
  readonly certFile: string;
  private readonly dir: string;
  /** One port for both schemes (see start). */
  private server: TcpServer | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly repositories = new Map<string, RepositoryContent>();
  private readonly uploads = new Map<string, { readonly repository: string; data: Buffer }>();
  private nextUpload = 1;

  constructor(
    tags: readonly RegistryTag[],
    private readonly credentials: { readonly username: string; readonly password: string },
  ) {
    this.dir = mkdtempSync(join(tmpdir(), "registry-stand-in-"));
    this.certFile = join(this.dir, "cert.pem");
    const { key, cert } = selfSignedCertificate();
    writeFileSync(join(this.dir, "key.pem"), key);
    writeFileSync(this.certFile, cert);
    for (const t of tags) {
      const repo = this.repository(t.repository);
      const children = t.platforms.map((p) => {
        const [os = "", architecture = ""] = p.split("/");
        const config = Buffer.from(
          JSON.stringify({ architecture, os, rootfs: { type: "layers", diff_ids: [] }, config: { Labels: { tag: t.tag } } }),
        );
        const layer = Buffer.from(`layer of ${t.repository}:${t.tag} for ${p}`);
        repo.blobs.set(sha256(config), config);
        repo.blobs.set(sha256(layer), layer);
        const manifest = Buffer.from(
          JSON.stringify({
            schemaVersion: 2,
            mediaType: manifestMediaType,
            config: { mediaType: configMediaType, digest: sha256(config), size: config.length },
            layers: [{ mediaType: layerMediaType, digest: sha256(layer), size: layer.length }],
          }),
        );
        repo.manifests.set(sha256(manifest), { mediaType: manifestMediaType, body: manifest });
        return { mediaType: manifestMediaType, digest: sha256(manifest), size: manifest.length, platform: { architecture, os } };
      });
      const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: indexMediaType, manifests: children }));
      repo.manifests.set(sha256(index), { mediaType: indexMediaType, body: index });
      repo.tags.set(t.tag, sha256(index));
    }
  }

  /** The registry host as a stack's `registry` setting names it. */
  get host(): string {
    return `127.0.0.1:${String(listeningPort(this.server, "the registry stand-in"))}`;
  }

  /** The digest a tag names now (what a client must end up deploying); undefined: no such tag. */
  tagDigest(repository: string, tag: string): string | undefined {
    return this.repositories.get(repository)?.tags.get(tag);
  }

  /** The digest the registry serves for a tag; throws when there is none. */
  digestOf(repository: string, tag: string): string {
    const digest = this.tagDigest(repository, tag);
    if (digest === undefined) throw new Error(`no tag ${repository}:${tag}`);
    return digest;
  }

  /** Every tag of a repository. */
  tagsOf(repository: string): string[] {
    return [...(this.repositories.get(repository)?.tags.keys() ?? [])].sort();
  }

  /**
   * HTTPS and plain HTTP on one port, as a registry on a loopback address is
   * reached: the docker provider insists on HTTPS, while BuildKit's resolver
   * (docker-build's Index push) speaks plain HTTP to any loopback host
   * (containerd's MatchLocalhost). A connection whose first byte opens a TLS
   * handshake goes to the HTTPS server, any other to the HTTP one.
   */
  async start(): Promise<this> {
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      void this.handle(req, res);
    };
    const tls = createServer({ key: readFileSync(join(this.dir, "key.pem")), cert: readFileSync(this.certFile) }, handler);
    const plain = createHttpServer(handler);
    this.server = createTcpServer((socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
      socket.once("data", (first: Buffer) => {
        socket.pause();
        socket.unshift(first);
        (first[0] === 0x16 ? tls : plain).emit("connection", socket);
        process.nextTick(() => socket.resume());
      });
    });
    await listen(this.server);
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await close(this.server);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private repository(name: string): RepositoryContent {
    let repo = this.repositories.get(name);
    if (repo === undefined) {
      repo = { blobs: new Map(), manifests: new Map(), tags: new Map() };
      this.repositories.set(name, repo);
    }
    return repo;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", "https://127.0.0.1");
    const answer = this.answer(method, url, req, body);
    this.calls.push({ method, path: url.pathname, status: answer.status });
    res.writeHead(answer.status, { "docker-distribution-api-version": "registry/2.0", ...answer.headers });
    res.end(method === "HEAD" ? undefined : answer.body);
  }

  private answer(method: string, url: URL, req: IncomingMessage, body: Buffer): Answer {
    const path = url.pathname;
    const expected = `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString("base64")}`;
    if (req.headers.authorization !== expected) {
      return {
        ...registryError(401, "UNAUTHORIZED", "authentication required"),
        headers: { "content-type": "application/json", "www-authenticate": `Basic realm="${this.host}"` },
      };
    }
    if (path === "/v2/" || path === "/v2") return { status: 200, headers: { "content-type": "application/json" }, body: "{}" };
    const manifest = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(path);
    if (manifest !== null) return this.manifestRequest(method, manifest[1] ?? "", manifest[2] ?? "", req, body);
    const blob = /^\/v2\/(.+)\/blobs\/(sha256:[0-9a-f]{64})$/.exec(path);
    if (blob !== null && (method === "GET" || method === "HEAD")) {
      const content = this.repositories.get(blob[1] ?? "")?.blobs.get(blob[2] ?? "");
      if (content === undefined) return registryError(404, "BLOB_UNKNOWN", "blob unknown to registry", blob[2]);
      return {
        status: 200,
        headers: {
          "content-type": "application/octet-stream",
          "docker-content-digest": blob[2] ?? "",
          "content-length": String(content.length),
        },
        body: content,
      };
    }
    const startUpload = /^\/v2\/(.+)\/blobs\/uploads\/?$/.exec(path);
    if (startUpload !== null && method === "POST") return this.startUpload(startUpload[1] ?? "", url);
    const upload = /^\/v2\/(.+)\/blobs\/uploads\/([^/]+)$/.exec(path);
    if (upload !== null && (method === "PATCH" || method === "PUT"))
      return this.continueUpload(method, upload[1] ?? "", upload[2] ?? "", url, body);
    return registryError(405, "UNSUPPORTED", `the operation is unsupported: ${method} ${path}`);
  }

  private manifestRequest(method: string, repository: string, reference: string, req: IncomingMessage, body: Buffer): Answer {
    const repo = this.repositories.get(repository);
    if (method === "GET" || method === "HEAD") {
      const digest = reference.startsWith("sha256:") ? reference : repo?.tags.get(reference);
      const found = digest === undefined ? undefined : repo?.manifests.get(digest);
      if (digest === undefined || found === undefined)
        return registryError(404, "MANIFEST_UNKNOWN", "manifest unknown", { Tag: reference });
      return {
        status: 200,
        headers: { "content-type": found.mediaType, "docker-content-digest": digest, "content-length": String(found.body.length) },
        body: found.body,
      };
    }
    if (method === "DELETE") return registryError(405, "UNSUPPORTED", "The operation is unsupported.");
    if (method !== "PUT") return registryError(405, "UNSUPPORTED", `the operation is unsupported: ${method}`);
    const mediaType = (req.headers["content-type"] ?? "").split(";")[0]?.trim() ?? "";
    let parsed: { mediaType?: unknown; manifests?: Descriptor[]; config?: Descriptor; layers?: Descriptor[] };
    try {
      parsed = JSON.parse(body.toString("utf8")) as typeof parsed;
    } catch {
      return registryError(400, "MANIFEST_INVALID", "manifest invalid", "not JSON");
    }
    if (!manifestTypes.has(mediaType) || (parsed.mediaType !== undefined && parsed.mediaType !== mediaType)) {
      return registryError(
        400,
        "MANIFEST_INVALID",
        "manifest invalid",
        `content type ${mediaType} does not match the manifest's mediaType ${String(parsed.mediaType)}`,
      );
    }
    const digest = sha256(body);
    if (reference.startsWith("sha256:") && reference !== digest)
      return registryError(400, "DIGEST_INVALID", "provided digest did not match uploaded content", { reference, digest });
    const target = this.repository(repository);
    const referenced = isIndexType(mediaType)
      ? (parsed.manifests ?? [])
      : [...(parsed.config === undefined ? [] : [parsed.config]), ...(parsed.layers ?? [])];
    for (const d of referenced) {
      const known = isIndexType(mediaType) ? target.manifests.has(String(d.digest)) : target.blobs.has(String(d.digest));
      if (!known) return registryError(400, "MANIFEST_BLOB_UNKNOWN", "blob unknown to registry", String(d.digest));
    }
    target.manifests.set(digest, { mediaType, body });
    if (!reference.startsWith("sha256:")) target.tags.set(reference, digest);
    return {
      status: 201,
      headers: { location: `/v2/${repository}/manifests/${digest}`, "docker-content-digest": digest, "content-length": "0" },
    };
  }

  /** POST uploads/: a cross-repository mount when the blob is there, else an upload session. */
  private startUpload(repository: string, url: URL): Answer {
    const mount = url.searchParams.get("mount");
    const from = url.searchParams.get("from");
    if (mount !== null && from !== null) {
      const content = this.repositories.get(from)?.blobs.get(mount);
      if (content !== undefined) {
        this.repository(repository).blobs.set(mount, content);
        return {
          status: 201,
          headers: { location: `/v2/${repository}/blobs/${mount}`, "docker-content-digest": mount, "content-length": "0" },
        };
      }
    }
    const id = `upload-${String(this.nextUpload++)}`;
    this.uploads.set(id, { repository, data: Buffer.alloc(0) });
    return {
      status: 202,
      headers: { location: `/v2/${repository}/blobs/uploads/${id}`, range: "0-0", "docker-upload-uuid": id, "content-length": "0" },
    };
  }

  /** PATCH adds a chunk; PUT ?digest= ends the upload, refused when the digest is not the content's. */
  private continueUpload(method: string, repository: string, id: string, url: URL, body: Buffer): Answer {
    const session = this.uploads.get(id);
    if (session?.repository !== repository) return registryError(404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry");
    session.data = Buffer.concat([session.data, body]);
    if (method === "PATCH") {
      return {
        status: 202,
        headers: {
          location: `/v2/${repository}/blobs/uploads/${id}`,
          range: `0-${String(Math.max(session.data.length - 1, 0))}`,
          "docker-upload-uuid": id,
          "content-length": "0",
        },
      };
    }
    const digest = url.searchParams.get("digest") ?? "";
    this.uploads.delete(id);
    if (digest !== sha256(session.data))
      return registryError(400, "DIGEST_INVALID", "provided digest did not match uploaded content", { digest });
    this.repository(repository).blobs.set(digest, session.data);
    return {
      status: 201,
      headers: { location: `/v2/${repository}/blobs/${digest}`, "docker-content-digest": digest, "content-length": "0" },
    };
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
        res.writeHead(200, {
          "api-version": "1.47",
          "docker-experimental": "false",
          ostype: "linux",
          "content-type": "text/plain; charset=utf-8",
        });
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
