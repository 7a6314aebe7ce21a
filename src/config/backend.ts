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

export type StateBackendKind = "pulumi-cloud" | "s3" | "gs" | "azblob" | "file";

export interface BackendProblem {
  /** What is wrong with this URL. */
  readonly message: string;
  /** A corrected URL, keeping what the user wrote where it can. */
  readonly example: string;
}

export const stateBackendAllowed =
  "https://api.pulumi.com (Pulumi Cloud, or a self-hosted Pulumi Cloud's https URL), s3://bucket[/prefix]?region=<region>[&endpoint=...], " +
  "gs://bucket[/prefix], azblob://container[/prefix]?storage_account=<account>, or file://<folder> (local use only: the workflows cannot reach it)";

const s3Bucket = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
// GCS: 3-63 characters per dot-separated part, at most 222 in all; lowercase, digits, - _ .
const gsBucket = /^(?=.{3,222}$)[a-z0-9][a-z0-9._-]*[a-z0-9]$/;
const azureContainer = /^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const azureAccount = /^[a-z0-9]{3,24}$/;
const prefix = /^(?:\/[A-Za-z0-9._-]+)*\/?$/;
const host = /^[A-Za-z0-9.-]+(?::[0-9]{1,5})?$/;
// AWS regions (us-east-1) and what S3-compatible stores accept (auto, fra1).
const region = /^[a-z0-9-]{2,30}$/;
const queryName = /^[A-Za-z_][A-Za-z0-9_]*$/;

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

interface Parts {
  readonly authority: string;
  readonly path: string;
  readonly query: ReadonlyMap<string, string>;
  readonly rawQuery: string;
}

function split(rest: string): Parts | undefined {
  const q = rest.indexOf("?");
  const before = q === -1 ? rest : rest.slice(0, q);
  const rawQuery = q === -1 ? "" : rest.slice(q + 1);
  const slash = before.indexOf("/");
  const authority = slash === -1 ? before : before.slice(0, slash);
  const path = slash === -1 ? "" : before.slice(slash);
  const query = new Map<string, string>();
  if (rawQuery !== "") {
    for (const pair of rawQuery.split("&")) {
      const eq = pair.indexOf("=");
      const name = eq === -1 ? pair : pair.slice(0, eq);
      if (!queryName.test(name)) return undefined;
      let value: string;
      try {
        value = decodeURIComponent(eq === -1 ? "" : pair.slice(eq + 1));
      } catch {
        return undefined;
      }
      query.set(name, value);
    }
  }
  return { authority, path, query, rawQuery };
}

/** The URL with its query replaced by `params` (in order), for an example. */
function withQuery(scheme: string, parts: Parts, params: ReadonlyMap<string, string>): string {
  const query = [...params].map(([k, v]) => `${k}=${v}`).join("&");
  return `${scheme}://${parts.authority}${parts.path}${query === "" ? "" : `?${query}`}`;
}

/**
 * Why the workflows could not use this backend URL, or `undefined` when they
 * can (or, for `file://`, when it is a well-formed local folder: the warning
 * about CI is `localBackendWarning`'s).
 */
export function stateBackendProblem(url: string): BackendProblem | undefined {
  const kind = stateBackendKind(url);
  const rest = url.replace(/^[a-z0-9]+:\/\//i, "");
  const parts = split(rest);
  if (kind !== undefined && kind !== "file" && parts === undefined) {
    return {
      message: "has a query that is not name=value pairs joined by &",
      example: url.replace(/\?.*$/, "") + (kind === "s3" ? "?region=us-east-1" : ""),
    };
  }
  switch (kind) {
    case undefined: {
      if (/^http:\/\//i.test(url))
        return { message: "is plain http: Pulumi Cloud is reached over https", example: url.replace(/^http:/i, "https:") };
      if (/^postgres(?:ql)?:\/\//i.test(url)) {
        return {
          message:
            "is a Postgres backend, whose URL carries the database password and which GitHub's runners would need to reach: the workflows publish this URL as a plain variable",
          example: "s3://acme-pulumi-state?region=us-east-1",
        };
      }
      return { message: "is not a state backend the workflows can log in to", example: "s3://acme-pulumi-state?region=us-east-1" };
    }
    case "pulumi-cloud":
      if (parts === undefined || !host.test(parts.authority) || !/^\/?$/.test(parts.path) || parts.rawQuery !== "") {
        return {
          message: "is not a Pulumi Cloud URL: only the API's scheme and host (and port), as pulumi login takes it",
          example: "https://api.pulumi.com",
        };
      }
      if (/^app\.pulumi\.com$/i.test(parts.authority)) {
        return { message: "is Pulumi Cloud's web console, not its API", example: "https://api.pulumi.com" };
      }
      return undefined;
    case "s3": {
      if (parts === undefined || !s3Bucket.test(parts.authority) || !prefix.test(parts.path)) {
        return {
          message: "is not an S3 bucket URL (bucket: 3-63 lowercase letters, digits, . and -)",
          example: "s3://acme-pulumi-state?region=us-east-1",
        };
      }
      if (parts.query.has("profile")) {
        const params = new Map(parts.query);
        params.delete("profile");
        if (!params.has("region")) params.set("region", "us-east-1");
        return {
          message:
            "names an AWS profile, which lives in ~/.aws on your machine: GitHub's runners have none, and the workflows log in with the stack's awsAccessKeyId and awsSecretAccessKey",
          example: withQuery("s3", parts, params),
        };
      }
      const r = parts.query.get("region");
      if (r === undefined || !region.test(r)) {
        const params = new Map(parts.query);
        params.set("region", "us-east-1");
        return {
          message:
            r === undefined
              ? "has no region: Pulumi's S3 backend fails without one, and GitHub's runners have no AWS_REGION or ~/.aws/config to take it from (use your bucket's region)"
              : "has a region that is not one (lowercase letters, digits and -, such as us-east-1)",
          example: withQuery("s3", parts, params),
        };
      }
      return undefined;
    }
    case "gs":
      if (parts === undefined || !gsBucket.test(parts.authority) || !prefix.test(parts.path) || parts.rawQuery !== "") {
        return {
          message: "is not a Google Cloud Storage bucket URL (gs://bucket[/prefix]; bucket lowercase letters, digits, . _ -)",
          example: "gs://acme-pulumi-state",
        };
      }
      return undefined;
    case "azblob": {
      if (parts === undefined || !azureContainer.test(parts.authority) || !prefix.test(parts.path)) {
        return {
          message: "is not an Azure Blob Storage container URL (container: 3-63 lowercase letters, digits and single -)",
          example: "azblob://pulumi-state?storage_account=acmepulumistate",
        };
      }
      const account = parts.query.get("storage_account");
      if (account === undefined || !azureAccount.test(account)) {
        const params = new Map(parts.query);
        params.set("storage_account", "acmepulumistate");
        return {
          message:
            account === undefined
              ? "names no storage account: GitHub's runners have no AZURE_STORAGE_ACCOUNT, so the URL must carry it (use your account's name)"
              : "names a storage account that is not one (3-24 lowercase letters and digits)",
          example: withQuery("azblob", parts, params),
        };
      }
      return undefined;
    }
    case "file":
      if (rest === "" || rest.includes("?")) return { message: "names no folder", example: "file://~" };
      return undefined;
  }
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
