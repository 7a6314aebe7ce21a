/**
 * The Pulumi state backends the generated workflows can log in to, and what
 * each needs on a GitHub runner. `stateBackendUrl` is the URL `pulumi login`
 * takes and the workflows' `PULUMI_BACKEND_URL`, so everything a runner cannot
 * take from a developer's machine (an AWS profile, a region in ~/.aws/config,
 * an Azure account in the shell) must be in the URL itself; credentials come
 * from the stack's secrets (the catalog says which, per backend).
 *
 * Pulumi's DIY backends (pulumi/pulumi pkg/backend/diy) open the URL with
 * gocloud.dev's blob drivers: s3blob reads the region from `?region=` or the
 * AWS environment, azureblob the account from `?storage_account=` or
 * AZURE_STORAGE_ACCOUNT, and gcsblob's credentials come from GOOGLE_CREDENTIALS
 * (pkg/authhelpers/gcpauth.go) or the default credentials.
 */

import {
  fileBackendProblem,
  malformedQueryProblem,
  remoteBackendJudges,
  split,
  unknownBackendProblem,
  type BackendProblem,
  type StateBackendKind,
} from "./backendKinds";

// Defined beside the judges of each kind; importers know them from here.
export type { BackendProblem, StateBackendKind } from "./backendKinds";

export const stateBackendAllowed =
  "https://api.pulumi.com (Pulumi Cloud, or a self-hosted Pulumi Cloud's https URL), s3://bucket[/prefix]?region=<region>[&endpoint=...], " +
  "gs://bucket[/prefix], azblob://container[/prefix]?storage_account=<account>, or file://<folder> (local use only: the workflows cannot reach it)";

/** Which backend a URL names, by its scheme alone (before it is judged). */
export function stateBackendKind(url: string): StateBackendKind | undefined {
  const scheme = /^([a-z0-9]+):\/\//i.exec(url.trim())?.[1]?.toLowerCase();
  switch (scheme) {
    case "https":
      return "pulumi-cloud";
    case "s3":
    case "gs":
    case "azblob":
    case "file":
      return scheme;
    default:
      return undefined;
  }
}

/**
 * Why the workflows could not use this backend URL, or `undefined` when they
 * can (or, for `file://`, when it is a well-formed local folder: the warning
 * about CI is `localBackendWarning`'s).
 */
export function stateBackendProblem(url: string): BackendProblem | undefined {
  const kind = stateBackendKind(url);
  if (kind === undefined) return unknownBackendProblem(url);
  const rest = url.replace(/^[a-z0-9]+:\/\//i, "");
  if (kind === "file") return fileBackendProblem(rest);
  const parts = split(rest);
  return parts === undefined ? malformedQueryProblem(url, kind) : remoteBackendJudges[kind](parts);
}

/**
 * A `file://` backend is a folder on the machine that ran `pulumi up`: fine for
 * one person trying the program, unreachable from the workflows it commits.
 */
export function localBackendWarning(stack: string, url: string): string | undefined {
  if (stateBackendKind(url) !== "file") return undefined;
  return (
    `stateBackendUrl is ${url}, a folder on this machine: the deploy, preview and drift workflows this program commits run on GitHub's runners, ` +
    "cannot reach it, and stop at their first step saying so. Fine for trying the program alone; before the workflows run, move both stacks " +
    'to a backend the runners can reach (s3://, gs://, azblob:// or Pulumi Cloud; README "Before you start", state backend) with ' +
    `pulumi stack export and pulumi stack import, then pulumi config set stateBackendUrl 's3://<bucket>?region=<region>' --stack ${stack} (and the same for the other stack).`
  );
}
