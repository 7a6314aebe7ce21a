import { parse, validate, type GraphQLEnumType } from "graphql";
import { describe, expect, it } from "vitest";
import { deploymentStatuses, documents, isServing, responses, retrySafe, verdictOf, verdicts } from "../../src/railway/documents";
import { railwaySchema } from "./railwaySchema";

const schema = railwaySchema();

describe("Railway GraphQL documents", () => {
  it.each(Object.entries(documents))("%s validates against Railway's published schema", (_, document) => {
    expect(validate(schema, parse(document)).map((e) => e.message)).toEqual([]);
  });

  it("a typo in a field or argument is caught", () => {
    const typo = documents.deploy.replace("serviceInstanceDeployV2(serviceId", "serviceInstanceDeployV2(serviceID");
    expect(validate(schema, parse(typo)).length).toBeGreaterThan(0);
  });

  it("only queries and mutations that set a value may be sent twice", () => {
    for (const [name, document] of Object.entries(documents)) {
      if (document.trim().startsWith("query")) expect(retrySafe[name as keyof typeof documents], name).toBe(true);
    }
    expect(retrySafe.deploy).toBe(false);
    expect(retrySafe.rollback).toBe(false);
  });
});

describe("deployment statuses", () => {
  it("are exactly Railway's DeploymentStatus enum, each with a meaning for the deploy", () => {
    const values = (schema.getType("DeploymentStatus") as GraphQLEnumType).getValues().map((v) => v.name);
    expect([...deploymentStatuses].sort()).toEqual([...values].sort());
    expect(Object.keys(verdicts).sort()).toEqual([...values].sort());
  });

  it("take only SUCCESS/SLEEPING as active and FAILED/CRASHED as failures, like Railway's CLI; approval waits and removals are no failure to roll back", () => {
    expect(
      Object.entries(verdicts)
        .filter(([, v]) => v === "active")
        .map(([s]) => s)
        .sort(),
    ).toEqual(["SLEEPING", "SUCCESS"]);
    expect(verdicts.FAILED).toBe("failed");
    expect(verdicts.CRASHED).toBe("crashed");
    expect([verdicts.WAITING, verdicts.NEEDS_APPROVAL, verdicts.REMOVED, verdicts.REMOVING, verdicts.SKIPPED]).toEqual([
      "approval",
      "approval",
      "superseded",
      "superseded",
      "skipped",
    ]);
  });
});

describe("verdictOf and isServing", () => {
  it("read a status Railway may add later as not final and not serving", () => {
    expect(verdictOf("CRASHED")).toBe("crashed");
    expect(verdictOf("MIGRATING")).toBe("pending");
    expect(["SUCCESS", "SLEEPING", "DEPLOYING", "MIGRATING"].filter(isServing)).toEqual(["SUCCESS", "SLEEPING"]);
  });
});

describe("response shapes", () => {
  it("take what Railway's schema allows to be null as null, and refuse a missing field", () => {
    expect(responses.serviceInstance.parse({ serviceInstance: { source: null, activeDeployments: [] } })).toEqual({
      serviceInstance: { source: null, activeDeployments: [] },
    });
    expect(
      responses.deploymentStatus.safeParse({ deployment: { status: "SUCCESS", url: null, staticUrl: null, canRollback: true } }).success,
    ).toBe(true);
    expect(responses.deploymentStatus.safeParse({ deployment: { status: "SUCCESS", url: null, canRollback: true } }).success).toBe(false);
  });
});
