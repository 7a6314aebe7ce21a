/** Factories for the steps more than one workflow uses. */
import { buildxVersion, pinnedImages } from "./images";
import type { ActionStep, Env, RunStep, Step } from "./model";

/** Checks out without leaving the token in .git/config: no generated job pushes. */
export function checkout(extra: Readonly<Record<string, string | number | boolean>> = {}): ActionStep {
  return { name: "Check out", action: "actions/checkout", with: { "persist-credentials": false, ...extra } };
}

export function setupPython(version: string): ActionStep {
  return { name: `Set up Python ${version}`, action: "actions/setup-python", with: { "python-version": version, cache: "pip" } };
}

/** The app's requirements and dev requirements, each when the file exists, then the tools of the job. */
export function pipInstall(packages: string): RunStep {
  return {
    name: "Install dependencies",
    run: [
      "python -m pip install --upgrade pip",
      "if [ -f requirements.txt ]; then pip install -r requirements.txt; fi",
      "if [ -f requirements-dev.txt ]; then pip install -r requirements-dev.txt; fi",
      `pip install ${packages}`,
    ].join("\n"),
  };
}

export function run(name: string, command: string, env?: Env): RunStep {
  return env === undefined ? { name, run: command } : { name, run: command, env };
}

/**
 * QEMU for the platforms the amd64 runner cannot run natively, then Buildx for
 * the multi-platform build. Both images are pinned by digest and neither is
 * restored from the Actions cache (a cache entry another workflow saved could
 * replace the privileged binfmt image); Buildx itself is an exact release,
 * downloaded afresh.
 */
export function buildxSteps(platforms: readonly string[]): Step[] {
  const emulated = platforms.filter((p) => p !== "linux/amd64").map((p) => p.replace(/^linux\//, ""));
  return [
    ...(emulated.length === 0
      ? []
      : [
          {
            name: `Set up QEMU (${emulated.join(", ")} builds)`,
            action: "docker/setup-qemu-action" as const,
            with: { platforms: emulated.join(","), image: pinnedImages.binfmt, "cache-image": false },
          },
        ]),
    {
      name: "Set up Docker Buildx",
      action: "docker/setup-buildx-action",
      with: { version: buildxVersion, "cache-binary": false, "driver-opts": `image=${pinnedImages.buildkit}` },
    },
  ];
}

/** A Slack message saying `what` and how the job ended, with a link to the run; nothing when Slack is off. */
export function notifySlack(enabled: boolean, what: string, when: "always()" | "failure()" = "always()"): Step[] {
  if (!enabled) return [];
  return [
    {
      name: "Notify Slack of the outcome",
      if: when,
      action: "slackapi/slack-github-action",
      with: {
        webhook: "${{ secrets.SLACK_WEBHOOK_URL }}",
        "webhook-type": "incoming-webhook",
        payload: `text: "${what}: \${{ job.status }} (\${{ github.server_url }}/\${{ github.repository }}/actions/runs/\${{ github.run_id }})"`,
      },
    },
  ];
}
