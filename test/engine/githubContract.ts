/**
 * GitHub's published REST contract, from GitHub's own OpenAPI description
 * (`@octokit/openapi`), as a checker for the GitHub stand-in: every request the
 * provider sends is matched to a documented operation and checked (path and
 * query parameters, JSON body), and every answer the stand-in gives is checked
 * against the documented response for its status.
 *
 * The default description is GitHub Enterprise Server 3.19's, whose server is
 * `{protocol}://{hostname}/api/v3`: the paths the provider uses when
 * GITHUB_BASE_URL names a non-github.com host. `api.github.com` can be chosen
 * too (the same paths, served at the root).
 *
 * Only the one description file is read (not the package's index, which
 * parses all ten, 385 MB); schemas are compiled lazily, one per operation and
 * status, and cached. Ajv is handed only the schemas a check has needed so far
 * (see `give`), each prepared when first needed: handing it the whole
 * description made it walk all of it on every load, and the load and the
 * compiling were most of what the stand-in's tests spent.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

export type DescriptionName = "ghes-3.19" | "ghes-3.18" | "ghes-3.17" | "api.github.com" | "ghec";

/** A request or answer that breaks the documented contract. */
export interface ContractViolation {
  /** "request": the client sent what GitHub documents as malformed. "response": the stand-in answered off-contract. */
  readonly kind: "request" | "response";
  readonly method: string;
  readonly path: string;
  /** The documented operation, "PUT /repos/{owner}/{repo}/environments/{environment_name}", when one matched. */
  readonly operation: string | undefined;
  readonly message: string;
}

export interface OperationMatch {
  /** "METHOD /documented/{template}" */
  readonly id: string;
  readonly operationId: string;
  readonly template: string;
  /** Path parameters, percent-decoded. */
  readonly params: Readonly<Record<string, string>>;
  /**
   * Set when the request used the undocumented `/repositories/{repository_id}/...`
   * alias of `/repos/{owner}/{repo}/...` (GitHub serves both; go-github uses the
   * alias for environment secrets). `owner` and `repo` are then absent from params.
   */
  readonly repositoryId: string | undefined;
}

/**
 * Where GitHub's description is narrower than what GitHub accepts or answers,
 * and the provider depends on the difference. Each entry is applied to the
 * loaded description before any schema is compiled; nothing else is relaxed.
 */
export interface DescriptionGap {
  readonly operation: string;
  readonly what: string;
  readonly why: string;
  readonly apply: (description: OpenApiDocument) => void;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface OpenApiDocument {
  readonly paths: Record<string, Record<string, JsonObject>>;
  readonly components: Record<string, Record<string, JsonObject>>;
}

function text(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function objectAt(root: unknown, path: readonly string[]): JsonObject {
  let node: unknown = root;
  for (const key of path) node = isObject(node) ? node[key] : undefined;
  if (!isObject(node)) throw new Error(`no object at ${path.join("/")} in the GitHub description`);
  return node;
}

export const descriptionGaps: readonly DescriptionGap[] = [
  {
    operation: "PUT /repos/{owner}/{repo}/environments/{environment_name}",
    what: "request body property can_admins_bypass (boolean)",
    why:
      "The body schema lists wait_timer, prevent_self_review, reviewers and deployment_branch_policy with additionalProperties: false, " +
      "but GitHub accepts can_admins_bypass (the environment's 'Allow administrators to bypass' setting) and returns it; " +
      "go-github's CreateUpdateEnvironment always sends it (repos_environments.go, MarshalJSON defaults it to true) and the provider reads it back.",
    apply: (d) => {
      const schema = objectAt(d.paths, [
        "/repos/{owner}/{repo}/environments/{environment_name}",
        "put",
        "requestBody",
        "content",
        "application/json",
        "schema",
        "properties",
      ]);
      schema["can_admins_bypass"] = { type: "boolean" };
    },
  },
];

/**
 * The description's schemas as Ajv reads them:
 * - `nullable` with a type, and null in any enum (OpenAPI 3.0 writes `nullable` without either);
 * - `oneOf` read as `anyOf`: GitHub's alternatives often overlap (the contents API's 409 is
 *   oneOf basic-error and repository-rule-violation-error, which every error body matches both
 *   of), so "exactly one" would refuse every answer; "at least one" is what the description means.
 */
function normaliseSchemas(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) normaliseSchemas(item);
    return;
  }
  if (!isObject(node)) return;
  for (const value of Object.values(node)) normaliseSchemas(value);
  if (Array.isArray(node["oneOf"]) && node["anyOf"] === undefined) {
    node["anyOf"] = node["oneOf"];
    Reflect.deleteProperty(node, "oneOf");
  }
  if (node["nullable"] !== true) return;
  const enumValues = node["enum"];
  if (Array.isArray(enumValues) && !enumValues.includes(null)) enumValues.push(null);
  if (node["type"] === undefined) {
    // { nullable, allOf/anyOf/oneOf/$ref }: either null or what the rest says.
    const rest: JsonObject = {};
    for (const [key, value] of Object.entries(node)) if (key !== "nullable") rest[key] = value;
    for (const key of Object.keys(node)) Reflect.deleteProperty(node, key);
    node["anyOf"] = [rest, { type: "null" }];
  }
}

function pointer(path: readonly string[]): string {
  return path.map((p) => encodeURIComponent(p.replace(/~/g, "~0").replace(/\//g, "~1"))).join("/");
}

interface Route {
  readonly template: string;
  readonly method: string;
  readonly regex: RegExp;
  readonly names: readonly string[];
  readonly literals: number;
}

/** A route per documented operation; parameters marked `x-multi-segment` (a file path, a ref) may contain slashes. */
function routeOf(template: string, method: string, multiSegment: ReadonlySet<string>): Route {
  const segments = template.split("/").slice(1);
  const names: string[] = [];
  let literals = 0;
  const parts = segments.map((segment) => {
    const param = /^\{(\w+)\}$/.exec(segment);
    if (param === null) {
      literals++;
      return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }
    const name = param[1] ?? "";
    names.push(name);
    return multiSegment.has(name) ? "(.+)" : "([^/]+)";
  });
  return { template, method, regex: new RegExp(`^/${parts.join("/")}$`), names, literals };
}

function formatErrors(errors: readonly ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 8)
    .map(
      (e) =>
        `${e.instancePath === "" ? "(body)" : e.instancePath} ${e.message ?? "is invalid"}${e.keyword === "additionalProperties" ? `: ${String((e.params as { additionalProperty?: string }).additionalProperty)}` : ""}`,
    )
    .join("; ");
}

const contracts = new Map<DescriptionName, GitHubContract>();

export class GitHubContract {
  private readonly ajv: Ajv;
  /**
   * What Ajv has of the description: each schema a check needed, and every
   * component it refers to, at its own place in the description (so every
   * `$ref` resolves to what it does in the whole), normalised when given.
   */
  private readonly given: JsonObject = {};
  private readonly givenRefs = new Set<string>();
  /** Schemas normalised so far (normaliseSchemas is idempotent; this only saves repeating it). */
  private readonly normalised = new WeakSet();
  private readonly routes = new Map<string, Route[]>();
  private readonly validators = new Map<string, ValidateFunction>();

  private constructor(
    readonly name: DescriptionName,
    private readonly doc: OpenApiDocument,
  ) {
    // inlineRefs and code.optimize change only the generated code, not what it accepts or reports: a component
    // compiled once and called is cheaper to compile than one inlined into every schema that refers to it.
    this.ajv = new Ajv({
      strict: false,
      allErrors: true,
      validateSchema: false,
      logger: false,
      inlineRefs: false,
      code: { optimize: false },
    });
    addFormats(this.ajv);
    // Ajv walks a schema it is given for $id and $anchor keywords; GitHub's descriptions have none (every $ref is
    // "#/components/<kind>/<name>"), so what it is given grows with what is checked (give) instead of all at once.
    this.ajv.addSchema(this.given, "gh");
    for (const [template, item] of Object.entries(doc.paths)) {
      for (const method of Object.keys(item)) {
        if (!["get", "put", "post", "patch", "delete"].includes(method)) continue;
        const list = this.routes.get(method.toUpperCase()) ?? [];
        const operation = item[method];
        const params = isObject(operation) ? [...this.parameters(item), ...this.parameters(operation)] : [];
        const multiSegment = new Set(params.filter((p) => p["x-multi-segment"] === true).map((p) => text(p["name"])));
        list.push(routeOf(template, method.toUpperCase(), multiSegment));
        this.routes.set(method.toUpperCase(), list);
      }
    }
    // Most literal segments first: /actions/secrets/public-key before /actions/secrets/{secret_name}.
    for (const list of this.routes.values()) list.sort((a, b) => b.literals - a.literals || a.names.length - b.names.length);
  }

  /** The description, read and prepared once per process. */
  static load(name: DescriptionName = "ghes-3.19"): GitHubContract {
    const cached = contracts.get(name);
    if (cached !== undefined) return cached;
    const dir = join(dirname(createRequire(__filename).resolve("@octokit/openapi/package.json")), "generated");
    const doc = JSON.parse(readFileSync(join(dir, `${name}.json`), "utf8")) as OpenApiDocument;
    for (const gap of descriptionGaps) gap.apply(doc);
    // Schemas are normalised as they are needed: as Ajv is given them (give), and a parameter's when it is checked.
    const contract = new GitHubContract(name, doc);
    contracts.set(name, contract);
    return contract;
  }

  /** The documented operation for a request path relative to the API root (no /api/v3). */
  match(method: string, path: string): OperationMatch | undefined {
    let lookup = path;
    let repositoryId: string | undefined;
    const alias = /^\/repositories\/(\d+)(\/.*)$/.exec(path);
    if (alias !== null) {
      repositoryId = alias[1];
      lookup = `/repos/-/-${alias[2] ?? ""}`;
    }
    for (const route of this.routes.get(method.toUpperCase()) ?? []) {
      const m = route.regex.exec(lookup);
      if (m === null) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        const raw = m[i + 1] ?? "";
        try {
          params[name] = decodeURIComponent(raw);
        } catch {
          params[name] = raw;
        }
      });
      if (repositoryId !== undefined) {
        Reflect.deleteProperty(params, "owner");
        Reflect.deleteProperty(params, "repo");
      }
      const operation = this.operation(route.template, route.method);
      return {
        id: `${route.method} ${route.template}`,
        operationId: text(operation["operationId"]),
        template: route.template,
        params,
        repositoryId,
      };
    }
    return undefined;
  }

  /** What is wrong with a request, by GitHub's description (empty: nothing). */
  checkRequest(
    method: string,
    path: string,
    query: URLSearchParams,
    body: string,
  ): { match: OperationMatch | undefined; problems: string[] } {
    const match = this.match(method, path);
    if (match === undefined) return { match, problems: [`no documented operation ${method} ${path}`] };
    const operation = this.operation(match.template, method.toUpperCase());
    const problems: string[] = [];
    const parameters = [...this.parameters(this.pathItem(match.template)), ...this.parameters(operation)];
    for (const param of parameters) {
      const name = text(param["name"]);
      const location = param["in"];
      const schema = isObject(param["schema"]) ? this.normalise(param["schema"]) : {};
      let value: string | undefined;
      if (location === "path") value = match.params[name];
      else if (location === "query") value = query.get(name) ?? undefined;
      else continue;
      if (value === undefined) {
        if (param["required"] === true && !(location === "path" && match.repositoryId !== undefined))
          problems.push(`missing ${location} parameter ${name}`);
        continue;
      }
      const problem = this.checkScalar(value, schema);
      if (problem !== undefined) problems.push(`${location} parameter ${name}=${JSON.stringify(value)} ${problem}`);
    }

    const requestBody = this.resolve(operation["requestBody"]);
    const jsonSchema = requestBody === undefined ? undefined : objectAtOrUndefined(requestBody, ["content", "application/json", "schema"]);
    if (body.trim() === "") {
      if (requestBody?.["required"] === true) problems.push("the request body is required");
    } else if (jsonSchema !== undefined) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        problems.push("the request body is not JSON");
        return { match, problems };
      }
      const validate = this.validator(`${match.id} request`, [
        "paths",
        match.template,
        method.toLowerCase(),
        "requestBody",
        "content",
        "application/json",
        "schema",
      ]);
      if (!validate(parsed)) problems.push(`request body: ${formatErrors(validate.errors)}`);
    }
    return { match, problems };
  }

  /**
   * What is wrong with an answer. A documented status is checked against its
   * schema; an error status it leaves out or lists without a body (GitHub's
   * descriptions list only some of the 403/404/409/422s an endpoint gives)
   * against GitHub's error shapes; a 304 answers a conditional read; any other
   * undocumented status is a violation.
   */
  checkResponse(match: OperationMatch, status: number, body: string): string[] {
    const method = match.id.slice(0, match.id.indexOf(" "));
    const operation = this.operation(match.template, method);
    const responses = isObject(operation["responses"]) ? operation["responses"] : {};
    const documented = this.resolve(responses[String(status)]);
    const parse = (): { ok: true; value: unknown } | { ok: false } => {
      try {
        return { ok: true, value: JSON.parse(body) as unknown };
      } catch {
        return { ok: false };
      }
    };
    const schema = documented === undefined ? undefined : objectAtOrUndefined(documented, ["content", "application/json", "schema"]);
    if (schema === undefined && status >= 400) {
      // An error status the description leaves out, or lists without a body: GitHub's error shapes.
      const parsed = parse();
      if (!parsed.ok) return [`error body is not JSON`];
      const shape = status === 422 ? "validation-error" : "basic-error";
      const validate = this.validator(`error ${shape}`, ["components", "schemas", shape]);
      return !validate(parsed.value) ? [`error body: ${formatErrors(validate.errors)}`] : [];
    }
    if (documented === undefined) {
      // GitHub answers any conditional GET (If-None-Match) 304, documented per operation or not.
      if (status === 304 && method === "GET") return body === "" ? [] : ["a 304 has no body"];
      return [`status ${String(status)} is not documented for ${match.id}`];
    }
    if (schema === undefined)
      return body.trim() === "" ? [] : [`status ${String(status)} of ${match.id} has no body, the stand-in sent one`];
    const parsed = parse();
    if (!parsed.ok) return [`response body is not JSON`];
    const ref = isObject(responses[String(status)]) ? responses[String(status)] : undefined;
    const refTarget = isObject(ref) && typeof ref["$ref"] === "string" ? ref["$ref"].replace(/^#\//, "").split("/") : undefined;
    const location = refTarget === undefined ? ["paths", match.template, method.toLowerCase(), "responses", String(status)] : refTarget;
    const validate = this.validator(`${match.id} ${String(status)}`, [...location, "content", "application/json", "schema"]);
    return !validate(parsed.value) ? [`response ${String(status)}: ${formatErrors(validate.errors)}`] : [];
  }

  private pathItem(template: string): JsonObject {
    const item = this.doc.paths[template];
    if (item === undefined) throw new Error(`no path ${template}`);
    return item;
  }

  private operation(template: string, method: string): JsonObject {
    const op = this.pathItem(template)[method.toLowerCase()];
    if (!isObject(op)) throw new Error(`no operation ${method} ${template}`);
    return op;
  }

  private parameters(owner: JsonObject): JsonObject[] {
    const list = owner["parameters"];
    return Array.isArray(list) ? list.map((p) => this.resolve(p)).filter((p): p is JsonObject => p !== undefined) : [];
  }

  /** Follows a `$ref` to components (parameters, responses, request bodies). */
  private resolve(node: unknown): JsonObject | undefined {
    if (!isObject(node)) return undefined;
    const ref = node["$ref"];
    if (typeof ref !== "string") return node;
    return this.resolve(objectAt(this.doc, ref.replace(/^#\//, "").split("/")));
  }

  private checkScalar(value: string, schema: JsonObject): string | undefined {
    const type = schema["type"];
    if (type === "integer" && !/^-?\d+$/.test(value)) return "is not an integer";
    if (type === "number" && Number.isNaN(Number(value))) return "is not a number";
    if (type === "boolean" && value !== "true" && value !== "false") return "is not a boolean";
    const allowed = schema["enum"];
    if (Array.isArray(allowed) && !allowed.map(String).includes(value)) return `is not one of ${allowed.map(String).join(", ")}`;
    return undefined;
  }

  private validator(key: string, location: readonly string[]): ValidateFunction {
    const cached = this.validators.get(key);
    if (cached !== undefined) return cached;
    this.give(location);
    const compiled = this.ajv.compile({ $ref: `gh#/${pointer(location)}` });
    this.validators.set(key, compiled);
    return compiled;
  }

  private normalise(schema: JsonObject): JsonObject {
    if (!this.normalised.has(schema)) {
      normaliseSchemas(schema);
      this.normalised.add(schema);
    }
    return schema;
  }

  /**
   * Gives Ajv the schema at `location` in the description and, transitively, every
   * component its `$ref`s name, each at the same place in `given` as in the
   * description and normalised. A part given before is not walked again.
   */
  private give(location: readonly string[]): void {
    const pending: (readonly string[])[] = [location];
    for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
      let source: unknown = this.doc;
      let target = this.given;
      let node: JsonObject | undefined;
      for (const [i, key] of path.entries()) {
        source = isObject(source) ? source[key] : undefined;
        if (!isObject(source)) break; // Not in the description: Ajv reports the missing reference as before.
        const present = target[key];
        if (present === source) break; // Given already, with everything under it.
        if (i === path.length - 1) {
          target[key] = source;
          node = source;
        } else {
          if (!isObject(present)) target[key] = {};
          target = target[key] as JsonObject;
        }
      }
      if (node === undefined) continue;
      this.normalise(node);
      for (const ref of localRefs(node)) {
        if (this.givenRefs.has(ref)) continue;
        this.givenRefs.add(ref);
        // As Ajv reads a JSON pointer in a URI fragment.
        pending.push(
          ref
            .slice(2)
            .split("/")
            .map((p) => decodeURIComponent(p).replace(/~1/g, "/").replace(/~0/g, "~")),
        );
      }
    }
  }
}

/** Every `$ref` to this document under a schema ("#/components/schemas/simple-user"). */
function localRefs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const item of node) localRefs(item, out);
  } else if (isObject(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") {
        if (value.startsWith("#/")) out.push(value);
      } else localRefs(value, out);
    }
  }
  return out;
}

function objectAtOrUndefined(root: unknown, path: readonly string[]): JsonObject | undefined {
  let node: unknown = root;
  for (const key of path) node = isObject(node) ? node[key] : undefined;
  return isObject(node) ? node : undefined;
}
