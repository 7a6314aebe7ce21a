import { describe, expect, it } from "vitest";
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
  it("sets up only Buildx when every platform is the runner's own", () => {
    expect(buildxSteps(["linux/amd64"])).toEqual([{ name: "Set up Docker Buildx", action: "docker/setup-buildx-action" }]);
  });

  it("emulates each other platform with QEMU, by its name without linux/, before Buildx", () => {
    const steps = buildxSteps(["linux/amd64", "linux/arm64", "linux/arm/v7"]);
    expect(steps.map((s) => ("action" in s ? s.action : s.run))).toEqual(["docker/setup-qemu-action", "docker/setup-buildx-action"]);
    expect(steps[0]).toMatchObject({ name: "Set up QEMU (arm64, arm/v7 builds)", with: { platforms: "arm64,arm/v7" } });
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
