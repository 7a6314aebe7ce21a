// The registry client's logins and refusals, against a scripted transport (Docker Hub's Bearer challenge
// cannot be reached from here; its shape is the Distribution token spec's), and the sign and verify
// commands as @pulumi/command runs them, against the registry stand-in.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../../src/signing/cli";
import type { HttpAnswer, HttpRequest } from "../../src/signing/http";
import { imageName, parseChallenge, RegistryClient, RegistryError, sha256Digest } from "../../src/signing/registryClient";
import { sign } from "../../src/signing/signCli";
import { verify } from "../../src/signing/verifyCli";
import { RegistryStandIn } from "../engine/registry";

const answer = (status: number, headers: Record<string, string> = {}, body: string | Buffer = ""): HttpAnswer => ({
  status,
  headers,
  body: Buffer.isBuffer(body) ? body : Buffer.from(body),
});

describe("image names and challenges", () => {
  it("maps Docker Hub to its API host and library namespace, any other registry to itself", () => {
    expect(imageName("docker.io/acme/app")).toEqual({ host: "registry-1.docker.io", repository: "acme/app" });
    expect(imageName("docker.io/redis")).toEqual({ host: "registry-1.docker.io", repository: "library/redis" });
    expect(imageName("index.docker.io/acme/app")).toEqual({ host: "registry-1.docker.io", repository: "acme/app" });
    expect(imageName("vm:5000/acme/app")).toEqual({ host: "vm:5000", repository: "acme/app" });
  });

  it("reads a WWW-Authenticate challenge", () => {
    expect(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:a/b:pull"')).toEqual({
      scheme: "bearer",
      params: { realm: "https://auth.docker.io/token", service: "registry.docker.io", scope: "repository:a/b:pull" },
    });
    expect(parseChallenge('Basic realm="vm"').scheme).toBe("basic");
  });
});

describe("logging in as the registry asks", () => {
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json" }));

  it("answers a Bearer challenge with a token from its realm for pull and push, then sends it", async () => {
    const seen: HttpRequest[] = [];
    const transport = (req: HttpRequest): Promise<HttpAnswer> => {
      seen.push(req);
      if (req.url.startsWith("https://auth.example/token")) return Promise.resolve(answer(200, {}, JSON.stringify({ token: "t0k" })));
      if (req.headers?.["authorization"] === "Bearer t0k")
        return Promise.resolve(answer(200, { "docker-content-digest": sha256Digest(manifest) }, manifest));
      return Promise.resolve(answer(401, { "www-authenticate": 'Bearer realm="https://auth.example/token",service="reg"' }));
    };
    const client = new RegistryClient({ host: "reg.example", repository: "acme/app" }, { username: "bot", password: "pw" }, transport);
    expect((await client.manifest("v1"))?.digest).toBe(sha256Digest(manifest));
    const token = new URL(seen[1]?.url ?? "");
    expect(token.searchParams.get("scope")).toBe("repository:acme/app:pull,push");
    expect(token.searchParams.get("service")).toBe("reg");
    expect(seen[1]?.headers?.["authorization"]).toBe(`Basic ${Buffer.from("bot:pw").toString("base64")}`);
    // Logged in once: the next request carries the token at once.
    await client.manifest("v1");
    expect(seen).toHaveLength(4);
  });

  it("says the token was refused when the realm refuses the login, and when a challenge is of an unknown kind", async () => {
    const refused = new RegistryClient({ host: "reg", repository: "a/b" }, { username: "u", password: "p" }, (req) =>
      Promise.resolve(req.url.includes("/token") ? answer(401) : answer(401, { "www-authenticate": 'Bearer realm="https://auth/token"' })),
    );
    await expect(refused.manifest("x")).rejects.toThrow("refused the login of u (HTTP 401): check the registry token");
    const odd = new RegistryClient({ host: "reg", repository: "a/b" }, { username: "u", password: "p" }, () =>
      Promise.resolve(answer(401, { "www-authenticate": "Negotiate" })),
    );
    await expect(odd.manifest("x")).rejects.toBeInstanceOf(RegistryError);
    const noToken = new RegistryClient({ host: "reg", repository: "a/b" }, { username: "u", password: "p" }, (req) =>
      Promise.resolve(
        req.url.includes("/token") ? answer(200, {}, "{}") : answer(401, { "www-authenticate": 'Bearer realm="https://auth/token"' }),
      ),
    );
    await expect(noToken.manifest("x")).rejects.toThrow("answered no token");
  });

  it("refuses bytes that are not the digest asked for, or not what the registry says they are", async () => {
    const lying = new RegistryClient({ host: "reg", repository: "a/b" }, undefined, () =>
      Promise.resolve(answer(200, { "docker-content-digest": `sha256:${"0".repeat(64)}` }, manifest)),
    );
    await expect(lying.manifest("tag")).rejects.toThrow("the registry says");
    await expect(lying.manifest(`sha256:${"1".repeat(64)}`)).rejects.toThrow("arrived with digest");
    await expect(lying.blob(`sha256:${"1".repeat(64)}`)).rejects.toThrow("arrived with other bytes");
    const failing = new RegistryClient({ host: "reg", repository: "a/b" }, undefined, () => Promise.resolve(answer(500, {}, "boom")));
    await expect(failing.manifest("tag")).rejects.toThrow("GET manifest tag in reg/a/b: HTTP 500 boom");
    await expect(failing.pushBlob(Buffer.from("x"))).rejects.toThrow("start a blob upload");
  });
});

describe("the sign and verify commands", () => {
  const repository = "acme/learning-voice-agent";
  const login = { username: "acmebot", password: "registry-test-token" };
  const fixtures = join(__dirname, "..", "fixtures", "signing");
  let registry: RegistryStandIn;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    registry = await new RegistryStandIn([{ repository, tag: "sha-1234567", platforms: ["linux/amd64"] }], login).start();
    // The setup file restores the environment after this file.
    process.env["SSL_CERT_FILE"] = registry.certFile;
    env = {
      IMAGE_REF: `${registry.host}/${repository}@${registry.digestOf(repository, "sha-1234567")}`,
      REGISTRY_USERNAME: login.username,
      REGISTRY_PASSWORD: login.password,
      SIGNING_KEY: readFileSync(join(fixtures, "image-signing.pem"), "utf8"),
      SIGNING_PUBLIC_KEY: readFileSync(join(fixtures, "image-signing.pub"), "utf8"),
      SIGNED_ANNOTATIONS: JSON.stringify({ revision: "a".repeat(40), repository: "acme/app", verifiedBy: "staging" }),
      EXPECTED_ANNOTATIONS: JSON.stringify({ revision: "a".repeat(40), repository: "acme/app" }),
    };
  });
  afterAll(async () => {
    await registry.stop();
  });

  it("sign pushes the signature, and verify then says verified; for another commit it says why not", async () => {
    expect(await sign(env)).toEqual({
      signature: `${registry.host}/${repository}:${env["IMAGE_REF"]?.split("@")[1]?.replace(":", "-") ?? ""}.sig`,
      signatures: 1,
    });
    expect(await verify(env)).toMatchObject({ verified: true });
    const other = { ...env, EXPECTED_ANNOTATIONS: JSON.stringify({ revision: "b".repeat(40) }) };
    expect(await verify(other)).toMatchObject({ verified: false, reason: expect.stringContaining(`not "${"b".repeat(40)}"`) as unknown });
  });

  it("prints one JSON line and exits 0; a bad setting exits 2, a refusing registry 1, with every secret redacted", async () => {
    const lines: string[] = [];
    const io = { stdout: (l: string) => lines.push(`out ${l}`), stderr: (l: string) => lines.push(`err ${l}`) };
    expect(await runCommand("verify", env, ["REGISTRY_PASSWORD"], () => verify(env), io)).toBe(0);
    expect(lines.pop()).toMatch(/^out \{"verified":true/);
    const bad = { ...env, IMAGE_REF: "docker.io/acme/app:latest" };
    expect(await runCommand("verify", bad, ["REGISTRY_PASSWORD"], () => verify(bad), io)).toBe(2);
    expect(lines.pop()).toBe(
      'err verify: IMAGE_REF "docker.io/acme/app:latest" is not an image by digest (<registry>/<repository>@sha256:<64 hex>)',
    );
    const missing = { ...env, SIGNED_ANNOTATIONS: "" };
    expect(await runCommand("sign", missing, [], () => sign(missing), io)).toBe(2);
    expect(lines.pop()).toBe("err sign: SIGNED_ANNOTATIONS is not set");
    for (const [text, message] of [
      ["{", "SIGNED_ANNOTATIONS is not JSON"],
      ['{"a":1}', "SIGNED_ANNOTATIONS is not a JSON object of strings"],
    ] as const) {
      const wrong = { ...env, SIGNED_ANNOTATIONS: text };
      expect(await runCommand("sign", wrong, [], () => sign(wrong), io)).toBe(2);
      expect(lines.pop()).toBe(`err sign: ${message}`);
    }
    const refused = { ...env, REGISTRY_PASSWORD: "wrong-password-123" };
    const thrower = (): Promise<never> => Promise.reject(new Error("the registry said wrong-password-123 is wrong"));
    expect(await runCommand("sign", refused, ["REGISTRY_PASSWORD"], thrower, io)).toBe(1);
    expect(lines.pop()).toBe("err sign: the registry said [secret] is wrong");
    expect(await runCommand("sign", refused, ["REGISTRY_PASSWORD"], () => sign(refused), io)).toBe(1);
    expect(lines.pop()).toMatch(/^err sign: .*HTTP 401 \(the registry refused the credentials/);
  });
});
