/**
 * The one serializer: model in, YAML out, with a "generated, do not edit"
 * header and each pinned SHA followed by its tag as a comment. Refuses a step
 * whose `with:` does not fit the action's declared inputs.
 */
import { Document, isPair, isScalar, visit } from "yaml";
import { isActionStep, isCallJob, type Job, type Permissions, type Step, type Triggers, type Workflow } from "./model";
import { pinnedUses, pins, type ActionName } from "./pins";

export class WorkflowModelError extends Error {
  override readonly name = "WorkflowModelError";
}

/**
 * Inputs an action reads although its action.yml does not declare them: the
 * only exceptions to "no undeclared input". create-github-app-token v3.1.1
 * requests every `permission-*` input it is given, declared or not, and
 * declares none for the Variables permission (see `variablesPermissionInput`
 * in identities.ts for the evidence). Drop an entry once a pinned version
 * declares the input: a test fails then.
 */
export const undeclaredInputsRead: Readonly<Partial<Record<ActionName, readonly string[]>>> = {
  "actions/create-github-app-token": ["permission-actions-variables"],
};

/** Checks a step's inputs against the pin table: unknown keys and missing required ones are bugs. */
export function checkActionInputs(step: Step, where: string): void {
  if (!isActionStep(step)) return;
  const declared = pins[step.action]?.inputs ?? {};
  const given = Object.keys(step.with ?? {});
  const readAnyway = undeclaredInputsRead[step.action] ?? [];
  const unknown = given.filter((k) => !(k in declared) && !readAnyway.includes(k));
  const missing = Object.entries(declared)
    .filter(([k, input]) => input.required && !given.includes(k))
    .map(([k]) => k);
  if (unknown.length > 0 || missing.length > 0) {
    throw new WorkflowModelError(
      `${where}: step "${step.name}" (${step.action}) ` +
        [
          unknown.length > 0 ? `passes undeclared inputs ${unknown.join(", ")}` : "",
          missing.length > 0 ? `lacks required inputs ${missing.join(", ")}` : "",
        ]
          .filter((s) => s !== "")
          .join(" and ") +
        `; declared: ${Object.keys(declared).join(", ")}`,
    );
  }
}

function renderPermissions(permissions: Permissions): Record<string, string> {
  return { ...permissions };
}

function renderTriggers(on: Triggers): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (on.push) out["push"] = { ...on.push };
  if (on.pullRequest) out["pull_request"] = { ...on.pullRequest };
  if (on.release) out["release"] = { types: [...on.release.types] };
  if (on.schedule) out["schedule"] = on.schedule.map((s) => ({ cron: s.cron }));
  if (on.workflowDispatch) out["workflow_dispatch"] = on.workflowDispatch.inputs ? { inputs: on.workflowDispatch.inputs } : null;
  if (on.workflowCall) {
    const secrets = on.workflowCall.secrets;
    out["workflow_call"] =
      secrets === undefined
        ? null
        : {
            secrets: Object.fromEntries(
              Object.entries(secrets).map(([name, s]) => [name, { description: s.description, required: s.required }]),
            ),
          };
  }
  return out;
}

function renderStep(step: Step): Record<string, unknown> {
  const out: Record<string, unknown> = { name: step.name };
  if (step.id !== undefined) out["id"] = step.id;
  if (step.if !== undefined) out["if"] = step.if;
  if (isActionStep(step)) {
    out["uses"] = pinnedUses(step.action);
    if (step.with !== undefined) out["with"] = { ...step.with };
  }
  if (step.env !== undefined) out["env"] = { ...step.env };
  if (!isActionStep(step)) {
    if (step.workingDirectory !== undefined) out["working-directory"] = step.workingDirectory;
    out["run"] = step.run;
  }
  return out;
}

function renderJob(job: Job, where: string): Record<string, unknown> {
  const out: Record<string, unknown> = { name: job.name };
  if (job.needs !== undefined) out["needs"] = [...job.needs];
  if (job.if !== undefined) out["if"] = job.if;
  out["permissions"] = renderPermissions(job.permissions);
  if (isCallJob(job)) {
    out["uses"] = job.uses;
    if (job.secrets !== undefined) out["secrets"] = { ...job.secrets };
    return out;
  }
  out["runs-on"] = job.runsOn;
  out["timeout-minutes"] = job.timeoutMinutes;
  if (job.environment !== undefined) out["environment"] = { ...job.environment };
  if (job.concurrency !== undefined)
    out["concurrency"] = { group: job.concurrency.group, "cancel-in-progress": job.concurrency.cancelInProgress };
  if (job.strategy !== undefined) out["strategy"] = { "fail-fast": job.strategy.failFast, matrix: { ...job.strategy.matrix } };
  if (job.services !== undefined) {
    out["services"] = Object.fromEntries(
      Object.entries(job.services).map(([k, s]) => [k, { image: s.image, ports: [...s.ports], options: s.options }]),
    );
  }
  if (job.env !== undefined) out["env"] = { ...job.env };
  if (job.outputs !== undefined) out["outputs"] = { ...job.outputs };
  out["steps"] = job.steps.map((step) => {
    checkActionInputs(step, where);
    return renderStep(step);
  });
  return out;
}

export function toGithubObject(workflow: Workflow): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: workflow.name,
    on: renderTriggers(workflow.on),
    permissions: renderPermissions(workflow.permissions),
  };
  if (workflow.concurrency !== undefined) {
    out["concurrency"] = { group: workflow.concurrency.group, "cancel-in-progress": workflow.concurrency.cancelInProgress };
  }
  out["jobs"] = Object.fromEntries(Object.entries(workflow.jobs).map(([id, job]) => [id, renderJob(job, `${workflow.path} job ${id}`)]));
  return out;
}

/**
 * After a call to a workflow of the same repository. zizmor's self-repository
 * audit (severity low) asks for GitHub's newer `$/path` form instead of
 * `./path`; actionlint, which every generated workflow must pass, rejects that
 * form. The finding is silenced where it arises, with the reason beside it.
 */
export const selfRepositoryIgnore =
  " zizmor: ignore[self-repository] -- actionlint rejects the $/ form; ./ is GitHub's documented same-repository call";

/** The header every generated file starts with. */
export function generatedHeader(regenerate: string): string {
  return [
    "Generated by delivery-pipeline from its typed workflow model (src/workflows/). Do not edit:",
    "a hand edit is overwritten. Change the model, then regenerate with:",
    `  ${regenerate}`,
  ].join("\n");
}

/**
 * Serializes any generated YAML document with the header. A value the model
 * shares between two places is written out twice, never as an anchor and
 * alias: Dependabot rejects anchors, and a reader should not have to resolve them.
 */
export function renderYaml(value: Record<string, unknown>, regenerate: string): string {
  // A pure function of its input, and the YAML library's document model is the costly part of a run:
  // the same document (a preview after a plan, the tests' many runs of one config) is serialized once.
  const key = `${regenerate}\n${JSON.stringify(value)}`;
  const known = rendered.get(key);
  if (known !== undefined) return known;
  const text = serialize(value, regenerate);
  if (rendered.size >= renderedKept) rendered.delete(rendered.keys().next().value ?? "");
  rendered.set(key, text);
  return text;
}

const rendered = new Map<string, string>();
const renderedKept = 64;

function serialize(value: Record<string, unknown>, regenerate: string): string {
  const doc = new Document(value, { aliasDuplicateObjects: false });
  doc.commentBefore = generatedHeader(regenerate)
    .split("\n")
    .map((line) => ` ${line}`)
    .join("\n");
  // After each pinned `uses:`, the tag the SHA was verified for; after each same-repository call, why it keeps `./`.
  visit(doc, {
    Pair(_, pair) {
      if (isPair(pair) && isScalar(pair.key) && pair.key.value === "uses" && isScalar(pair.value)) {
        const uses = String(pair.value.value);
        const action = uses.split("@")[0] ?? "";
        const pin = pins[action];
        if (pin !== undefined && uses.endsWith(pin.sha)) pair.value.comment = ` ${pin.version}`;
        else if (uses.startsWith("./")) pair.value.comment = selfRepositoryIgnore;
      }
    },
  });
  return doc.toString({ lineWidth: 0, nullStr: "" });
}

export function renderWorkflow(workflow: Workflow, regenerate: string): string {
  return renderYaml(toGithubObject(workflow), regenerate);
}
