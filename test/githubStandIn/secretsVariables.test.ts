// Actions secrets (repository and environment) and variables, as the provider
// writes them: it fetches the public key, seals the value with it (libsodium
// sealed box, as its encryptPlaintext does), PUTs it, then reads the
// timestamps. The stand-in keeps the sealed value and can open it.
import { describe, expect, it } from "vitest";
import type { GitHubStateStandIn } from "../engine/githubState";
import { sealedBoxSeal } from "../engine/sealedBox";
import { call, field, fixture, useStandIn } from "./client";

const repo = `/repos/${fixture.owner}/${fixture.repository}`;
const sentinel = "sentinel-railwayToken-7f3a9c";

const standIn = useStandIn();

/** What the provider does: GET the public key, seal with it. */
async function sealFor(gh: GitHubStateStandIn, keyPath: string, value: string): Promise<{ key_id: string; encrypted_value: string }> {
  const key = await call(gh, "GET", keyPath);
  expect(key.status).toBe(200);
  const publicKey = new Uint8Array(Buffer.from(String(field(key.body, "key")), "base64"));
  expect(publicKey).toHaveLength(32);
  return {
    key_id: String(field(key.body, "key_id")),
    encrypted_value: Buffer.from(sealedBoxSeal(Buffer.from(value), publicKey)).toString("base64"),
  };
}

describe("repository secrets", () => {
  it("stores the sealed value (201), reads timestamps, updates in place (204), decrypts to what was sealed, deletes", async () => {
    const gh = await standIn();
    const body = await sealFor(gh, `${repo}/actions/secrets/public-key`, sentinel);
    expect(body.key_id).toBe(gh.repositoryPublicKey.keyId);
    const created = await call(gh, "PUT", `${repo}/actions/secrets/CODECOV_TOKEN`, body);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({});
    const read = await call(gh, "GET", `${repo}/actions/secrets/CODECOV_TOKEN`);
    expect(read.body).toMatchObject({ name: "CODECOV_TOKEN" });
    expect(field(read.body, "created_at")).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(gh.repositorySecret("CODECOV_TOKEN")?.encryptedValue).toBe(body.encrypted_value);
    expect(gh.decryptSecret("CODECOV_TOKEN")).toBe(sentinel);
    expect(JSON.stringify(gh.calls)).not.toContain(sentinel);

    const rotated = await sealFor(gh, `${repo}/actions/secrets/public-key`, `${sentinel}-rotated`);
    expect((await call(gh, "PUT", `${repo}/actions/secrets/CODECOV_TOKEN`, rotated)).status).toBe(204);
    expect(gh.decryptSecret("CODECOV_TOKEN")).toBe(`${sentinel}-rotated`);

    expect((await call(gh, "DELETE", `${repo}/actions/secrets/CODECOV_TOKEN`)).status).toBe(204);
    expect((await call(gh, "GET", `${repo}/actions/secrets/CODECOV_TOKEN`)).status).toBe(404);
    expect(gh.leftovers()).toEqual([]);
  });

  it("takes names case-insensitively and stores them upper case, as GitHub does", async () => {
    const gh = await standIn();
    await call(gh, "PUT", `${repo}/actions/secrets/codecov_token`, await sealFor(gh, `${repo}/actions/secrets/public-key`, "x"));
    expect(field((await call(gh, "GET", `${repo}/actions/secrets/CODECOV_TOKEN`)).body, "name")).toBe("CODECOV_TOKEN");
  });

  describe("refuses", () => {
    it("a value sealed for another key, and a key id that is not the current one", async () => {
      const gh = await standIn();
      const body = await sealFor(gh, `${repo}/actions/secrets/public-key`, "x");
      const otherKey = new Uint8Array(32).fill(9);
      const foreign = Buffer.from(sealedBoxSeal(Buffer.from("x"), otherKey)).toString("base64");
      expect((await call(gh, "PUT", `${repo}/actions/secrets/A`, { ...body, encrypted_value: foreign })).status).toBe(422);
      expect((await call(gh, "PUT", `${repo}/actions/secrets/A`, { ...body, key_id: "1" })).status).toBe(422);
      expect(gh.repositorySecret("A")).toBeUndefined();
    });

    it.each(["GITHUB_TOKEN", "1PASSWORD", "MY-SECRET"])("the name %s", async (name) => {
      const gh = await standIn();
      const body = await sealFor(gh, `${repo}/actions/secrets/public-key`, "x");
      expect((await call(gh, "PUT", `${repo}/actions/secrets/${name}`, body)).status).toBe(422);
    });
  });
});

describe("environment secrets", () => {
  it("use the environment's own key, on go-github's /repositories/{id} paths, and die with their environment", async () => {
    const gh = await standIn();
    await call(gh, "PUT", `${repo}/environments/production`, { deployment_branch_policy: null });
    const byId = `/repositories/${String(gh.repositoryId)}/environments/production`;
    const body = await sealFor(gh, `${byId}/secrets/public-key`, sentinel);
    expect(body.key_id).toBe(gh.environmentPublicKey("production")?.keyId);
    expect(body.key_id).not.toBe(gh.repositoryPublicKey.keyId);
    expect((await call(gh, "PUT", `${byId}/secrets/RAILWAY_TOKEN`, body)).status).toBe(201);
    expect(field((await call(gh, "GET", `${byId}/secrets/RAILWAY_TOKEN`)).body, "name")).toBe("RAILWAY_TOKEN");
    // The documented path reaches the same secret.
    expect((await call(gh, "GET", `${repo}/environments/production/secrets/RAILWAY_TOKEN`)).status).toBe(200);
    expect(gh.decryptSecret("RAILWAY_TOKEN", "production")).toBe(sentinel);
    expect(gh.decryptSecret("RAILWAY_TOKEN")).toBeUndefined();
    expect(gh.calls.find((c) => c.method === "PUT" && c.path.includes("/secrets/"))?.operation).toBe(
      "PUT /repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}",
    );

    await call(gh, "DELETE", `${repo}/environments/production`);
    expect((await call(gh, "GET", `${byId}/secrets/RAILWAY_TOKEN`)).status).toBe(404);
    expect(gh.environmentSecret("production", "RAILWAY_TOKEN")).toBeUndefined();
  });

  it("need the environment (404), and the repository id must be this repository's", async () => {
    const gh = await standIn();
    expect((await call(gh, "GET", `/repositories/${String(gh.repositoryId)}/environments/nope/secrets/public-key`)).status).toBe(404);
    await call(gh, "PUT", `${repo}/environments/staging`, { deployment_branch_policy: null });
    expect((await call(gh, "GET", `/repositories/${String(gh.repositoryId + 1)}/environments/staging/secrets/public-key`)).status).toBe(
      404,
    );
  });
});

describe("variables", () => {
  it("repository: create (201), read, update (204), conflict on create (409), delete", async () => {
    const gh = await standIn();
    expect((await call(gh, "POST", `${repo}/actions/variables`, { name: "PYTHON_VERSION", value: "3.12" })).status).toBe(201);
    expect((await call(gh, "GET", `${repo}/actions/variables/PYTHON_VERSION`)).body).toMatchObject({
      name: "PYTHON_VERSION",
      value: "3.12",
    });
    expect((await call(gh, "POST", `${repo}/actions/variables`, { name: "python_version", value: "3.11" })).status).toBe(409);
    expect((await call(gh, "PATCH", `${repo}/actions/variables/PYTHON_VERSION`, { name: "PYTHON_VERSION", value: "3.13" })).status).toBe(
      204,
    );
    expect(gh.snapshot().repositoryVariables).toMatchObject([{ name: "PYTHON_VERSION", value: "3.13" }]);
    expect((await call(gh, "DELETE", `${repo}/actions/variables/PYTHON_VERSION`)).status).toBe(204);
    expect((await call(gh, "GET", `${repo}/actions/variables/PYTHON_VERSION`)).status).toBe(404);
  });

  it("environment: kept per environment, refused names, gone with the environment", async () => {
    const gh = await standIn();
    expect((await call(gh, "POST", `${repo}/environments/staging/variables`, { name: "APP_URL", value: "x" })).status).toBe(404);
    await call(gh, "PUT", `${repo}/environments/staging`, { deployment_branch_policy: null });
    expect(
      (await call(gh, "POST", `${repo}/environments/staging/variables`, { name: "APP_URL", value: "https://staging.example" })).status,
    ).toBe(201);
    expect((await call(gh, "POST", `${repo}/environments/staging/variables`, { name: "GITHUB_SHA", value: "x" })).status).toBe(422);
    expect((await call(gh, "GET", `${repo}/environments/staging/variables/APP_URL`)).body).toMatchObject({
      value: "https://staging.example",
    });
    expect(
      (await call(gh, "PATCH", `${repo}/environments/staging/variables/APP_URL`, { name: "APP_URL", value: "https://s2.example" })).status,
    ).toBe(204);
    expect(gh.environment("staging")?.variables).toMatchObject([{ name: "APP_URL", value: "https://s2.example" }]);
    expect((await call(gh, "GET", `${repo}/actions/variables/APP_URL`)).status).toBe(404);
  });
});
