// Each state backend through the generated workflows: the credentials pulumi gets are exactly that backend's,
// under the names Pulumi reads, each one a secret the stack publishes. That every file still passes actionlint
// and GitHub's own parser is checked with the other generated files (generated.test.ts).
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { githubEntries, requiredSecrets, secretKeys, type SecretKey } from "../../src/config";
import type { GeneratedFile } from "../../src/workflows/files";
import { backends, everyCredential, filesFor } from "./backendVariants";

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly env?: Readonly<Record<string, string>>;
}
interface Workflow {
  readonly jobs: Readonly<Record<string, { readonly steps?: readonly Step[] }>>;
}

/** The steps that run pulumi (pulumi/actions with a command), across the file's jobs. */
function pulumiSteps(file: GeneratedFile): Step[] {
  const workflow = parse(file.content) as Workflow;
  return Object.values(workflow.jobs)
    .flatMap((j) => [...(j.steps ?? [])])
    .filter((s) => s.uses?.startsWith("pulumi/actions@") === true);
}

describe.each(backends)("state backend $url", ({ url, credentials }) => {
  const staging = filesFor("staging", url);
  const production = filesFor("production", url);
  const all = [...staging.files, ...production.files];
  const workflows = all.filter((f) => f.path.startsWith(".github/workflows/"));

  it("gives every pulumi step exactly this backend's credentials, the passphrase and the backend URL", () => {
    const steps = workflows.flatMap(pulumiSteps);
    // deploy-staging, infra-preview, drift and deploy-production's plan and deploy.
    expect(steps).toHaveLength(5);
    for (const step of steps) {
      const env = step.env ?? {};
      expect(env["PULUMI_BACKEND_URL"]).toBe("${{ vars.PULUMI_BACKEND_URL }}");
      expect(env["PULUMI_CONFIG_PASSPHRASE"]).toBe("${{ secrets.PULUMI_CONFIG_PASSPHRASE }}");
      expect(
        Object.keys(env)
          .filter((k) => everyCredential.includes(k))
          .sort(),
      ).toEqual([...credentials].sort());
      for (const name of credentials) expect(env[name]).toBe(`\${{ secrets.${name} }}`);
    }
  });

  it("publishes each credential the workflows read to the environments they run in, from the secrets this backend requires", () => {
    for (const [{ published }, places] of [
      [staging, 3],
      [production, 4],
    ] as const) {
      // The deploy, preview (the fixture stacks have preview reviewers) and drift environments; production's plan one too.
      for (const name of credentials) expect(published.filter((n) => n === name)).toHaveLength(places);
      for (const name of everyCredential.filter((n) => !(credentials as readonly string[]).includes(n)))
        expect(published).not.toContain(name);
    }
    for (const name of credentials)
      expect(githubEntries.find((e) => e.name === name)).toMatchObject({ kind: "secret", scope: "environment", preview: true });
  });

  it(url.startsWith("file:") ? "stops every pulumi job first, saying why" : "has no stop step", () => {
    const jobs = workflows
      .flatMap((f) => Object.values((parse(f.content) as Workflow).jobs))
      .filter((j) => (j.steps ?? []).some((s) => s.uses?.startsWith("pulumi/actions@") === true));
    for (const job of jobs) {
      const first = job.steps?.[0];
      if (url.startsWith("file:")) {
        expect(first?.name).toBe("Stop: the state backend is a local folder");
        expect(first?.run).toMatch(/::error::stateBackendUrl is a file:\/\/ folder[\s\S]*exit 1$/);
      } else {
        expect(first?.name).not.toContain("Stop");
      }
    }
  });
});

describe("secrets per backend", () => {
  it("requires each backend's own credentials, the passphrase always, and none for a local folder", () => {
    const backendKeys: readonly SecretKey[] = [
      "pulumiAccessToken",
      "awsAccessKeyId",
      "awsSecretAccessKey",
      "googleCredentials",
      "azureStorageKey",
    ];
    const of = (url: string): SecretKey[] => requiredSecrets(url).filter((k) => backendKeys.includes(k) || k === "pulumiConfigPassphrase");
    expect(of("https://api.pulumi.com")).toEqual(["pulumiConfigPassphrase", "pulumiAccessToken"]);
    expect(of("s3://b-1?region=eu-west-1")).toEqual(["pulumiConfigPassphrase", "awsAccessKeyId", "awsSecretAccessKey"]);
    expect(of("gs://b-1")).toEqual(["pulumiConfigPassphrase", "googleCredentials"]);
    expect(of("azblob://c-1?storage_account=acct1")).toEqual(["pulumiConfigPassphrase", "azureStorageKey"]);
    expect(of("file:///var/pulumi")).toEqual(["pulumiConfigPassphrase"]);
    expect(secretKeys).toEqual(expect.arrayContaining([...backendKeys]));
  });
});
