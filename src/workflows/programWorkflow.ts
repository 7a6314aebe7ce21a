/**
 * This repository's own CI, rendered by the same model: tests and the offline
 * plan on every pull request and push, the real-engine suite, then `pulumi
 * preview` of both stacks with a PR comment. Committed as .github/workflows/ci.yml; a test fails when
 * the committed file differs from this.
 */
import type { StackConfig } from "../config";
import { workflowSettings } from "./files";
import type { Workflow } from "./model";
import { previewJob } from "./previewWorkflows";
import { engineCliVersion } from "./pulumiSteps";
import { renderWorkflow } from "./render";
import { checkout, run } from "./steps";

export const programCiPath = ".github/workflows/ci.yml";
export const programCiRegenerate = "npm run render-ci";

export function programCiWorkflow(governing: StackConfig): Workflow {
  // Here the program is the repository itself.
  const settings = { ...workflowSettings(governing), program: { repository: undefined, ref: "", path: "." } };
  const preview = previewJob(settings, "pull-request");
  return {
    path: programCiPath,
    name: "ci",
    on: { pullRequest: { branches: ["main"] }, push: { branches: ["main"] } },
    permissions: {},
    concurrency: { group: "ci-${{ github.ref }}", cancelInProgress: true },
    jobs: {
      test: {
        name: "npm test",
        runsOn: "ubuntu-latest",
        timeoutMinutes: 20,
        permissions: { contents: "read" },
        steps: [
          checkout(),
          { name: "Set up Node.js", action: "actions/setup-node", with: { "node-version": "20", cache: "npm" } },
          run("Install from the lock file", "npm ci"),
          run("Type check, lint and test", "npm test"),
          run("Offline plan of both stacks", "npm run plan -- --stack staging\nnpm run plan -- --stack production"),
        ],
      },
      engine: {
        name: "npm run test:engine (the real Pulumi engine)",
        runsOn: "ubuntu-latest",
        timeoutMinutes: 20,
        needs: ["test"],
        permissions: { contents: "read" },
        steps: [
          checkout(),
          { name: "Set up Node.js", action: "actions/setup-node", with: { "node-version": "20", cache: "npm" } },
          run("Install from the lock file", "npm ci"),
          // Without a command the action only installs the CLI; the suite brings its own
          // backend, passphrase and loopback GitHub API, and needs no secret.
          { name: "Install the Pulumi CLI", action: "pulumi/actions", with: { "pulumi-version": engineCliVersion } },
          run("Preview, then pulumi up, no-op, drift, rotation, failed deploy, rollback and destroy on the engine", "npm run test:engine"),
        ],
      },
      preview: {
        ...preview,
        needs: ["test"],
        // Pull requests from forks get no secrets; only this repository's branches are previewed.
        if: "github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository",
      },
    },
  };
}

export function renderProgramCi(governing: StackConfig): string {
  return renderWorkflow(programCiWorkflow(governing), programCiRegenerate);
}
