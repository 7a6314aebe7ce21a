/**
 * A typed model of a GitHub Actions workflow: only what this program
 * generates, with the safety-relevant fields required (permissions on every
 * workflow and job, a timeout on every job that runs steps).
 */
import type { ActionName } from "./pins";

export type PermissionScope = "actions" | "checks" | "contents" | "deployments" | "id-token" | "issues" | "pull-requests" | "statuses";
/** `{}` grants nothing: GitHub's `permissions: {}`. */
export type Permissions = Readonly<Partial<Record<PermissionScope, "read" | "write">>>;

export interface Concurrency {
  readonly group: string;
  /** Deploys never cancel an update in progress: a cancelled `pulumi up` leaves pending operations. */
  readonly cancelInProgress: boolean;
}

export interface WorkflowDispatchInput {
  readonly description: string;
  readonly required: boolean;
  readonly type: "string" | "boolean" | "choice";
}

/** A secret a reusable workflow takes from the workflows that call it. */
export interface WorkflowCallSecret {
  readonly description: string;
  readonly required: boolean;
}

export interface Triggers {
  readonly push?: { readonly branches?: readonly string[]; readonly paths?: readonly string[] };
  readonly pullRequest?: { readonly branches?: readonly string[]; readonly paths?: readonly string[] };
  /** Callable by other workflows; it sees only the secrets declared here, each passed by name by the caller. */
  readonly workflowCall?: { readonly secrets?: Readonly<Record<string, WorkflowCallSecret>> };
  readonly workflowDispatch?: { readonly inputs?: Readonly<Record<string, WorkflowDispatchInput>> };
  readonly release?: { readonly types: readonly ("published" | "released")[] };
  readonly schedule?: readonly { readonly cron: string }[];
}

export type With = Readonly<Record<string, string | number | boolean>>;
export type Env = Readonly<Record<string, string>>;

interface StepBase {
  /** Says what failed when the step fails. */
  readonly name: string;
  readonly id?: string;
  readonly if?: string;
  /** Untrusted or secret values reach `run:` only through here. */
  readonly env?: Env;
}
export interface RunStep extends StepBase {
  readonly run: string;
  readonly workingDirectory?: string;
}
export interface ActionStep extends StepBase {
  readonly action: ActionName;
  readonly with?: With;
}
export type Step = RunStep | ActionStep;

export interface Service {
  readonly image: string;
  readonly ports: readonly string[];
  readonly options: string;
}

interface JobBase {
  readonly name: string;
  readonly permissions: Permissions;
  readonly needs?: readonly string[];
  readonly if?: string;
}
export interface StepsJob extends JobBase {
  readonly runsOn: string;
  readonly timeoutMinutes: number;
  readonly environment?: { readonly name: string; readonly url?: string };
  readonly concurrency?: Concurrency;
  readonly strategy?: { readonly failFast: boolean; readonly matrix: Readonly<Record<string, readonly string[]>> };
  readonly services?: Readonly<Record<string, Service>>;
  readonly env?: Env;
  readonly outputs?: Readonly<Record<string, string>>;
  readonly steps: readonly Step[];
}
/** A job that calls a reusable workflow of the same repository; its jobs carry their own timeouts. */
export interface CallJob extends JobBase {
  readonly uses: string;
  /**
   * Secret name to value (`${{ secrets.NAME }}`), for each secret the called workflow declares.
   * There is no `inherit`: the called workflow gets exactly the secrets listed, not all of the caller's.
   */
  readonly secrets?: Readonly<Record<string, string>>;
}
export type Job = StepsJob | CallJob;

export interface Workflow {
  /** Path in the repository, e.g. `.github/workflows/test.yml`. */
  readonly path: string;
  readonly name: string;
  readonly on: Triggers;
  readonly permissions: Permissions;
  readonly concurrency?: Concurrency;
  readonly jobs: Readonly<Record<string, Job>>;
}

export function isCallJob(job: Job): job is CallJob {
  return "uses" in job;
}

export function isActionStep(step: Step): step is ActionStep {
  return "action" in step;
}
