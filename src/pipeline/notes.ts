/** What a person should know before `pulumi up` that no validation can decide for them. */
import { localBackendWarning } from "../config/backend";
import type { PipelineSpec } from "./spec";

/**
 * Production with neither reviewers nor a wait timer: on a private repository
 * below GitHub Enterprise, GitHub offers neither, so validation allows it;
 * anyone who can publish a release then deploys to production unasked.
 */
export function approvalGateWarning(spec: PipelineSpec): string | undefined {
  const env = spec.deployEnvironment;
  if (spec.stack !== "production" || env.reviewerUsers.length + env.reviewerTeams.length > 0 || env.waitTimerMinutes > 0) return undefined;
  return (
    `Production has no approval gate: the ${spec.repository.visibility} repository ${spec.repository.fullName} is below GitHub Enterprise, ` +
    "where GitHub offers no required reviewers or wait timer, so anyone who can publish a release deploys to production at once. " +
    "To get one: upgrade the owner to GitHub Enterprise (then pulumi config set githubPlan enterprise --stack production and set " +
    "reviewerUsers or reviewerTeams in stacks/Pulumi.production.yaml), or make the repository public (pulumi config set repositoryVisibility public " +
    "--stack production, and the same on staging); until then limit who may publish releases (the repository's write access)."
  );
}

/** A `file://` backend: the workflows this stack commits cannot reach it. */
export function backendWarning(spec: PipelineSpec): string | undefined {
  return localBackendWarning(spec.stack, spec.stateBackendUrl);
}

/** What the bake window after go-live watches, and how to tune it. */
export function bakeNote(spec: PipelineSpec): string {
  const b = spec.ship.deploy.bake;
  const tune = `pulumi config set bakeSeconds <0-3600> --stack ${spec.stack}`;
  if (b.seconds === 0) return `No bake window (bakeSeconds 0): a deployment that passes its health check stays live. To watch it: ${tune}`;
  const verified =
    spec.stack === "staging"
      ? ` Staging marks the digest verified only after its bake${b.inconclusive === "pass" ? " passes or is inconclusive" : " passes"}.`
      : "";
  return (
    `Bake: for ${String(b.seconds)} s after go-live the deploy compares the new deployment's 5xx ratio and p95 latency (Railway's HTTP metrics) ` +
    `with the previous deployment's last ${String(b.seconds)} s, and rolls it back above +${String(Number((b.maxErrorRateIncrease * 100).toFixed(4)))} percentage points ` +
    `of 5xx (bakeMaxErrorRateIncrease) or ${String(b.maxLatencyRatio)}x its p95 (bakeMaxLatencyRatio). Fewer than ${String(b.minRequests)} ` +
    `requests (bakeMinRequests) is inconclusive, which ${b.inconclusive === "pass" ? "passes" : "fails and rolls back"} (bakeInconclusive).${verified} ` +
    `Tune: ${tune}; docs/railway.md §13.`
  );
}

export function planNotes(spec: PipelineSpec): string[] {
  const notes: string[] = [];
  const gate = approvalGateWarning(spec);
  if (gate !== undefined) notes.push(gate);
  const backend = backendWarning(spec);
  if (backend !== undefined) notes.push(backend);
  if (spec.files.length > 0) {
    // The rulesets (declared by the governing stack) require pull requests on the default branch;
    // only the delivery App may bypass them, so only it can commit the generated files directly.
    notes.push(
      `The generated files are committed straight to ${spec.repository.defaultBranch}, which the rulesets protect: ` +
        "run `pulumi up` as the delivery GitHub App (the deploy workflows do). With a personal token the commit is refused " +
        "once the rulesets exist, because only the App may bypass them.",
    );
  }
  if (spec.deployEnvironment.reviewerUsers.length + spec.deployEnvironment.reviewerTeams.length > 0) {
    notes.push(
      `Reviewers are looked up by login and team slug at \`pulumi up\`; the ids in this plan are stand-ins. ` +
        "Each reviewer needs read access to the repository.",
    );
  }
  const source = spec.ship.revisionSource;
  const ships =
    source.kind === "branch-head"
      ? `the head of ${source.branch}`
      : source.kind === "latest-release"
        ? "the latest published release"
        : `the pinned ${source.kind === "pinned-sha" ? source.sha : source.tag}`;
  notes.push(
    `\`pulumi up\` ships ${ships}. Without GitHub this plan cannot resolve a commit it is not given, and the image digest ` +
      `(sha256:000…) stands in for the one the build produces. Pin a revision with: pulumi config set appRevision <sha|tag> --stack ${spec.stack}`,
  );
  notes.push(bakeNote(spec));
  const image = spec.ship.imageSource;
  if (image.kind === "promote-verified") {
    notes.push(
      `Production deploys the digest staging verified for the same commit (the registry tag verified-sha-<commit>), looked up at \`pulumi up\`; ` +
        (image.buildWhenUnverified
          ? "a release staging never verified is built here."
          : "a release staging never verified is refused (buildUnverifiedRelease)."),
    );
  } else if (image.kind === "given") {
    notes.push(`Nothing is built: the stack deploys ${image.imageRef} (deployImage).`);
  }
  return notes;
}
