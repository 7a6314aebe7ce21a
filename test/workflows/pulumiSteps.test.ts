import { describe, expect, it } from "vitest";
import type { Step } from "../../src/workflows/model";
import {
  backendReachable,
  beforePulumi,
  cloneTokenStep,
  engineCliVersion,
  programSetup,
  pulumiEnv,
  writePolicyPackConfig,
} from "../../src/workflows/pulumiSteps";
import { appSettings } from "./appSettings";

const labels = (steps: readonly Step[]): string[] => steps.map((s) => ("action" in s ? s.action : (s.run.split("\n")[0] ?? "")));

describe("pulumiEnv", () => {
  it.each([
    ["s3", ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]],
    ["gs", ["GOOGLE_CREDENTIALS"]],
    ["azblob", ["AZURE_STORAGE_KEY"]],
    ["pulumi-cloud", ["PULUMI_ACCESS_TOKEN"]],
    ["file", []],
  ] as const)("gives a %s backend its own credentials, by secret name, beside the backend URL, passphrase and App token", (kind, names) => {
    const env = pulumiEnv(appSettings({ stateBackend: kind }));
    expect(Object.keys(env)).toEqual(["PULUMI_BACKEND_URL", "PULUMI_CONFIG_PASSPHRASE", ...names, "GITHUB_TOKEN"]);
    for (const name of names) expect(env[name]).toBe(`\${{ secrets.${name} }}`);
    expect(env["GITHUB_TOKEN"]).toBe("${{ steps.app-token.outputs.token }}");
  });

  it("hands over the read-only clone token only when this run builds a private repository's image", () => {
    expect(pulumiEnv(appSettings(), true)["DELIVERY_CLONE_TOKEN"]).toBe("${{ steps.clone-token.outputs.token }}");
    expect(Object.keys(pulumiEnv(appSettings(), true)).at(-1)).toBe("DELIVERY_CLONE_TOKEN");
    expect(pulumiEnv(appSettings(), false)).not.toHaveProperty("DELIVERY_CLONE_TOKEN");
    expect(pulumiEnv(appSettings())).not.toHaveProperty("DELIVERY_CLONE_TOKEN");
    expect(pulumiEnv(appSettings({ privateRepository: false }), true)).not.toHaveProperty("DELIVERY_CLONE_TOKEN");
  });
});

describe("engineCliVersion", () => {
  it("is the exact CLI version of the @pulumi/pulumi the lock file holds", () => {
    expect(engineCliVersion).toBe("3.248.0");
  });
});

describe("backendReachable", () => {
  it("stops the job, saying why, only when the state is a local folder", () => {
    const [stop] = backendReachable(appSettings({ stateBackend: "file" }));
    expect(stop && "run" in stop ? stop.run : "").toMatch(/^echo "::error::stateBackendUrl is a file:\/\/ folder[\s\S]*\nexit 1$/);
    expect(backendReachable(appSettings({ stateBackend: "gs" }))).toEqual([]);
  });
});

describe("writePolicyPackConfig", () => {
  it("takes the config from the environment's variable through env, and falls back to {}", () => {
    const step = writePolicyPackConfig();
    expect(step.env).toEqual({ POLICY_PACK_CONFIG: "${{ vars.POLICY_PACK_CONFIG }}" });
    expect("run" in step && step.run).toContain('POLICY_PACK_CONFIG="{}"');
    expect("run" in step && step.run).not.toContain("${{");
  });
});

describe("programSetup", () => {
  it("checks out the app repository and installs the program from its folder; a preview caches npm, a deploy does not", () => {
    const s = appSettings();
    const preview = programSetup(s, "preview");
    // No install script runs in a preview either: nothing there needs one.
    expect(labels(preview)).toEqual(["actions/checkout", "actions/setup-node", "npm ci --ignore-scripts"]);
    expect(preview[2]).toMatchObject({ run: "npm ci --ignore-scripts", workingDirectory: "delivery" });
    expect(preview[1] && "action" in preview[1] ? preview[1].with : undefined).toEqual({
      "node-version": "20",
      cache: "npm",
      "cache-dependency-path": "delivery/package-lock.json",
    });
    const deploy = programSetup(s, "delivery");
    expect(deploy[1] && "action" in deploy[1] ? deploy[1].with : undefined).toEqual({
      "node-version": "20",
      "package-manager-cache": false,
    });
    // A deploy installs no dev dependencies and runs no install script: the job is about to hold every credential.
    expect(deploy[2]).toMatchObject({ run: "npm ci --omit=dev --ignore-scripts", workingDirectory: "delivery" });
  });

  it("checks a program of its own repository out with a token that can only read that repository", () => {
    const s = appSettings({ program: { repository: "acme/delivery", ref: "v3", path: "prog" } });
    const [mint, checkout] = programSetup(s, "delivery");
    expect(mint).toMatchObject({
      id: "program-token",
      with: { owner: "acme", repositories: "delivery", "permission-contents": "read", "app-id": "${{ vars.DELIVERY_APP_ID }}" },
    });
    expect(Object.keys((mint && "action" in mint ? mint.with : undefined) ?? {}).filter((k) => k.startsWith("permission-"))).toEqual([
      "permission-contents",
    ]);
    expect(checkout && "action" in checkout ? checkout.with : undefined).toEqual({
      "persist-credentials": false,
      repository: "acme/delivery",
      ref: "v3",
      path: "prog",
      token: "${{ steps.program-token.outputs.token }}",
    });
  });
});

describe("beforePulumi", () => {
  it("mints the App token last, after npm ci and the policy config, so no install script runs beside it", () => {
    const steps = beforePulumi(appSettings({ stateBackend: "file" }), "delivery", false);
    expect(labels(steps)).toEqual([
      'echo "::error::stateBackendUrl is a file:// folder on the machine that ran pulumi up; this runner cannot reach it. Move both stacks to an s3://, gs://, azblob:// or Pulumi Cloud backend (README: Before you start, state backend), then pulumi config set stateBackendUrl <url> for each stack and pulumi up."',
      "actions/checkout",
      "actions/setup-node",
      "npm ci --omit=dev --ignore-scripts",
      'if [ -z "$POLICY_PACK_CONFIG" ]; then POLICY_PACK_CONFIG="{}"; fi',
      "actions/create-github-app-token",
    ]);
    expect(steps.at(-1)).toMatchObject({ id: "app-token", with: { "permission-workflows": "write" } });
  });

  it("mints a second, read-only token for the image build's clone, after the App token, only for a private repository's build", () => {
    const building = beforePulumi(appSettings(), "delivery", true);
    expect(building.slice(-2).map((s) => ("id" in s ? s.id : undefined))).toEqual(["app-token", "clone-token"]);
    expect(building.at(-1)).toEqual(cloneTokenStep(appSettings(), "delivery"));
    expect(beforePulumi(appSettings({ privateRepository: false }), "delivery", true).some((s) => "id" in s && s.id === "clone-token")).toBe(
      false,
    );
    expect(beforePulumi(appSettings(), "delivery", false).some((s) => "id" in s && s.id === "clone-token")).toBe(false);
  });

  it("gives the clone token contents: read on the app repository, and nothing else", () => {
    const step = cloneTokenStep(appSettings(), "delivery");
    expect(step).toEqual({
      name: "Mint a short-lived delivery App token (acme/voice-app, read-only, for the image build's clone)",
      id: "clone-token",
      action: "actions/create-github-app-token",
      with: {
        "app-id": "${{ vars.DELIVERY_APP_ID }}",
        "private-key": "${{ secrets.DELIVERY_APP_PRIVATE_KEY }}",
        owner: "acme",
        repositories: "voice-app",
        "permission-contents": "read",
      },
    });
  });

  it("sets up QEMU and Buildx, after the install, only when this pulumi run builds the image", () => {
    const steps = labels(beforePulumi(appSettings(), "preview", true));
    expect(steps.slice(3, 5)).toEqual(["docker/setup-qemu-action", "docker/setup-buildx-action"]);
    expect(labels(beforePulumi(appSettings(), "preview", false))).not.toContain("docker/setup-buildx-action");
  });
});
