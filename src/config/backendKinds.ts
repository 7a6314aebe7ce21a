/**
 * What each kind of state backend URL must hold for a GitHub runner to log in
 * with it, one judge per kind (backend.ts says why each rule exists and picks
 * the judge). A judge returns what is wrong with the URL and a corrected one
 * that keeps what the user wrote where it can.
 */

export type StateBackendKind = "pulumi-cloud" | "s3" | "gs" | "azblob" | "file";

export interface BackendProblem {
  /** What is wrong with this URL. */
  readonly message: string;
  /** A corrected URL, keeping what the user wrote where it can. */
  readonly example: string;
}

/** A URL without its scheme: what comes before the first `/`, the path, and the query (decoded, and as written). */
export interface Parts {
  readonly authority: string;
  readonly path: string;
  readonly query: ReadonlyMap<string, string>;
  readonly rawQuery: string;
}

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

/** The example for a URL nothing of which can be kept: the backend most teams pick. */
export const s3Example = "s3://acme-pulumi-state?region=us-east-1";
const pulumiCloudExample = "https://api.pulumi.com";

/** The query's name=value pairs, decoded; `undefined` when a pair is not one. */
export function parseQuery(rawQuery: string): Map<string, string> | undefined {
  const query = new Map<string, string>();
  if (rawQuery === "") return query;
  for (const pair of rawQuery.split("&")) {
    const eq = pair.indexOf("=");
    const name = eq === -1 ? pair : pair.slice(0, eq);
    if (!queryName.test(name)) return undefined;
    try {
      query.set(name, decodeURIComponent(eq === -1 ? "" : pair.slice(eq + 1)));
    } catch {
      return undefined;
    }
  }
  return query;
}

/** Splits what follows the scheme into its parts; `undefined` when the query is not name=value pairs. */
export function split(rest: string): Parts | undefined {
  const q = rest.indexOf("?");
  const before = q === -1 ? rest : rest.slice(0, q);
  const rawQuery = q === -1 ? "" : rest.slice(q + 1);
  const slash = before.indexOf("/");
  const query = parseQuery(rawQuery);
  if (query === undefined) return undefined;
  return {
    authority: slash === -1 ? before : before.slice(0, slash),
    path: slash === -1 ? "" : before.slice(slash),
    query,
    rawQuery,
  };
}

/** The URL with its query replaced by `params` (in order), for an example. */
export function withQuery(scheme: string, parts: Parts, params: ReadonlyMap<string, string>): string {
  const query = [...params].map(([k, v]) => `${k}=${v}`).join("&");
  return `${scheme}://${parts.authority}${parts.path}${query === "" ? "" : `?${query}`}`;
}

/** A URL of no backend the workflows know: plain http and Postgres get their own words. */
export function unknownBackendProblem(url: string): BackendProblem {
  if (/^http:\/\//i.test(url))
    return { message: "is plain http: Pulumi Cloud is reached over https", example: url.replace(/^http:/i, "https:") };
  if (/^postgres(?:ql)?:\/\//i.test(url)) {
    return {
      message:
        "is a Postgres backend, whose URL carries the database password and which GitHub's runners would need to reach: the workflows publish this URL as a plain variable",
      example: s3Example,
    };
  }
  return { message: "is not a state backend the workflows can log in to", example: s3Example };
}

/** A remote backend's URL whose query cannot be read; an S3 example keeps the region it needs. */
export function malformedQueryProblem(url: string, kind: StateBackendKind): BackendProblem {
  return {
    message: "has a query that is not name=value pairs joined by &",
    example: url.replace(/\?.*$/, "") + (kind === "s3" ? "?region=us-east-1" : ""),
  };
}

/** `rest` is what follows `file://`: a folder, and nothing a query could mean. */
export function fileBackendProblem(rest: string): BackendProblem | undefined {
  if (rest === "" || rest.includes("?")) return { message: "names no folder", example: "file://~" };
  return undefined;
}

export function pulumiCloudProblem(parts: Parts): BackendProblem | undefined {
  if (!host.test(parts.authority) || !/^\/?$/.test(parts.path) || parts.rawQuery !== "") {
    return {
      message: "is not a Pulumi Cloud URL: only the API's scheme and host (and port), as pulumi login takes it",
      example: pulumiCloudExample,
    };
  }
  if (/^app\.pulumi\.com$/i.test(parts.authority))
    return { message: "is Pulumi Cloud's web console, not its API", example: pulumiCloudExample };
  return undefined;
}

const userinfo = /^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i;

/**
 * An S3-compatible endpoint the workflows could not use safely: plain http (an http endpoint, or gocloud's
 * disableSSL and disable_https), or credentials in the endpoint. The example keeps the rest of the URL.
 */
export function s3TransportProblem(parts: Parts): BackendProblem | undefined {
  const params = new Map(parts.query);
  const reasons: string[] = [];
  const endpoint = parts.query.get("endpoint") ?? "";
  if (userinfo.test(endpoint)) {
    params.set("endpoint", endpoint.replace(userinfo, "$1"));
    reasons.push(
      "has credentials in its endpoint (user:password@): the workflows publish this URL as the plain repository variable PULUMI_BACKEND_URL, and the backend's keys are the secrets awsAccessKeyId and awsSecretAccessKey",
    );
  }
  const insecure = ["disableSSL", "disable_https"].filter((name) => {
    const value = parts.query.get(name);
    return value !== undefined && !/^(?:0|f|false)$/i.test(value);
  });
  for (const name of insecure) params.delete(name);
  if (/^http:\/\//i.test(endpoint)) params.set("endpoint", (params.get("endpoint") ?? endpoint).replace(/^http:/i, "https:"));
  const plain = [
    ...(/^http:\/\//i.test(endpoint) ? ["endpoint=http://"] : []),
    ...insecure.map((name) => `${name}=${parts.query.get(name) ?? ""}`),
  ];
  if (plain.length > 0) {
    reasons.push(
      `reaches S3 over plain http (${plain.join(", ")}): the state, with every secret of the stack encrypted in it, would cross the network unencrypted and could be changed on the way; S3 endpoints are reached over https`,
    );
  }
  return reasons.length === 0 ? undefined : { message: reasons.join("; and it "), example: withQuery("s3", parts, params) };
}

export function s3Problem(parts: Parts): BackendProblem | undefined {
  if (!s3Bucket.test(parts.authority) || !prefix.test(parts.path)) {
    return { message: "is not an S3 bucket URL (bucket: 3-63 lowercase letters, digits, . and -)", example: s3Example };
  }
  const transport = s3TransportProblem(parts);
  if (transport !== undefined) {
    // The corrected URL judged in turn (it has no transport problem left), so the example is one that works.
    const corrected = split(transport.example.replace(/^s3:\/\//, ""));
    const rest = corrected === undefined ? undefined : s3Problem(corrected);
    return rest === undefined ? transport : { message: `${transport.message}; and it ${rest.message}`, example: rest.example };
  }
  const params = new Map(parts.query);
  if (params.delete("profile")) {
    if (!params.has("region")) params.set("region", "us-east-1");
    return {
      message:
        "names an AWS profile, which lives in ~/.aws on your machine: GitHub's runners have none, and the workflows log in with the stack's awsAccessKeyId and awsSecretAccessKey",
      example: withQuery("s3", parts, params),
    };
  }
  const r = parts.query.get("region");
  if (r !== undefined && region.test(r)) return undefined;
  params.set("region", "us-east-1");
  return {
    message:
      r === undefined
        ? "has no region: Pulumi's S3 backend fails without one, and GitHub's runners have no AWS_REGION or ~/.aws/config to take it from (use your bucket's region)"
        : "has a region that is not one (lowercase letters, digits and -, such as us-east-1)",
    example: withQuery("s3", parts, params),
  };
}

export function gsProblem(parts: Parts): BackendProblem | undefined {
  if (gsBucket.test(parts.authority) && prefix.test(parts.path) && parts.rawQuery === "") return undefined;
  return {
    message: "is not a Google Cloud Storage bucket URL (gs://bucket[/prefix]; bucket lowercase letters, digits, . _ -)",
    example: "gs://acme-pulumi-state",
  };
}

export function azblobProblem(parts: Parts): BackendProblem | undefined {
  if (!azureContainer.test(parts.authority) || !prefix.test(parts.path)) {
    return {
      message: "is not an Azure Blob Storage container URL (container: 3-63 lowercase letters, digits and single -)",
      example: "azblob://pulumi-state?storage_account=acmepulumistate",
    };
  }
  const account = parts.query.get("storage_account");
  if (account !== undefined && azureAccount.test(account)) return undefined;
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

/** The judge of each backend whose URL has a host or bucket and a query (`file://` has neither: fileBackendProblem). */
export const remoteBackendJudges: { readonly [K in Exclude<StateBackendKind, "file">]: (parts: Parts) => BackendProblem | undefined } = {
  "pulumi-cloud": pulumiCloudProblem,
  s3: s3Problem,
  gs: gsProblem,
  azblob: azblobProblem,
};
