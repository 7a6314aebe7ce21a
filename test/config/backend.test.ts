// stateBackendUrl: every backend Pulumi has that the workflows can log in to is accepted; anything a runner could
// not use is refused with the key, the value, why, what is allowed and a fix that keeps the user's own bucket.
import { describe, expect, it } from "vitest";
import { stateBackendAllowed, stateBackendKind, stateBackendProblem, validateStackConfig } from "../../src/config";
import { fixtureRaw, withSibling } from "../helpers/fixtureConfig";
import { problemsOf } from "../helpers/problems";

const backendProblem = (stack: "staging" | "production", url: string) =>
  problemsOf(fixtureRaw(stack, { stateBackendUrl: url })).find((p) => p.key === "stateBackendUrl");

describe("stateBackendUrl accepts each backend the workflows can reach", () => {
  it.each([
    ["https://api.pulumi.com", "pulumi-cloud"],
    ["https://api.pulumi.com/", "pulumi-cloud"],
    ["https://pulumi.acme.internal:8443", "pulumi-cloud"],
    ["s3://acme-pulumi-state?region=eu-central-1", "s3"],
    ["s3://acme-pulumi-state/delivery/pipeline?region=us-east-1&awssdk=v2", "s3"],
    ["s3://state?region=us-east-1&endpoint=https://minio.acme.internal:9000&s3ForcePathStyle=true", "s3"],
    ["s3://state?endpoint=https%3A%2F%2Facct.r2.cloudflarestorage.com&region=auto", "s3"],
    ["gs://acme-pulumi-state", "gs"],
    ["gs://acme.pulumi_state/delivery", "gs"],
    ["azblob://pulumi-state?storage_account=acmepulumistate", "azblob"],
    ["azblob://pulumi-state/delivery?storage_account=acme1", "azblob"],
    ["file://~", "file"],
    ["file:///var/lib/pulumi-state", "file"],
  ])("%s (%s)", (url, kind) => {
    expect(stateBackendKind(url)).toBe(kind);
    expect(stateBackendProblem(url)).toBeUndefined();
    const { config, missingSecrets } = validateStackConfig(fixtureRaw("staging", { stateBackendUrl: url }));
    expect(config.stateBackendUrl).toBe(url);
    // The fixture sets the secrets this backend requires: none is missing.
    expect(missingSecrets).toEqual([]);
  });
});

describe("stateBackendUrl refuses what a runner could not use", () => {
  it.each([
    [
      "s3://acme-pulumi-state",
      "has no region",
      "pulumi config set stateBackendUrl 's3://acme-pulumi-state?region=us-east-1' --stack staging",
    ],
    [
      "s3://acme-pulumi-state/delivery?awssdk=v2",
      "has no region",
      "pulumi config set stateBackendUrl 's3://acme-pulumi-state/delivery?awssdk=v2&region=us-east-1' --stack staging",
    ],
    [
      "s3://acme-pulumi-state?region=Europe West",
      "has a region that is not one",
      "pulumi config set stateBackendUrl 's3://acme-pulumi-state?region=us-east-1' --stack staging",
    ],
    [
      "s3://acme-pulumi-state?profile=work&region=eu-west-1",
      "names an AWS profile",
      "pulumi config set stateBackendUrl 's3://acme-pulumi-state?region=eu-west-1' --stack staging",
    ],
    [
      "s3://Acme_State?region=eu-west-1",
      "is not an S3 bucket URL",
      "pulumi config set stateBackendUrl 's3://acme-pulumi-state?region=us-east-1' --stack staging",
    ],
    [
      "azblob://pulumi-state",
      "names no storage account",
      "pulumi config set stateBackendUrl 'azblob://pulumi-state?storage_account=acmepulumistate' --stack staging",
    ],
    [
      "azblob://pulumi-state?storage_account=Acme-Account",
      "names a storage account that is not one",
      "pulumi config set stateBackendUrl 'azblob://pulumi-state?storage_account=acmepulumistate' --stack staging",
    ],
    [
      "azblob://Pulumi--State?storage_account=acme1",
      "is not an Azure Blob Storage container URL",
      "pulumi config set stateBackendUrl 'azblob://pulumi-state?storage_account=acmepulumistate' --stack staging",
    ],
    [
      "gs://acme-pulumi-state?project=x",
      "is not a Google Cloud Storage bucket URL",
      "pulumi config set stateBackendUrl gs://acme-pulumi-state --stack staging",
    ],
    ["https://app.pulumi.com", "is Pulumi Cloud's web console", "pulumi config set stateBackendUrl https://api.pulumi.com --stack staging"],
    [
      "https://api.pulumi.com/acme/delivery",
      "is not a Pulumi Cloud URL",
      "pulumi config set stateBackendUrl https://api.pulumi.com --stack staging",
    ],
    ["http://pulumi.acme.internal", "is plain http", "pulumi config set stateBackendUrl https://pulumi.acme.internal --stack staging"],
    ["file://", "names no folder", "pulumi config set stateBackendUrl 'file://~' --stack staging"],
    [
      "acme-pulumi-state",
      "is not a state backend the workflows can log in to",
      "pulumi config set stateBackendUrl 's3://acme-pulumi-state?region=us-east-1' --stack staging",
    ],
  ])("%s: %s", (url, message, fix) => {
    const problem = backendProblem("staging", url);
    expect(problem).toMatchObject({ key: "stateBackendUrl", value: url, allowed: stateBackendAllowed, fix });
    expect(problem?.message).toContain(message);
  });

  it("hides a URL that carries a password, and still says what is wrong with it (Postgres, an S3 endpoint's user:password@)", () => {
    const postgres = backendProblem("staging", "postgres://pulumi:pw@db.acme.internal:5432/state");
    expect(postgres).toMatchObject({
      key: "stateBackendUrl",
      value: "(hidden)",
      allowed: stateBackendAllowed,
      fix: "pulumi config set stateBackendUrl 's3://acme-pulumi-state?region=us-east-1' --stack staging",
    });
    expect(postgres?.message).toContain("URL with a password in plain text");
    expect(postgres?.message).toContain("and it is a Postgres backend");
    const s3 = backendProblem("staging", "s3://acme-state?region=eu-west-1&endpoint=https://minio:s3cr3tpass@minio.acme.internal");
    expect(s3).toMatchObject({
      value: "(hidden)",
      fix: "pulumi config set stateBackendUrl 's3://acme-state?region=eu-west-1&endpoint=https://minio.acme.internal' --stack staging",
    });
    expect(s3?.message).toContain("and it has credentials in its endpoint (user:password@)");
    expect(JSON.stringify(s3)).not.toContain("s3cr3tpass");
  });

  it.each([
    [
      "s3://acme-state?region=eu-west-1&endpoint=http://minio.acme.internal:9000",
      "endpoint=http://",
      "endpoint=https://minio.acme.internal:9000",
    ],
    ["s3://acme-state?region=eu-west-1&disableSSL=true", "disableSSL=true", ""],
    ["s3://acme-state?region=eu-west-1&disable_https=1", "disable_https=1", ""],
  ])("refuses S3 over plain http: %s", (url, named, kept) => {
    const problem = backendProblem("staging", url);
    expect(problem).toMatchObject({ value: url, allowed: stateBackendAllowed });
    expect(problem?.message).toContain(`reaches S3 over plain http (${named})`);
    expect(problem?.fix).toBe(
      `pulumi config set stateBackendUrl 's3://acme-state?region=eu-west-1${kept === "" ? "" : `&${kept}`}' --stack staging`,
    );
  });

  it("accepts S3 with SSL explicitly on", () => {
    expect(stateBackendProblem("s3://acme-state?region=eu-west-1&disableSSL=false")).toBeUndefined();
    expect(stateBackendProblem("s3://acme-state?region=eu-west-1&disable_https=0")).toBeUndefined();
  });

  it("names this stack in the fix", () => {
    expect(backendProblem("production", "s3://acme-pulumi-state")?.fix).toBe(
      "pulumi config set stateBackendUrl 's3://acme-pulumi-state?region=us-east-1' --stack production",
    );
  });

  it("never echoes a Postgres URL's password-bearing form as the example", () => {
    expect(stateBackendProblem("postgres://u:secret@db:5432/x")?.example).not.toContain("secret");
  });
});

describe("both stacks keep their state in the one backend the workflows log in to", () => {
  it("refuses production on another backend than the governing staging, with the fix for production", () => {
    const problems = problemsOf(withSibling(fixtureRaw("production", { stateBackendUrl: "gs://other-state" })));
    const problem = problems.find((p) => p.key === "stateBackendUrl");
    expect(problem).toMatchObject({
      value: "gs://other-state",
      fix: "pulumi config set stateBackendUrl 's3://zephyr-state?region=eu-central-1' --stack production",
    });
    expect(problem?.allowed).toContain("PULUMI_BACKEND_URL");
  });

  it("refuses governing staging on another backend than production, and still fixes production", () => {
    const problems = problemsOf(withSibling(fixtureRaw("staging", { stateBackendUrl: "gs://new-state" })));
    expect(problems.find((p) => p.key === "stateBackendUrl")?.fix).toBe(
      "pulumi config set stateBackendUrl gs://new-state --stack production",
    );
  });

  it("accepts the same URL in both", () => {
    expect(problemsOf(withSibling(fixtureRaw("production")))).toEqual([]);
  });
});
