// Each piece of the state backend check on its own: the URL's parts, and the judge of each kind
// (backend.test.ts checks the whole through validation; these pin what each piece answers).
import { describe, expect, it } from "vitest";
import { stateBackendProblem } from "../../src/config";
import {
  azblobProblem,
  fileBackendProblem,
  gsProblem,
  malformedQueryProblem,
  parseQuery,
  pulumiCloudProblem,
  remoteBackendJudges,
  s3Example,
  s3Problem,
  split,
  unknownBackendProblem,
  withQuery,
  type Parts,
} from "../../src/config/backendKinds";

const parts = (rest: string): Parts => {
  const result = split(rest);
  if (result === undefined) throw new Error(`no parts in ${rest}`);
  return result;
};

describe("parseQuery", () => {
  it("decodes name=value pairs in order, a bare name as empty", () => {
    expect([...(parseQuery("region=us-east-1&endpoint=https%3A%2F%2Fx&flag") ?? [])]).toEqual([
      ["region", "us-east-1"],
      ["endpoint", "https://x"],
      ["flag", ""],
    ]);
    expect(parseQuery("")?.size).toBe(0);
  });

  it("refuses a name that is not one, and a value that does not decode", () => {
    expect(parseQuery("region=a&=b")).toBeUndefined();
    expect(parseQuery("1x=b")).toBeUndefined();
    expect(parseQuery("region=%zz")).toBeUndefined();
  });
});

describe("split", () => {
  it("separates authority, path and query", () => {
    const p = parts("bucket/a/b?region=eu-west-1");
    expect([p.authority, p.path, p.rawQuery, p.query.get("region")]).toEqual(["bucket", "/a/b", "region=eu-west-1", "eu-west-1"]);
    expect(parts("bucket")).toMatchObject({ authority: "bucket", path: "", rawQuery: "" });
  });

  it("has no parts for a query that is not pairs", () => {
    expect(split("bucket?a b=c")).toBeUndefined();
  });
});

describe("withQuery", () => {
  it("replaces the query, keeping bucket and prefix; no ? when nothing is left", () => {
    const p = parts("bucket/state?profile=x");
    expect(withQuery("s3", p, new Map([["region", "eu-west-1"]]))).toBe("s3://bucket/state?region=eu-west-1");
    expect(withQuery("gs", p, new Map())).toBe("gs://bucket/state");
  });
});

describe("unknownBackendProblem", () => {
  it("turns plain http into https, keeping the host", () => {
    expect(unknownBackendProblem("HTTP://pulumi.acme.internal")).toEqual({
      message: "is plain http: Pulumi Cloud is reached over https",
      example: "https://pulumi.acme.internal",
    });
  });

  it("refuses Postgres without echoing its URL, and anything else with the S3 example", () => {
    const postgres = unknownBackendProblem("postgresql://u:pw@db/x");
    expect(postgres.message).toMatch(/^is a Postgres backend/);
    expect(postgres.example).toBe(s3Example);
    expect(unknownBackendProblem("bucket")).toEqual({ message: "is not a state backend the workflows can log in to", example: s3Example });
  });
});

describe("malformedQueryProblem", () => {
  it("drops the query; an S3 example gets the region it needs", () => {
    expect(malformedQueryProblem("s3://b?x y", "s3").example).toBe("s3://b?region=us-east-1");
    expect(malformedQueryProblem("gs://b?x y", "gs")).toEqual({
      message: "has a query that is not name=value pairs joined by &",
      example: "gs://b",
    });
  });
});

describe("fileBackendProblem", () => {
  it("accepts a folder, refuses none or a query", () => {
    expect(fileBackendProblem("/var/state")).toBeUndefined();
    expect(fileBackendProblem("")).toEqual({ message: "names no folder", example: "file://~" });
    expect(fileBackendProblem("/var?x=1")?.message).toBe("names no folder");
  });
});

describe("pulumiCloudProblem", () => {
  it("accepts a host with an optional port and a bare slash", () => {
    expect(pulumiCloudProblem(parts("api.pulumi.com/"))).toBeUndefined();
    expect(pulumiCloudProblem(parts("pulumi.acme.internal:8443"))).toBeUndefined();
  });

  it.each(["api.pulumi.com/acme", "api.pulumi.com?org=acme", "user@host"])("refuses more than a host: %s", (rest) => {
    expect(pulumiCloudProblem(parts(rest))).toEqual({
      message: "is not a Pulumi Cloud URL: only the API's scheme and host (and port), as pulumi login takes it",
      example: "https://api.pulumi.com",
    });
  });

  it("refuses the web console", () => {
    expect(pulumiCloudProblem(parts("App.Pulumi.com"))?.message).toBe("is Pulumi Cloud's web console, not its API");
  });
});

describe("s3Problem", () => {
  it("accepts a bucket with a prefix and a region", () => {
    expect(s3Problem(parts("acme-state/a/b?region=auto&awssdk=v2"))).toBeUndefined();
  });

  it("refuses a bucket that is not one with the generic example", () => {
    expect(s3Problem(parts("Acme?region=eu-west-1"))?.example).toBe(s3Example);
    expect(s3Problem(parts("acme-state/a b?region=eu-west-1"))?.example).toBe(s3Example);
  });

  it("drops a profile, keeping a region or adding one", () => {
    expect(s3Problem(parts("acme-state?profile=w&region=eu-west-1"))?.example).toBe("s3://acme-state?region=eu-west-1");
    const added = s3Problem(parts("acme-state?profile=w"));
    expect(added?.example).toBe("s3://acme-state?region=us-east-1");
    expect(added?.message).toMatch(/^names an AWS profile/);
  });

  it("adds a missing region after the rest of the query; replaces a bad one in place", () => {
    const missing = s3Problem(parts("acme-state?awssdk=v2"));
    expect(missing?.example).toBe("s3://acme-state?awssdk=v2&region=us-east-1");
    expect(missing?.message).toMatch(/^has no region/);
    const bad = s3Problem(parts("acme-state?region=EU&awssdk=v2"));
    expect(bad?.example).toBe("s3://acme-state?region=us-east-1&awssdk=v2");
    expect(bad?.message).toBe("has a region that is not one (lowercase letters, digits and -, such as us-east-1)");
  });
});

describe("gsProblem", () => {
  it("accepts a bucket with a prefix, refuses a query or a bad bucket", () => {
    expect(gsProblem(parts("acme.state_1/x"))).toBeUndefined();
    expect(gsProblem(parts("acme-state?project=x"))?.example).toBe("gs://acme-pulumi-state");
    expect(gsProblem(parts("ab"))?.message).toMatch(/^is not a Google Cloud Storage bucket URL/);
  });
});

describe("azblobProblem", () => {
  it("accepts a container with its storage account", () => {
    expect(azblobProblem(parts("pulumi-state/x?storage_account=acme1"))).toBeUndefined();
  });

  it("refuses a container that is not one", () => {
    expect(azblobProblem(parts("a--b?storage_account=acme1"))?.example).toBe("azblob://pulumi-state?storage_account=acmepulumistate");
  });

  it("adds a missing account, replaces a bad one, keeping the container and prefix", () => {
    const missing = azblobProblem(parts("state/x"));
    expect(missing?.example).toBe("azblob://state/x?storage_account=acmepulumistate");
    expect(missing?.message).toMatch(/^names no storage account/);
    const bad = azblobProblem(parts("state?storage_account=Acme"));
    expect(bad?.message).toBe("names a storage account that is not one (3-24 lowercase letters and digits)");
  });
});

describe("stateBackendProblem picks the judge of the URL's kind", () => {
  it("has a judge for each remote kind, and the same answer through the table as through the URL", () => {
    expect(Object.keys(remoteBackendJudges).sort()).toEqual(["azblob", "gs", "pulumi-cloud", "s3"]);
    expect(stateBackendProblem("gs://acme-state?project=x")).toEqual(gsProblem(parts("acme-state?project=x")));
    expect(stateBackendProblem("s3://b?x y")?.message).toBe("has a query that is not name=value pairs joined by &");
    // file:// never reaches split: its query is "no folder", not a malformed query.
    expect(stateBackendProblem("file:///x?%zz")?.message).toBe("names no folder");
  });
});
