/**
 * The repository as the GitHub stand-in holds it after `pulumi up`, as the reachability analysis reads it
 * (src/pipeline/reachability.ts): the environments GitHub keeps (their reviewers, admin bypass and the refs
 * they admit), the secrets in each, the rulesets, Actions' own permissions and the workflow files on the
 * default branch. The analysis then judges what was actually created, not what the spec meant to create.
 */
import { parse } from "yaml";
import { githubEntries, projectName, type GithubEntry, type SecretKey } from "../../src/config";
import type { RepositoryModel } from "../../src/pipeline";
import type { Workflow } from "../../src/workflows/model";
import type { GitHubStateStandIn } from "./githubState";

type Json = Readonly<Record<string, unknown>>;
const record = (v: unknown): Json => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : {});
const list = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);

/** The config key a GitHub secret of `environment` holds: a read-only stand-in where its key is set (entryEnvironments' rule). */
function configKeyOf(name: string, environment: string | undefined, secretsSet: readonly string[]): SecretKey {
  const candidates = githubEntries.filter(
    (e): e is GithubEntry & { source: { configKey: SecretKey } } => e.kind === "secret" && e.name === name && "configKey" in e.source,
  );
  const readOnly = environment !== undefined && /-(preview|drift)$/.test(environment);
  const pick =
    (readOnly ? candidates.find((e) => e.preview === "only" && secretsSet.includes(e.source.configKey)) : undefined) ??
    candidates.find((e) => e.preview !== "only") ??
    candidates[0];
  if (pick === undefined) throw new Error(`GitHub holds a secret ${name} no catalog entry names`);
  return pick.source.configKey;
}

function rulesetGates(bodies: readonly Json[], actionsMayApprove: boolean): Pick<RepositoryModel, "reviewedBranches" | "guardedTags"> {
  const active = bodies.filter((b) => b["enforcement"] === "active");
  const rules = (b: Json): Json[] => list(b["rules"]).map(record);
  const has = (b: Json, type: string): boolean => rules(b).some((r) => r["type"] === type);
  const includes = (b: Json): string[] => list(record(record(b["conditions"])["ref_name"])["include"]).map(String);
  const reviewed = active.filter(
    (b) =>
      b["target"] === "branch" &&
      has(b, "deletion") &&
      has(b, "non_fast_forward") &&
      rules(b).some((r) => r["type"] === "pull_request" && Number(record(r["parameters"])["required_approving_review_count"]) > 0),
  );
  const guarded = active.filter((b) => b["target"] === "tag" && has(b, "creation") && has(b, "update") && has(b, "deletion"));
  return {
    reviewedBranches: actionsMayApprove ? [] : reviewed.flatMap(includes).map((r) => r.replace(/^refs\/heads\//, "")),
    guardedTags: guarded.flatMap(includes).map((r) => r.replace(/^refs\/tags\//, "")),
  };
}

/** `secretsSet`: per stack, the secret config keys its stack file holds (`secure:`). */
export function repositoryModelOfGitHub(
  github: GitHubStateStandIn,
  secretsSet: Readonly<Record<string, readonly SecretKey[]>>,
): RepositoryModel {
  const snapshot = github.snapshot();
  const stackOf = (environment: string): string => environment.replace(/-(preview|drift)$/, "");
  return {
    defaultBranch: github.defaultBranch,
    environments: snapshot.environments.map((env) => {
      const policy = env.deploymentBranchPolicy === null ? undefined : env.deploymentPolicies[0];
      return {
        name: env.name,
        stack: stackOf(env.name),
        reviewers: env.reviewers.length,
        preventSelfReview: env.preventSelfReview,
        canAdminsBypass: env.canAdminsBypass,
        policy: policy === undefined ? undefined : { kind: policy.type === "tag" ? "tag" : "branch", pattern: policy.name },
        secrets: env.secrets.map((name) => configKeyOf(name, env.name, secretsSet[stackOf(env.name)] ?? [])),
      };
    }),
    repositorySecrets: snapshot.repositorySecrets.map((name) => ({ stack: "staging", configKey: configKeyOf(name, undefined, []) })),
    ...rulesetGates(github.rulesetBodies(), snapshot.workflowPermissions.canApprovePullRequestReviews),
    configSecrets: secretsSet,
  };
}

const camel = (key: string): string => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** The workflow files on the default branch, as far as the analysis reads them: their triggers and the environments their jobs ask for. */
export function committedWorkflows(github: GitHubStateStandIn): Workflow[] {
  const files = github.snapshot().files[github.defaultBranch] ?? {};
  return Object.entries(files)
    .filter(([path]) => /^\.github\/workflows\/[^/]+\.ya?ml$/.test(path))
    .map(([path, text]): Workflow => {
      const doc = record(parse(text));
      const on = doc["on"];
      const triggers =
        typeof on === "string" ? { [on]: {} } : Array.isArray(on) ? Object.fromEntries(on.map((o) => [String(o), {}])) : record(on);
      const jobs = Object.fromEntries(
        Object.entries(record(doc["jobs"])).map(([id, job]) => {
          const j = record(job);
          const environment = typeof j["environment"] === "string" ? j["environment"] : record(j["environment"])["name"];
          const matrix = Object.fromEntries(
            Object.entries(record(record(j["strategy"])["matrix"])).map(([k, v]) => [k, list(v).map(String)]),
          );
          return [
            id,
            {
              name: id,
              permissions: {},
              runsOn: "ubuntu-latest",
              timeoutMinutes: 1,
              steps: [],
              ...(typeof environment === "string" ? { environment: { name: environment } } : {}),
              strategy: { failFast: false, matrix },
            },
          ];
        }),
      );
      return {
        path,
        name: typeof doc["name"] === "string" ? doc["name"] : path,
        on: Object.fromEntries(Object.keys(triggers).map((k) => [camel(k), {}])),
        permissions: {},
        jobs,
      };
    });
}

/** The secret keys a stack file holds encrypted. */
export function secureKeys(stackFileText: string): SecretKey[] {
  const config = record(record(parse(stackFileText))["config"]);
  return Object.entries(config)
    .filter(([, v]) => "secure" in record(v))
    .map(([k]) => k.replace(`${projectName}:`, "") as SecretKey);
}
