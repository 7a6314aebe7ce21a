/**
 * Railway's published GraphQL schema (test/fixtures/railway-schema.json, an
 * introspection result), built once per worker: the stand-in executes every
 * request against it and documents.test.ts validates the client's documents
 * against it. Building it from the 1.8 MB introspection takes a tenth of a
 * second or more, and files share a worker's modules.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";

let schema: GraphQLSchema | undefined;

export function railwaySchema(): GraphQLSchema {
  schema ??= buildClientSchema(
    (JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "railway-schema.json"), "utf8")) as { data: IntrospectionQuery }).data,
  );
  return schema;
}
