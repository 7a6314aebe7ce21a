/**
 * A small client of the OCI Distribution API (what Docker Hub and every other
 * registry speak), for the signatures staging pushes and production reads:
 * manifests by tag or digest, blobs, and monolithic blob uploads. It logs in
 * the way the registry's 401 challenge asks: Basic credentials, or a Bearer
 * token from the challenge's realm (Docker Hub's auth.docker.io) for the
 * repository's pull and push scope.
 */
import { createHash } from "node:crypto";
import { send, type HttpAnswer, type HttpRequest } from "./http";

export interface RegistryLogin {
  readonly username: string;
  readonly password: string;
}

/** `docker.io/acme/app@sha256:...` split into what the API needs. */
export interface ImageName {
  /** The host the API answers on (`registry-1.docker.io` for Docker Hub). */
  readonly host: string;
  /** The repository path (`acme/app`; Docker Hub's single names are `library/<name>`). */
  readonly repository: string;
}

export class RegistryError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export const ociManifestType = "application/vnd.oci.image.manifest.v1+json";
export const ociIndexType = "application/vnd.oci.image.index.v1+json";
const manifestAccept = [
  ociManifestType,
  ociIndexType,
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
].join(", ");

export function sha256Digest(content: Buffer | string): string {
  return `sha256:${createHash("sha256").update(content).digest("hex")}`;
}

/** The API host and repository of an image name (`<registry>/<path>`, without tag or digest). */
export function imageName(repositoryRef: string): ImageName {
  const slash = repositoryRef.indexOf("/");
  const registry = repositoryRef.slice(0, slash);
  const path = repositoryRef.slice(slash + 1);
  if (registry === "docker.io" || registry === "index.docker.io") {
    return { host: "registry-1.docker.io", repository: path.includes("/") ? path : `library/${path}` };
  }
  return { host: registry, repository: path };
}

/** The parameters of a `WWW-Authenticate` challenge: `Bearer realm="...",service="...",scope="..."`. */
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const space = header.indexOf(" ");
  const scheme = (space === -1 ? header : header.slice(0, space)).toLowerCase();
  const params: Record<string, string> = {};
  for (const match of header.slice(space + 1).matchAll(/([a-zA-Z_]+)="([^"]*)"/g)) params[match[1] ?? ""] = match[2] ?? "";
  return { scheme, params };
}

export interface Manifest {
  readonly digest: string;
  readonly mediaType: string;
  readonly body: Buffer;
}

export class RegistryClient {
  private authorization: string | undefined;

  constructor(
    private readonly name: ImageName,
    private readonly login: RegistryLogin | undefined,
    private readonly transport: (req: HttpRequest) => Promise<HttpAnswer> = send,
  ) {}

  private url(path: string): string {
    return `https://${this.name.host}/v2/${this.name.repository}/${path}`;
  }

  /** Sends a request; on a 401, logs in as the challenge asks and sends it once more. */
  private async call(req: HttpRequest): Promise<HttpAnswer> {
    const withAuth = (): HttpRequest => ({
      ...req,
      headers: { ...req.headers, ...(this.authorization === undefined ? {} : { authorization: this.authorization }) },
    });
    const first = await this.transport(withAuth());
    if (first.status !== 401) return first;
    const challenge = first.headers["www-authenticate"];
    if (typeof challenge !== "string" || this.login === undefined) return first;
    await this.answerChallenge(challenge);
    return this.transport(withAuth());
  }

  private async answerChallenge(header: string): Promise<void> {
    const login = this.login;
    if (login === undefined) return;
    const basic = `Basic ${Buffer.from(`${login.username}:${login.password}`).toString("base64")}`;
    const { scheme, params } = parseChallenge(header);
    if (scheme === "basic") {
      this.authorization = basic;
      return;
    }
    const realm = params["realm"];
    if (scheme !== "bearer" || realm === undefined) throw new RegistryError(`${this.name.host} asks for an unknown login: ${header}`, 401);
    const token = new URL(realm);
    if (params["service"] !== undefined) token.searchParams.set("service", params["service"]);
    token.searchParams.set("scope", `repository:${this.name.repository}:pull,push`);
    const answer = await this.transport({ method: "GET", url: token.toString(), headers: { authorization: basic } });
    if (answer.status !== 200) {
      throw new RegistryError(
        `${token.origin} refused the login of ${login.username} (HTTP ${answer.status}): check the registry token`,
        answer.status,
      );
    }
    const body = JSON.parse(answer.body.toString("utf8")) as { token?: string; access_token?: string };
    const value = body.token ?? body.access_token;
    if (value === undefined) throw new RegistryError(`${token.origin} answered no token`, answer.status);
    this.authorization = `Bearer ${value}`;
  }

  private failure(what: string, answer: HttpAnswer): RegistryError {
    const detail = answer.body.toString("utf8").slice(0, 300);
    const hint =
      answer.status === 401 || answer.status === 403
        ? " (the registry refused the credentials: check the registry token and its scope)"
        : "";
    return new RegistryError(
      `${what} in ${this.name.host}/${this.name.repository}: HTTP ${answer.status}${hint} ${detail}`.trim(),
      answer.status,
    );
  }

  /** The manifest a tag or digest names; `undefined` when the registry has none (404). */
  async manifest(reference: string): Promise<Manifest | undefined> {
    const answer = await this.call({ method: "GET", url: this.url(`manifests/${reference}`), headers: { accept: manifestAccept } });
    if (answer.status === 404) return undefined;
    if (answer.status !== 200) throw this.failure(`GET manifest ${reference}`, answer);
    const digest = sha256Digest(answer.body);
    const header = answer.headers["docker-content-digest"];
    if (reference.startsWith("sha256:") && digest !== reference)
      throw new RegistryError(`manifest ${reference} arrived with digest ${digest}`, 200);
    if (typeof header === "string" && header !== digest)
      throw new RegistryError(`manifest ${reference}: the registry says ${header}, the bytes are ${digest}`, 200);
    const mediaType =
      (JSON.parse(answer.body.toString("utf8")) as { mediaType?: string }).mediaType ?? answer.headers["content-type"] ?? "";
    return { digest, mediaType, body: answer.body };
  }

  async blob(digest: string): Promise<Buffer> {
    const answer = await this.call({ method: "GET", url: this.url(`blobs/${digest}`) });
    if (answer.status !== 200) throw this.failure(`GET blob ${digest}`, answer);
    if (sha256Digest(answer.body) !== digest) throw new RegistryError(`blob ${digest} arrived with other bytes`, 200);
    return answer.body;
  }

  /** Uploads a blob unless the registry has it (a POST for an upload URL, then one PUT of the whole blob). */
  async pushBlob(content: Buffer): Promise<string> {
    const digest = sha256Digest(content);
    const head = await this.call({ method: "HEAD", url: this.url(`blobs/${digest}`) });
    if (head.status === 200) return digest;
    const start = await this.call({ method: "POST", url: this.url("blobs/uploads/") });
    const location = start.headers["location"];
    if (start.status !== 202 || typeof location !== "string") throw this.failure("start a blob upload", start);
    const upload = new URL(location, this.url(""));
    upload.searchParams.set("digest", digest);
    const put = await this.call({
      method: "PUT",
      url: upload.toString(),
      headers: { "content-type": "application/octet-stream" },
      body: content,
    });
    if (put.status !== 201) throw this.failure(`upload blob ${digest}`, put);
    return digest;
  }

  async pushManifest(tag: string, mediaType: string, body: Buffer): Promise<string> {
    const answer = await this.call({ method: "PUT", url: this.url(`manifests/${tag}`), headers: { "content-type": mediaType }, body });
    if (answer.status !== 201) throw this.failure(`PUT manifest ${tag}`, answer);
    return sha256Digest(body);
  }
}
