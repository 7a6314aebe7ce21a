// Which environment each credential is published to: the pure rule, and the specs it gives both stacks; and the rules
// that keep identities apart (src/config/identities.ts), on the facts the program derives from secret values.
import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { allGithubEntries, secretKeys, validateStackConfig, type ConfigValues, type GithubEntry, type SecretKey } from "../../src/config";
import {
  appIdProblems,
  identityProblems,
  invalidSigningKey,
  normalizationProblems,
  reusedSecretProblems,
  secretFacts,
  separateIdentities,
  signingProblems,
  signingRole,
} from "../../src/config/identities";
import { samePublicKey } from "../../src/formats";
import { buildPipelineSpec, entryEnvironments, stackEnvironments, type PipelineSpec } from "../../src/pipeline";
import { fixtureSigningKey, fixtureSigningPublicKey, rawConfig, stackWithSecrets } from "../helpers/stacks";

const specOf = (stack: string, secrets: readonly SecretKey[] = secretKeys, overrides?: Record<string, string>): PipelineSpec =>
  buildPipelineSpec(validateStackConfig(rawConfig(stackWithSecrets(stack, secrets, overrides), stack)).config);

/** `<environment>/<GitHub name>` → the config key it is read from. */
const placed = (spec: PipelineSpec): Record<string, SecretKey> =>
  Object.fromEntries(stackEnvironments(spec).flatMap((env) => env.secrets.map((s) => [`${env.name}/${s.githubName}`, s.configKey])));

const withoutReadOnlyState = secretKeys.filter(
  (k) => k !== "awsPreviewAccessKeyId" && k !== "awsPreviewSecretAccessKey" && k !== "pulumiPreviewAccessToken",
);

describe("entryEnvironments", () => {
  const entry = (over: Partial<GithubEntry>): GithubEntry => ({
    name: "X",
    kind: "secret",
    scope: "environment",
    source: { configKey: "awsAccessKeyId" },
    consumers: [],
    replaces: [],
    ...over,
  });
  const shared = entry({ preview: true });
  const readOnly = entry({ preview: "only", source: { configKey: "awsPreviewAccessKeyId" } });
  const entries = [shared, readOnly];
  const notification = entry({ preview: "drift", source: { configKey: "slackWebhookUrl" } });
  it("deploy-only, read-only, drift and shared entries go where they say, with a preview environment", () => {
    expect(entryEnvironments(entry({}), "staging", entries, () => true, true)).toEqual(["staging"]);
    expect(entryEnvironments(readOnly, "staging", entries, () => true, true)).toEqual(["staging-preview", "staging-drift"]);
    expect(entryEnvironments(notification, "staging", entries, () => true, true)).toEqual(["staging", "staging-drift"]);
    expect(entryEnvironments(entry({ scope: "repository" }), "staging", entries, () => true, true)).toEqual([undefined]);
  });
  it("and without one: the read-only entries go to the plan (production) and drift environments alone", () => {
    expect(entryEnvironments(entry({}), "production", entries, () => true, false)).toEqual(["production"]);
    expect(entryEnvironments(readOnly, "production", entries, () => true, false)).toEqual(["production-plan", "production-drift"]);
    expect(entryEnvironments(readOnly, "staging", entries, () => true, false)).toEqual(["staging-drift"]);
    // Notifications: the deploy and drift jobs send them; the plan job sends none.
    expect(entryEnvironments(notification, "production", entries, () => true, false)).toEqual(["production", "production-drift"]);
    expect(entryEnvironments(shared, "production", entries, (k) => k !== "awsPreviewAccessKeyId", false)).toEqual([
      "production",
      "production-plan",
      "production-drift",
    ]);
    expect(entryEnvironments(entry({ scope: "repository" }), "production", entries, () => true, false)).toEqual([undefined]);
  });
  it("a shared entry leaves the read-only environments to a read-only entry of its name, only when that one is set", () => {
    expect(entryEnvironments(shared, "staging", entries, () => true, true)).toEqual(["staging"]);
    expect(entryEnvironments(shared, "staging", entries, (k) => k !== "awsPreviewAccessKeyId", true)).toEqual([
      "staging",
      "staging-preview",
      "staging-drift",
    ]);
    expect(entryEnvironments(shared, "staging", [shared, { ...readOnly, name: "Y" }], () => true, true)).toEqual([
      "staging",
      "staging-preview",
      "staging-drift",
    ]);
  });
});

describe("the catalog's identities", () => {
  it("marks the read-only App's key and the read-only state credentials preview-only, the delivery App's key deploy-only", () => {
    const previewOnly = allGithubEntries
      .filter((e) => e.preview === "only")
      .map((e) => ("configKey" in e.source ? e.source.configKey : ""));
    expect(previewOnly.sort()).toEqual([
      "awsPreviewAccessKeyId",
      "awsPreviewSecretAccessKey",
      "previewAppPrivateKey",
      "pulumiPreviewAccessToken",
    ]);
    expect(allGithubEntries.find((e) => e.name === "DELIVERY_APP_PRIVATE_KEY")?.preview).toBeUndefined();
  });
});

describe.each(["staging", "production"])("%s's spec", (stack) => {
  const preview = `${stack}-preview`;
  const drift = `${stack}-drift`;
  it("publishes the read-only App's key only to the preview and drift environments, the delivery App's only to the deploy environment", () => {
    const secrets = placed(specOf(stack));
    for (const readOnly of [preview, drift]) {
      expect(secrets[`${readOnly}/PREVIEW_APP_PRIVATE_KEY`]).toBe("previewAppPrivateKey");
      expect(secrets).not.toHaveProperty(`${readOnly}/DELIVERY_APP_PRIVATE_KEY`);
    }
    expect(secrets).not.toHaveProperty(`${stack}/PREVIEW_APP_PRIVATE_KEY`);
    expect(secrets[`${stack}/DELIVERY_APP_PRIVATE_KEY`]).toBe("deliveryAppPrivateKey");
  });

  it("publishes the Slack webhook to the deploy and drift environments, never the preview one", () => {
    const secrets = placed(specOf(stack));
    expect(secrets[`${stack}/SLACK_WEBHOOK_URL`]).toBe("slackWebhookUrl");
    expect(secrets[`${drift}/SLACK_WEBHOOK_URL`]).toBe("slackWebhookUrl");
    expect(secrets).not.toHaveProperty(`${preview}/SLACK_WEBHOOK_URL`);
  });

  it("gives previews the read-only S3 keys when set, the deploy keys otherwise", () => {
    const readOnly = placed(specOf(stack));
    for (const environment of [preview, drift]) {
      expect([readOnly[`${environment}/AWS_ACCESS_KEY_ID`], readOnly[`${environment}/AWS_SECRET_ACCESS_KEY`]]).toEqual([
        "awsPreviewAccessKeyId",
        "awsPreviewSecretAccessKey",
      ]);
    }
    expect([readOnly[`${stack}/AWS_ACCESS_KEY_ID`], readOnly[`${stack}/AWS_SECRET_ACCESS_KEY`]]).toEqual([
      "awsAccessKeyId",
      "awsSecretAccessKey",
    ]);
    const fallback = placed(specOf(stack, withoutReadOnlyState));
    for (const environment of [preview, drift]) {
      expect([fallback[`${environment}/AWS_ACCESS_KEY_ID`], fallback[`${environment}/AWS_SECRET_ACCESS_KEY`]]).toEqual([
        "awsAccessKeyId",
        "awsSecretAccessKey",
      ]);
    }
  });

  it("gives previews the read-only Pulumi Cloud token when set, the deploy token otherwise", () => {
    const cloud = { stateBackendUrl: "https://api.pulumi.com" };
    expect(placed(specOf(stack, secretKeys, cloud))[`${preview}/PULUMI_ACCESS_TOKEN`]).toBe("pulumiPreviewAccessToken");
    expect(placed(specOf(stack, secretKeys, cloud))[`${drift}/PULUMI_ACCESS_TOKEN`]).toBe("pulumiPreviewAccessToken");
    expect(placed(specOf(stack, secretKeys, cloud))[`${stack}/PULUMI_ACCESS_TOKEN`]).toBe("pulumiAccessToken");
    expect(placed(specOf(stack, withoutReadOnlyState, cloud))[`${preview}/PULUMI_ACCESS_TOKEN`]).toBe("pulumiAccessToken");
  });

  it("declares each GitHub secret of an environment once, whichever secrets are set", () => {
    for (const secrets of [secretKeys, withoutReadOnlyState]) {
      const spec = specOf(stack, secrets);
      const ids = stackEnvironments(spec).flatMap((env) => env.secrets.map((s) => `${env.name}/${s.githubName}`));
      expect(ids.length).toBe(new Set(ids).size);
    }
  });
});

describe("read-only S3 keys come in pairs", () => {
  it("reports the other half missing when only one is set", () => {
    const one = secretKeys.filter((k) => k !== "awsPreviewSecretAccessKey");
    expect(validateStackConfig(rawConfig(stackWithSecrets("staging", one), "staging")).missingSecrets).toEqual([
      "awsPreviewSecretAccessKey",
    ]);
    expect(validateStackConfig(rawConfig(stackWithSecrets("staging", withoutReadOnlyState), "staging")).missingSecrets).toEqual([]);
  });
});

describe("a stack without preview reviewers", () => {
  it("has no preview environment: the read-only credentials go to its drift environment alone", () => {
    const spec = specOf("staging", secretKeys, { previewReviewerTeams: "[]" });
    expect(spec.previewEnvironment).toBeUndefined();
    expect(stackEnvironments(spec).map((e) => e.name)).toEqual(["staging", "staging-drift"]);
    const secrets = placed(spec);
    expect(secrets["staging-drift/PREVIEW_APP_PRIVATE_KEY"]).toBe("previewAppPrivateKey");
    expect(Object.keys(secrets).filter((name) => name.startsWith("staging-preview/"))).toEqual([]);
  });
});

/** The signing settings as validation leaves them: a key not set is absent. */
const signing = (v: { readonly deployImage?: string; readonly imageSigningPublicKey?: string }) =>
  v as Pick<ConfigValues, "deployImage" | "imageSigningPublicKey">;

describe("identity rules (src/config/identities.ts)", () => {
  const config = validateStackConfig(rawConfig(stackWithSecrets("staging"), "staging")).config as unknown as ConfigValues;
  const otherKey = generateKeyPairSync("ec", { namedCurve: "prime256v1" }).publicKey.export({ type: "spki", format: "pem" }).toString();

  it("refuses a preview App that is the delivery App, with the fix", () => {
    expect(appIdProblems({ deliveryAppId: 1234567, previewAppId: 1234567 }, "staging")).toEqual([
      {
        key: "previewAppId",
        value: "1234567",
        allowed:
          "the id of a second GitHub App, installed read-only: previewAppId equals deliveryAppId, so previews and drift checks would run as the App that writes and bypasses the rulesets",
        fix: "create a read-only GitHub App (docs/setup.md), then pulumi config set previewAppId <its id> --stack staging and pulumi config set --secret previewAppPrivateKey --stack staging",
      },
    ]);
    expect(appIdProblems({ deliveryAppId: 1234567, previewAppId: 7654321 }, "staging")).toEqual([]);
  });

  it("judges app ids only when both passed their own checks and are set", () => {
    const same = { ...config, previewAppId: config.deliveryAppId };
    expect(identityProblems(same, "staging", undefined, () => true).map((p) => p.key)).toEqual(["previewAppId"]);
    expect(identityProblems(same, "staging", undefined, (key) => key !== "previewAppId")).toEqual([]);
    const unset = { ...config, previewAppId: undefined, deliveryAppId: undefined } as unknown as ConfigValues;
    expect(identityProblems(unset, "staging", undefined, () => true)).toEqual([]);
  });

  it("learns which credentials are one from the values, and keeps nothing of them", () => {
    const facts = secretFacts({
      deliveryAppPrivateKey: "same-key",
      previewAppPrivateKey: "same-key",
      dockerhubToken: "push",
      dockerhubPullToken: "pull",
      awsAccessKeyId: "",
      awsPreviewAccessKeyId: "",
    });
    expect(facts).toEqual({ equal: [["deliveryAppPrivateKey", "previewAppPrivateKey"]] });
    expect(JSON.stringify(facts)).not.toContain("same-key");
    // The signing key's public half, or "invalid"; nothing when it is not set.
    expect(secretFacts({ imageSigningKey: fixtureSigningKey }).signingPublicKey).toSatisfy((pem: string) =>
      samePublicKey(pem, fixtureSigningPublicKey),
    );
    expect(secretFacts({ imageSigningKey: "not a key" }).signingPublicKey).toBe(invalidSigningKey);
    expect(secretFacts({}).signingPublicKey).toBeUndefined();
  });

  it("refuses a secret GitHub's provider would change (not in Unicode NFC), naming the key, never the value", () => {
    // "e" + a combining acute accent: go-cty, under the GitHub provider, stores it recomposed as "é".
    const facts = secretFacts({ pulumiConfigPassphrase: "caf\u0065\u0301-pass", openaiApiKey: "caf\u00e9-key", railwayToken: "plain" });
    expect(facts.notNfc).toEqual(["pulumiConfigPassphrase"]);
    const problems = normalizationProblems(facts, "staging");
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ key: "pulumiConfigPassphrase", value: "(secret)" });
    expect(problems[0]?.allowed).toMatch(/normalization form C \(NFC\)/);
    expect(problems[0]?.fix).toContain("pulumi config set --secret pulumiConfigPassphrase --stack staging");
    expect(JSON.stringify(problems)).not.toContain("pass");
    expect(identityProblems(config, "staging", facts, () => true).map((p) => p.key)).toContain("pulumiConfigPassphrase");
    expect(normalizationProblems(secretFacts({ openaiApiKey: "caf\u00e9" }), "staging")).toEqual([]);
  });

  it("refuses each narrow credential that holds its wide one's value, under the narrow key", () => {
    const equal = separateIdentities.map(({ wide, narrow }) => [narrow, wide] as const);
    const problems = reusedSecretProblems({ equal }, "production");
    expect(problems.map((p) => p.key)).toEqual(separateIdentities.map((s) => s.narrow));
    for (const problem of problems) expect(problem.value).toBe("(secret)");
    expect(problems[0]).toEqual({
      key: "previewAppPrivateKey",
      value: "(secret)",
      allowed:
        "a credential of its own: previewAppPrivateKey holds the same value as deliveryAppPrivateKey, so the preview environments would hold the delivery App's key, which writes and bypasses the rulesets",
      fix: "create the key of the read-only preview App (previewAppId), then pulumi config set --secret previewAppPrivateKey --stack production",
    });
    expect(reusedSecretProblems({ equal: [] }, "production")).toEqual([]);
    // Offline (the plan reads ciphertext) nothing is known, and nothing is judged.
    expect(reusedSecretProblems(undefined, "production")).toEqual([]);
  });

  it("knows who signs and who verifies: staging signs what it builds, production verifies what it promotes, a given image neither", () => {
    expect(signingRole(signing({}), "staging")).toBe("signs");
    expect(signingRole(signing({}), "production")).toBe("verifies");
    expect(signingRole(signing({ deployImage: `docker.io/acme/app@sha256:${"a".repeat(64)}` }), "staging")).toBe("none");
  });

  it("requires the public key where a stack signs or verifies, with the command that makes the pair", () => {
    const signer = signingProblems(signing({}), "staging", undefined);
    expect(signer).toMatchObject([{ key: "imageSigningPublicKey", message: "is required but not set" }]);
    expect(signer[0]?.fix).toContain("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256");
    const verifier = signingProblems(signing({}), "production", undefined);
    expect(verifier[0]?.fix).toBe(
      "take image-signing.pub from whoever set up staging, then pulumi config set imageSigningPublicKey --stack production < image-signing.pub",
    );
    expect(signingProblems(signing({ deployImage: `docker.io/acme/app@sha256:${"a".repeat(64)}` }), "staging", undefined)).toEqual([]);
  });

  it("refuses a signing key that is no P-256 key, or not the public key's other half; production's key is not judged", () => {
    const own = signing({ imageSigningPublicKey: fixtureSigningPublicKey });
    expect(signingProblems(own, "staging", secretFacts({ imageSigningKey: fixtureSigningKey }))).toEqual([]);
    expect(signingProblems(own, "staging", { equal: [], signingPublicKey: invalidSigningKey })).toMatchObject([
      { key: "imageSigningKey", value: "(secret)", allowed: "a PEM private key (PKCS#8 or SEC1) of an ECDSA P-256 key pair" },
    ]);
    const mismatch = signingProblems(
      signing({ imageSigningPublicKey: otherKey }),
      "staging",
      secretFacts({ imageSigningKey: fixtureSigningKey }),
    );
    expect(mismatch).toMatchObject([{ key: "imageSigningPublicKey", value: otherKey }]);
    expect(mismatch[0]?.allowed).toContain("the two are not one key pair");
    // Production holds no signing key: only the public half is judged there.
    expect(signingProblems(own, "production", { equal: [], signingPublicKey: invalidSigningKey })).toEqual([]);
    // Offline, the value is unknown: nothing is judged.
    expect(signingProblems(own, "staging", undefined)).toEqual([]);
  });
});
