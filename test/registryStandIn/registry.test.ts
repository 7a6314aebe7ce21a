// The registry stand-in on its own: it answers as the Distribution spec's registries (Docker Hub's
// registry API) do, and refuses what they refuse, so the docker providers' reads and docker-build's
// Index push in the engine suite meet a registry's rules, not a lenient echo.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { request } from "node:https";
import { afterEach, describe, expect, it } from "vitest";
import { RegistryStandIn } from "../engine/registry";

const repository = "acme/learning-voice-agent";
const credentials = { username: "acmebot", password: "registry-test-token" };
const basic = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`;
const index = "application/vnd.oci.image.index.v1+json";
const sha256 = (content: string | Buffer): string => `sha256:${createHash("sha256").update(content).digest("hex")}`;

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

let registry: RegistryStandIn | undefined;
afterEach(async () => {
  await registry?.stop();
  registry = undefined;
});

async function start(): Promise<RegistryStandIn> {
  registry = await new RegistryStandIn(
    [{ repository, tag: "verified-sha-abc", platforms: ["linux/amd64", "linux/arm64"] }],
    credentials,
  ).start();
  return registry;
}

function call(
  r: RegistryStandIn,
  method: string,
  path: string,
  options: { body?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const [host, port] = r.host.split(":");
    const req = request(
      { host, port: Number(port), method, path, ca: readFileSync(r.certFile), headers: { authorization: basic, ...options.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() });
        });
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

const errorCode = (reply: Reply): string => (JSON.parse(reply.body) as { errors: { code: string }[] }).errors[0]?.code ?? "";

describe("the registry stand-in", () => {
  it("serves a tag as a real multi-platform OCI index, by tag and by digest, each child manifest and blob content-addressed", async () => {
    const r = await start();
    const byTag = await call(r, "GET", `/v2/${repository}/manifests/verified-sha-abc`);
    expect(byTag.status).toBe(200);
    expect(byTag.headers["content-type"]).toBe(index);
    const digest = String(byTag.headers["docker-content-digest"]);
    expect(digest).toBe(sha256(byTag.body));
    expect(r.digestOf(repository, "verified-sha-abc")).toBe(digest);
    const parsed = JSON.parse(byTag.body) as { manifests: { digest: string; platform: { os: string; architecture: string } }[] };
    expect(parsed.manifests.map((m) => `${m.platform.os}/${m.platform.architecture}`)).toEqual(["linux/amd64", "linux/arm64"]);
    expect((await call(r, "HEAD", `/v2/${repository}/manifests/${digest}`)).headers["docker-content-digest"]).toBe(digest);
    for (const child of parsed.manifests) {
      const manifest = await call(r, "GET", `/v2/${repository}/manifests/${child.digest}`);
      expect(sha256(manifest.body)).toBe(child.digest);
      const { config, layers } = JSON.parse(manifest.body) as { config: { digest: string }; layers: { digest: string }[] };
      for (const blob of [config, ...layers])
        expect(sha256((await call(r, "GET", `/v2/${repository}/blobs/${blob.digest}`)).body)).toBe(blob.digest);
    }
  });

  it("answers plain HTTP on the same port, as BuildKit's resolver speaks to a loopback registry", async () => {
    const r = await start();
    const reply = await fetch(`http://${r.host}/v2/${repository}/manifests/verified-sha-abc`, { headers: { authorization: basic } });
    expect(reply.status).toBe(200);
    expect(reply.headers.get("docker-content-digest")).toBe(r.digestOf(repository, "verified-sha-abc"));
  });

  it("refuses what a registry refuses: no credentials (401 with a challenge), unknown tags and blobs, deletes (Docker Hub's API has none)", async () => {
    const r = await start();
    const anonymous = await call(r, "GET", `/v2/${repository}/manifests/verified-sha-abc`, { headers: { authorization: "" } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers["www-authenticate"]).toMatch(/^Basic realm=/);
    const wrong = await call(r, "GET", "/v2/", { headers: { authorization: `Basic ${Buffer.from("acmebot:wrong").toString("base64")}` } });
    expect(errorCode(wrong)).toBe("UNAUTHORIZED");
    const unknown = await call(r, "GET", `/v2/${repository}/manifests/verified-sha-nope`);
    expect([unknown.status, errorCode(unknown)]).toEqual([404, "MANIFEST_UNKNOWN"]);
    const blob = await call(r, "HEAD", `/v2/${repository}/blobs/${sha256("nothing")}`);
    expect(blob.status).toBe(404);
    const del = await call(r, "DELETE", `/v2/${repository}/manifests/verified-sha-abc`);
    expect([del.status, errorCode(del)]).toEqual([405, "UNSUPPORTED"]);
    expect(r.tagsOf(repository)).toEqual(["verified-sha-abc"]);
  });

  it("takes a pushed index under a new tag (what docker-build's Index does with a promoted digest)", async () => {
    const r = await start();
    const body = (await call(r, "GET", `/v2/${repository}/manifests/verified-sha-abc`)).body;
    const put = await call(r, "PUT", `/v2/${repository}/manifests/v1.4.2`, { body, headers: { "content-type": index } });
    expect(put.status).toBe(201);
    expect(put.headers["docker-content-digest"]).toBe(sha256(body));
    expect(r.tagDigest(repository, "v1.4.2")).toBe(r.digestOf(repository, "verified-sha-abc"));
  });

  it("refuses a manifest whose children the repository lacks, a digest that is not the content's, a body that is not its media type", async () => {
    const r = await start();
    const orphan = JSON.stringify({
      schemaVersion: 2,
      mediaType: index,
      manifests: [{ mediaType: "application/vnd.oci.image.manifest.v1+json", digest: sha256("absent"), size: 7 }],
    });
    const missing = await call(r, "PUT", `/v2/${repository}/manifests/v9`, { body: orphan, headers: { "content-type": index } });
    expect([missing.status, errorCode(missing)]).toEqual([400, "MANIFEST_BLOB_UNKNOWN"]);
    const body = (await call(r, "GET", `/v2/${repository}/manifests/verified-sha-abc`)).body;
    const digest = await call(r, "PUT", `/v2/${repository}/manifests/${sha256("other")}`, { body, headers: { "content-type": index } });
    expect([digest.status, errorCode(digest)]).toEqual([400, "DIGEST_INVALID"]);
    const mismatch = await call(r, "PUT", `/v2/${repository}/manifests/v9`, {
      body,
      headers: { "content-type": "application/vnd.oci.image.manifest.v1+json" },
    });
    expect([mismatch.status, errorCode(mismatch)]).toEqual([400, "MANIFEST_INVALID"]);
    expect(r.tagDigest(repository, "v9")).toBeUndefined();
  });

  it("takes a blob upload only with the content's digest, and mounts a blob from another repository that has it", async () => {
    const r = await start();
    const content = Buffer.from("a layer");
    const session = await call(r, "POST", `/v2/${repository}/blobs/uploads/`);
    expect(session.status).toBe(202);
    const location = String(session.headers["location"]);
    const bad = await call(r, "PUT", `${location}?digest=${sha256("something else")}`, { body: content });
    expect([bad.status, errorCode(bad)]).toEqual([400, "DIGEST_INVALID"]);
    const again = String((await call(r, "POST", `/v2/${repository}/blobs/uploads/`)).headers["location"]);
    expect((await call(r, "PATCH", again, { body: content })).status).toBe(202);
    expect((await call(r, "PUT", `${again}?digest=${sha256(content)}`)).status).toBe(201);
    expect((await call(r, "HEAD", `/v2/${repository}/blobs/${sha256(content)}`)).status).toBe(200);
    const mount = await call(r, "POST", `/v2/acme/other/blobs/uploads/?mount=${sha256(content)}&from=${repository}`);
    expect(mount.status).toBe(201);
    expect((await call(r, "HEAD", `/v2/acme/other/blobs/${sha256(content)}`)).status).toBe(200);
  });
});
