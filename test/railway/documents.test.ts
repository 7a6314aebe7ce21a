import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildClientSchema, parse, validate, type IntrospectionQuery } from "graphql";
import { describe, expect, it } from "vitest";
import { documents } from "../../src/railway/documents";

const schema = buildClientSchema((JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "railway-schema.json"), "utf8")) as { data: IntrospectionQuery }).data);

describe("Railway GraphQL documents", () => {
  it.each(Object.entries(documents))("%s validates against Railway's published schema", (_, document) => {
    expect(validate(schema, parse(document)).map((e) => e.message)).toEqual([]);
  });

  it("a typo in a field or argument is caught", () => {
    const typo = documents.deploy.replace("serviceInstanceDeployV2(serviceId", "serviceInstanceDeployV2(serviceID");
    expect(validate(schema, parse(typo)).length).toBeGreaterThan(0);
  });
});
