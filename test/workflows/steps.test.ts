import { describe, expect, it } from "vitest";
import { buildxVersion, pinnedImagePattern, pinnedImages } from "../../src/workflows/images";
import { buildxSteps, checkout, notifySlack, pipInstall, run, setupPython } from "../../src/workflows/steps";

describe("step factories", () => {
  it("checks out without persisting the token, with whatever else is asked", () => {
    expect(checkout().with).toEqual({ "persist-credentials": false });
    expect(checkout({ ref: "v1", path: "p" }).with).toEqual({ "persist-credentials": false, ref: "v1", path: "p" });
  });

  it("caches pip for the given Python", () => {
    expect(setupPython("3.13").with).toEqual({ "python-version": "3.13", cache: "pip" });
  });

  it("installs the requirements files only when present, then the job's tools", () => {
    const lines = pipInstall("pytest").run.split("\n");
    expect(lines[1]).toBe("if [ -f requirements.txt ]; then pip install -r requirements.txt; fi");
    expect(lines.at(-1)).toBe("pip install pytest");
  });

  it("adds env to a run step only when given", () => {
    expect(run("a", "b")).toEqual({ name: "a", run: "b" });
    expect(run("a", "b", { X: "1" })).toEqual({ name: "a", run: "b", env: { X: "1" } });
  });
});

describe("buildxSteps", () => {
  const buildx = {
    name: "Set up Docker Buildx",
    action: "docker/setup-buildx-action",
    // An exact Buildx release, downloaded afresh, and BuildKit's image by digest.
    with: { version: buildxVersion, "cache-binary": false, "driver-opts": `image=${pinnedImages.buildkit}` },
  };

  it("sets up only Buildx when every platform is the runner's own", () => {
    expect(buildxSteps(["linux/amd64"])).toEqual([buildx]);
  });

  it("emulates each other platform with QEMU, by its name without linux/, before Buildx", () => {
    const steps = buildxSteps(["linux/amd64", "linux/arm64", "linux/arm/v7"]);
    expect(steps.map((s) => ("action" in s ? s.action : s.run))).toEqual(["docker/setup-qemu-action", "docker/setup-buildx-action"]);
    // The privileged binfmt image by digest, never restored from the Actions cache.
    expect(steps[0]).toEqual({
      name: "Set up QEMU (arm64, arm/v7 builds)",
      action: "docker/setup-qemu-action",
      with: { platforms: "arm64,arm/v7", image: pinnedImages.binfmt, "cache-image": false },
    });
    expect(steps[1]).toEqual(buildx);
  });
});

describe("pinnedImages", () => {
  it("pins every image by a sha256 digest, its tag kept beside it for people", () => {
    for (const [name, image] of Object.entries(pinnedImages)) expect(image, name).toMatch(pinnedImagePattern);
    expect(pinnedImages.binfmt).toMatch(/^docker\.io\/tonistiigi\/binfmt:[^@]+@sha256:/);
    expect(pinnedImages.buildkit).toMatch(/^docker\.io\/moby\/buildkit:[^@]+@sha256:/);
    expect(pinnedImages.redis).toMatch(/^docker\.io\/library\/redis:7-alpine@sha256:/);
    expect(buildxVersion).toMatch(/^v\d+\.\d+\.\d+$/);
  });

  it("pinnedImagePattern refuses a tag, a short or missing digest, and an image without a registry", () => {
    const digest = "a".repeat(64);
    expect(`docker.io/library/redis@sha256:${digest}`).toMatch(pinnedImagePattern);
    for (const unpinned of [
      "redis:7-alpine",
      "docker.io/library/redis:7-alpine",
      `redis@sha256:${digest}`,
      `docker.io/library/redis@sha256:${digest.slice(1)}`,
      `docker.io/library/redis:7@sha256:${digest.toUpperCase()}`,
      `docker.io/library/redis@sha512:${digest}`,
    ])
      expect(unpinned).not.toMatch(pinnedImagePattern);
  });
});

describe("notifySlack", () => {
  it("adds nothing when Slack is off", () => {
    expect(notifySlack(false, "Deploy")).toEqual([]);
  });

  it("reports the job's status and the run's link, always unless told to report failures only", () => {
    const [always] = notifySlack(true, "Deploy to staging");
    expect(always?.if).toBe("always()");
    expect(always && "action" in always ? always.with?.["payload"] : undefined).toBe(
      'text: "Deploy to staging: ${{ job.status }} (${{ github.server_url }}/${{ github.repository }}/actions/runs/${{ github.run_id }})"',
    );
    expect(notifySlack(true, "Drift", "failure()")[0]?.if).toBe("failure()");
  });
});
