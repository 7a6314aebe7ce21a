/**
 * A stateful loopback stand-in for the GitHub REST API, for `pulumi up` on the
 * real engine: GitHub Enterprise paths (everything under /api/v3/, what the
 * provider uses when GITHUB_BASE_URL names a non-github.com host). It keeps what
 * the provider creates and answers as GitHub does for every endpoint the
 * program's resources use, refuses what GitHub refuses, and checks every
 * request and every answer against GitHub's published OpenAPI description
 * (./githubContract.ts).
 *
 * Which requests the provider sends, and what it decodes, comes from
 * integrations/terraform-provider-github v6.13.0 (the provider @pulumi/github
 * 6.15.0 bridges) and google/go-github v88; each handler names its source.
 *
 * It serves the reads a preview makes (orgs, teams, users, refs, releases), with
 * a fixture (`GitHubFixture`), `baseUrl`, `calls` and `unexpected`.
 * A request nobody modelled is answered 501 and listed in `unexpected`; a
 * request GitHub's description does not allow, or an answer that breaks it, is
 * listed in `violations`.
 *
 *   const github = await new GitHubStateStandIn(stateFixtureFromStacks()).start();
 *   // GITHUB_BASE_URL=github.baseUrl for the engine; then, after `pulumi up`:
 *   expect(github.violations).toEqual([]);       // every request and answer on contract
 *   expect(github.unexpected).toEqual([]);       // nothing asked that is not modelled
 *   expect(github.decryptSecret("RAILWAY_TOKEN", "production")).toBe(sentinel("railwayToken"));
 *   expect(github.file(".github/workflows/test.yml")).toBe(rendered);
 *   // after `pulumi destroy`: what is left, one line per object
 *   expect(github.leftovers()).toEqual([...]);
 */
import { listeningPort } from "../helpers/port";
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { GitHubContract, type ContractViolation, type DescriptionName, type OperationMatch } from "./githubContract";
import { generateBoxKeyPair, sealedBoxOpen, type BoxKeyPair } from "./sealedBox";
import { basicPassword, serveGit, type GitRepositoryOptions, type GitRequest } from "./gitHttp";
import { close, listen } from "./loopback";

export interface GitHubFixture {
  readonly owner: string;
  readonly repository: string;
  /** Branch name to head commit. */
  readonly branches: Readonly<Record<string, string>>;
  /**
   * Tag name to commit, newest release first; the first that is not a pre-release is "latest". An
   * annotated tag's ref names a tag object, which names the commit (as `git tag -a` makes it).
   */
  readonly releases: readonly { readonly tag: string; readonly sha: string; readonly prerelease?: boolean; readonly annotated?: boolean }[];
  readonly users: readonly string[];
  readonly teams: readonly string[];
}

/** A stable SHA for an annotated tag's tag object (git hashes the object; any stable 40 hex will do here). */
function tagObjectSha(tag: string): string {
  return createHash("sha1").update(`tag object ${tag}`).digest("hex");
}

export interface RecordedCall {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly authorization: string | undefined;
}

export type RepositoryVisibility = "public" | "private" | "internal";
export type GitHubPlan = "free" | "pro" | "team" | "enterprise";

export interface GitHubStateFixture extends GitHubFixture {
  /** The repository's git, served at `/<owner>/<repo>.git` as GitHub Enterprise Server serves it (image builds clone it). */
  readonly git?: GitRepositoryOptions;
  /** The repository's visibility. Default: private. */
  readonly visibility?: RepositoryVisibility;
  /** The owner's plan: what it allows on a private or internal repository. Default: enterprise. */
  readonly plan?: GitHubPlan;
  /** An organization (default) or a personal account. */
  readonly ownerType?: "Organization" | "User";
  /** Default: "main" when it is a branch, else the first branch. */
  readonly defaultBranch?: string;
  /** Files on a branch before anything runs: branch, then path, to content. */
  readonly files?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** How long a contents write holds its branch (ms); a write that overlaps it gets GitHub's 409. Default 30. */
  readonly contentWriteMs?: number;
  /**
   * Who the token acts as, for the rulesets' bypass list: a GitHub App
   * (Integration, by App id) or a user (admin: repository or organization
   * admin). Default: a user who is no admin, whom an active ruleset stops.
   */
  readonly tokenActor?: TokenActor;
  /** GitHub's OpenAPI description to check against. Default ghes-3.19 (its server is /api/v3). */
  readonly description?: DescriptionName;
}

export type TokenActor = { readonly type: "Integration"; readonly id: number } | { readonly type: "User"; readonly admin?: boolean };

export interface StandInCall extends RecordedCall {
  /** The documented operation the request matched, "PUT /repos/{owner}/{repo}/...". */
  readonly operation: string | undefined;
  readonly query: string;
  /** The parsed JSON body, if any (secrets arrive sealed, never in plain text). */
  readonly requestBody: unknown;
}

export interface StoredSecret {
  readonly name: string;
  readonly keyId: string;
  readonly encryptedValue: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface StoredVariable {
  readonly name: string;
  readonly value: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface EnvironmentReviewer {
  readonly type: "User" | "Team";
  readonly id: number;
}

export interface BranchPolicySettings {
  readonly protected_branches: boolean;
  readonly custom_branch_policies: boolean;
}

export interface DeploymentPolicy {
  readonly id: number;
  readonly name: string;
  readonly type: "branch" | "tag";
}

export interface EnvironmentView {
  readonly name: string;
  readonly id: number;
  readonly waitTimer: number;
  readonly preventSelfReview: boolean;
  readonly canAdminsBypass: boolean;
  readonly reviewers: readonly EnvironmentReviewer[];
  readonly deploymentBranchPolicy: BranchPolicySettings | null;
  readonly deploymentPolicies: readonly DeploymentPolicy[];
  readonly secrets: readonly string[];
  readonly variables: readonly StoredVariable[];
}

export interface ActionsPermissionsView {
  readonly enabled: boolean;
  readonly allowedActions: "all" | "local_only" | "selected";
  readonly shaPinningRequired: boolean;
  readonly selectedActions: {
    readonly githubOwnedAllowed: boolean;
    readonly verifiedAllowed: boolean;
    readonly patternsAllowed: readonly string[];
  };
}

export interface CommitView {
  readonly sha: string;
  readonly parents: readonly string[];
  readonly message: string;
  readonly changed: readonly { readonly path: string; readonly status: "added" | "modified" | "removed" }[];
}

/** Everything the stand-in holds that the tests may compare or list. */
export interface StandInSnapshot {
  readonly environments: readonly EnvironmentView[];
  readonly repositorySecrets: readonly string[];
  readonly repositoryVariables: readonly StoredVariable[];
  readonly rulesets: readonly { readonly id: number; readonly name: string }[];
  readonly actionsPermissions: ActionsPermissionsView;
  /** GET actions/permissions/workflow: what `github.token` may by default, and whether a workflow may approve pull requests. */
  readonly workflowPermissions: { readonly defaultWorkflowPermissions: "read" | "write"; readonly canApprovePullRequestReviews: boolean };
  /** Branch, then path, to content. */
  readonly files: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly heads: Readonly<Record<string, string>>;
}

type JsonObject = { [key: string]: unknown };
type Answer = { readonly status: number; readonly body?: unknown; readonly headers?: Readonly<Record<string, string>> };

/** A stable numeric id per name, as GitHub's ids are stable per object . */
export function idOf(name: string): number {
  let hash = 7;
  for (const c of name) hash = (hash * 31 + c.charCodeAt(0)) % 9_000_000;
  return 1_000_000 + hash;
}

const docs = "https://docs.github.com/enterprise-server@3.19/rest";

function error(status: number, message: string, documentation = docs): Answer {
  return { status, body: { message, documentation_url: documentation, status: String(status) } };
}

function validationFailed(message: string, field?: string, code = "invalid"): Answer {
  return {
    status: 422,
    body: { message, documentation_url: docs, errors: field === undefined ? [] : [{ resource: "Request", field, code, message }] },
  };
}

const notFound = error(404, "Not Found");

function timestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}

function gitBlobSha(content: Buffer): string {
  return createHash("sha1")
    .update(`blob ${String(content.length)}\0`)
    .update(content)
    .digest("hex");
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function base64Lines(content: Buffer): string {
  // GitHub wraps the base64 of file contents at 60 characters.
  return (content.toString("base64").match(/.{1,60}/g) ?? []).map((line) => `${line}\n`).join("");
}

/** Actions secret and variable names: letters, digits, underscores; not starting with a digit or GITHUB_. */
function nameProblem(kind: "secret" | "variable", name: string): string | undefined {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    return `${kind} names can only contain alphanumeric characters ([a-z], [A-Z], [0-9]) or underscores (_), and must not start with a number`;
  if (/^GITHUB_/i.test(name)) return `${kind} names must not start with the GITHUB_ prefix`;
  return undefined;
}

interface KeyPair extends BoxKeyPair {
  readonly keyId: string;
}

interface SecretState {
  name: string;
  keyId: string;
  encryptedValue: string;
  createdAt: string;
  updatedAt: string;
}

interface VariableState {
  name: string;
  value: string;
  createdAt: string;
  updatedAt: string;
}

interface EnvironmentState {
  readonly name: string;
  readonly id: number;
  readonly createdAt: string;
  updatedAt: string;
  waitTimer: number;
  preventSelfReview: boolean;
  canAdminsBypass: boolean;
  reviewers: EnvironmentReviewer[];
  branchPolicy: BranchPolicySettings | null;
  readonly policies: Map<number, DeploymentPolicy>;
  readonly secrets: Map<string, SecretState>;
  readonly variables: Map<string, VariableState>;
  readonly key: KeyPair;
}

interface RulesetState {
  readonly id: number;
  readonly createdAt: string;
  updatedAt: string;
  body: JsonObject;
}

interface Person {
  readonly name: string;
  readonly email: string;
  readonly date: string;
}

interface CommitState {
  readonly sha: string;
  readonly parents: readonly string[];
  readonly message: string;
  readonly tree: ReadonlyMap<string, Buffer>;
  readonly treeSha: string;
  readonly author: Person;
  readonly committer: Person;
  readonly changed: readonly { readonly path: string; readonly status: "added" | "modified" | "removed"; readonly sha: string }[];
}

export class GitHubStateStandIn {
  readonly calls: StandInCall[] = [];
  /** Every git request (image builds cloning the repository), with the token it authenticated with. */
  readonly gitRequests: GitRequest[] = [];
  private readonly git: GitRepositoryOptions | undefined;
  readonly violations: ContractViolation[] = [];
  readonly visibility: RepositoryVisibility;
  readonly plan: GitHubPlan;
  readonly defaultBranch: string;
  readonly repositoryId: number;
  private readonly contract: GitHubContract;
  private server: Server | undefined;

  private readonly environments = new Map<string, EnvironmentState>();
  private readonly secrets = new Map<string, SecretState>();
  private readonly variables = new Map<string, VariableState>();
  private readonly rulesets = new Map<number, RulesetState>();
  private readonly permissions: {
    enabled: boolean;
    allowedActions: "all" | "local_only" | "selected";
    shaPinningRequired: boolean;
    selected: { github_owned_allowed: boolean; verified_allowed: boolean; patterns_allowed: string[] };
  } = {
    enabled: true,
    allowedActions: "all",
    shaPinningRequired: false,
    selected: { github_owned_allowed: true, verified_allowed: false, patterns_allowed: [] },
  };
  /** A repository made before GitHub's 2023 default: a write token that may approve pull requests. */
  private readonly workflowPermissions: { default_workflow_permissions: "read" | "write"; can_approve_pull_request_reviews: boolean } = {
    default_workflow_permissions: "write",
    can_approve_pull_request_reviews: true,
  };
  private readonly commits = new Map<string, CommitState>();
  private readonly heads = new Map<string, string>();
  /** Branch to the write in progress on it. */
  private readonly writing = new Map<string, Promise<void>>();
  private readonly repositoryKey: KeyPair;
  private nextId = 4_000_000;
  private nextKeyId = 568_250_167_242_549_743n;
  private readonly createdAt = "2024-03-01T09:00:00Z";

  constructor(private readonly fixture: GitHubStateFixture) {
    this.git = fixture.git;
    this.visibility = fixture.visibility ?? "private";
    this.plan = fixture.plan ?? "enterprise";
    const branches = Object.keys(fixture.branches);
    this.defaultBranch = fixture.defaultBranch ?? (branches.includes("main") ? "main" : (branches[0] ?? "main"));
    this.repositoryId = idOf(`repo:${fixture.owner}/${fixture.repository}`);
    this.contract = GitHubContract.load(fixture.description ?? "ghes-3.19");
    this.repositoryKey = this.newKey();
    const seed: Person = { name: "Seed", email: "seed@example.com", date: this.createdAt };
    for (const [branch, sha] of Object.entries(fixture.branches)) {
      const files = new Map(Object.entries(fixture.files?.[branch] ?? {}).map(([path, content]) => [path, Buffer.from(content)]));
      const existing = this.commits.get(sha);
      if (existing !== undefined && !sameTree(existing.tree, files))
        throw new Error(`branches that share commit ${sha} must list the same files`);
      if (existing === undefined) this.commits.set(sha, this.commitOf(sha, [], "Initial commit", files, seed, seed, []));
      this.heads.set(branch, sha);
    }
    for (const release of fixture.releases) {
      if (!this.commits.has(release.sha))
        this.commits.set(release.sha, this.commitOf(release.sha, [], `Release ${release.tag}`, new Map(), seed, seed, []));
    }
  }

  /** What GITHUB_BASE_URL must be for the provider to reach this server. */
  get baseUrl(): string {
    return `${this.origin}/`;
  }

  /** Requests answered 501: what the provider asked that this stand-in does not model. */
  get unexpected(): StandInCall[] {
    return this.calls.filter((c) => c.status === 501);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
    await listen(this.server);
    return this;
  }

  async stop(): Promise<void> {
    await close(this.server);
  }

  // --- what the tests read ---------------------------------------------------------

  /** The public key GitHub hands out for repository secrets (base64), and its id. */
  get repositoryPublicKey(): { readonly keyId: string; readonly key: string } {
    return { keyId: this.repositoryKey.keyId, key: Buffer.from(this.repositoryKey.publicKey).toString("base64") };
  }

  /** The public key of an environment's secrets, once the environment exists. */
  environmentPublicKey(environment: string): { readonly keyId: string; readonly key: string } | undefined {
    const env = this.environments.get(environment);
    return env === undefined ? undefined : { keyId: env.key.keyId, key: Buffer.from(env.key.publicKey).toString("base64") };
  }

  repositorySecret(name: string): StoredSecret | undefined {
    const s = this.secrets.get(name.toUpperCase());
    return s === undefined ? undefined : { ...s };
  }

  environmentSecret(environment: string, name: string): StoredSecret | undefined {
    const s = this.environments.get(environment)?.secrets.get(name.toUpperCase());
    return s === undefined ? undefined : { ...s };
  }

  /** A stored secret opened with the stand-in's private key: what a workflow run would see. */
  decryptSecret(name: string, environment?: string): string | undefined {
    const env = environment === undefined ? undefined : this.environments.get(environment);
    if (environment !== undefined && env === undefined) return undefined;
    const secret = (env?.secrets ?? this.secrets).get(name.toUpperCase());
    if (secret === undefined) return undefined;
    const opened = sealedBoxOpen(new Uint8Array(Buffer.from(secret.encryptedValue, "base64")), env?.key ?? this.repositoryKey);
    return opened === undefined ? undefined : Buffer.from(opened).toString("utf8");
  }

  environment(name: string): EnvironmentView | undefined {
    const env = this.environments.get(name);
    return env === undefined ? undefined : this.environmentView(env);
  }

  /** The content of a file at a branch's head. */
  file(path: string, branch = this.defaultBranch): string | undefined {
    const head = this.heads.get(branch);
    const content = head === undefined ? undefined : this.commits.get(head)?.tree.get(path);
    return content?.toString("utf8");
  }

  head(branch: string): string | undefined {
    return this.heads.get(branch);
  }

  /** The commits on a branch, newest first, down to the fixture's head. */
  history(branch: string): CommitView[] {
    const out: CommitView[] = [];
    for (let sha = this.heads.get(branch); sha !== undefined;) {
      const commit = this.commits.get(sha);
      if (commit === undefined) break;
      out.push({
        sha: commit.sha,
        parents: commit.parents,
        message: commit.message,
        changed: commit.changed.map(({ path, status }) => ({ path, status })),
      });
      sha = commit.parents[0];
    }
    return out;
  }

  snapshot(): StandInSnapshot {
    const files: Record<string, Record<string, string>> = {};
    for (const [branch, sha] of this.heads) {
      files[branch] = Object.fromEntries(
        [...(this.commits.get(sha)?.tree ?? new Map<string, Buffer>())].map(([path, content]) => [path, content.toString("utf8")]),
      );
    }
    return {
      environments: [...this.environments.values()].map((e) => this.environmentView(e)),
      repositorySecrets: [...this.secrets.keys()],
      repositoryVariables: [...this.variables.values()].map((v) => ({ ...v })),
      rulesets: [...this.rulesets.values()].map((r) => ({ id: r.id, name: String(r.body["name"]) })),
      actionsPermissions: this.permissionsView(),
      workflowPermissions: {
        defaultWorkflowPermissions: this.workflowPermissions.default_workflow_permissions,
        canApprovePullRequestReviews: this.workflowPermissions.can_approve_pull_request_reviews,
      },
      files,
      heads: Object.fromEntries(this.heads),
    };
  }

  /**
   * A commit someone else pushed to `branch` (a merged pull request of the app's code): it becomes the
   * branch's head. Its tree here is the head's (the stand-in models only the files the stacks write);
   * its code lives in the repository's git (`git`), where the image build fetches it.
   */
  pushCommit(branch: string, sha: string, message: string): void {
    const head = this.heads.get(branch);
    const tree = head === undefined ? new Map<string, Buffer>() : (this.commits.get(head)?.tree ?? new Map<string, Buffer>());
    const person: Person = { name: "Developer", email: "developer@example.com", date: timestamp() };
    this.commits.set(sha, this.commitOf(sha, head === undefined ? [] : [head], message, tree, person, person, []));
    this.heads.set(branch, sha);
  }

  /**
   * Someone with the right to (the App, an admin) moves a release tag to another commit, as
   * `git push --force origin <tag>` does: the tag's ref (or its tag object's target) names `sha` from now on.
   */
  moveTag(tag: string, sha: string): void {
    if (!this.fixture.releases.some((r) => r.tag === tag)) throw new Error(`no release tag ${tag}`);
    if (!this.commits.has(sha)) throw new Error(`no commit ${sha}`);
    const releases = this.fixture.releases.map((r) => (r.tag === tag ? { ...r, sha } : r));
    // The fixture is this stand-in's own copy of the repository's releases.
    (this.fixture as { releases: GitHubStateFixture["releases"] }).releases = releases;
  }

  /** Every ruleset as GitHub answers GET rulesets/{id}: its target, conditions, bypass actors and rules. */
  rulesetBodies(): Readonly<Record<string, unknown>>[] {
    return [...this.rulesets.values()].map((r) => this.rulesetBody(r));
  }

  /**
   * What differs from the fixture's starting state, one line per object: what a
   * destroy left behind (or what an up created).
   */
  leftovers(): string[] {
    const out: string[] = [];
    for (const env of this.environments.values()) out.push(`environment ${env.name}`);
    for (const name of this.secrets.keys()) out.push(`repository secret ${name}`);
    for (const name of this.variables.keys()) out.push(`repository variable ${name}`);
    for (const r of this.rulesets.values()) out.push(`ruleset ${String(r.body["name"])}`);
    const p = this.permissions;
    if (!p.enabled) out.push("actions permissions: enabled false (was true)");
    if (p.allowedActions !== "all") out.push(`actions permissions: allowed_actions ${p.allowedActions} (was all)`);
    if (p.shaPinningRequired) out.push("actions permissions: sha_pinning_required true (was false)");
    if (!p.selected.github_owned_allowed || p.selected.verified_allowed || p.selected.patterns_allowed.length > 0) {
      out.push(`actions permissions: selected actions ${JSON.stringify(p.selected)} (was github-owned only)`);
    }
    const w = this.workflowPermissions;
    if (w.default_workflow_permissions !== "write" || !w.can_approve_pull_request_reviews) {
      out.push(
        `workflow permissions: ${w.default_workflow_permissions}, can approve pull requests ${String(w.can_approve_pull_request_reviews)} (was write, true)`,
      );
    }
    for (const [branch, sha] of Object.entries(this.fixture.branches)) {
      const before = new Map(Object.entries(this.fixture.files?.[branch] ?? {}));
      const now = this.commits.get(this.heads.get(branch) ?? sha)?.tree ?? new Map<string, Buffer>();
      for (const [path, content] of now) {
        const was = before.get(path);
        if (was === undefined) out.push(`file ${path} on ${branch}`);
        else if (was !== content.toString("utf8")) out.push(`file ${path} on ${branch} (changed)`);
      }
      for (const path of before.keys()) if (!now.has(path)) out.push(`file ${path} on ${branch} (deleted)`);
    }
    return out;
  }

  // --- the server --------------------------------------------------------------------

  private get origin(): string {
    return `http://127.0.0.1:${String(listeningPort(this.server, "the GitHub stand-in"))}`;
  }

  private get api(): string {
    return `${this.origin}/api/v3`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", this.origin);
    const gitPrefix = `/${this.fixture.owner}/${this.fixture.repository}.git/`;
    if (this.git !== undefined && url.pathname.toLowerCase().startsWith(gitPrefix.toLowerCase())) {
      const repoPath = `/${this.fixture.repository}.git/${url.pathname.slice(gitPrefix.length)}`;
      const status = await serveGit(this.git, repoPath, url.search.slice(1), req, Buffer.concat(chunks), res);
      this.gitRequests.push({ method: req.method ?? "GET", path: url.pathname, token: basicPassword(req.headers.authorization), status });
      return;
    }
    const raw = Buffer.concat(chunks).toString("utf8");
    const method = req.method ?? "GET";
    let requestBody: unknown;
    try {
      requestBody = raw.trim() === "" ? undefined : (JSON.parse(raw) as unknown);
    } catch {
      requestBody = raw;
    }

    let answer: Answer;
    let match: OperationMatch | undefined;
    if (!url.pathname.startsWith("/api/v3/")) {
      answer = { status: 501, body: { message: `stand-in serves GitHub Enterprise paths (/api/v3/), not ${method} ${url.pathname}` } };
    } else {
      const path = url.pathname.slice("/api/v3".length);
      const checked = this.contract.checkRequest(method, path, url.searchParams, raw);
      match = checked.match;
      if (match === undefined) {
        this.violation("request", method, url.pathname, undefined, checked.problems.join("; "));
        answer = notFound;
      } else if (checked.problems.length > 0) {
        this.violation("request", method, url.pathname, match.id, checked.problems.join("; "));
        answer =
          typeof requestBody === "string"
            ? error(400, "Problems parsing JSON")
            : validationFailed(`Invalid request.\n\n${checked.problems.join("\n")}`);
      } else {
        answer = (await this.route(match, method, url.searchParams, isObject(requestBody) ? requestBody : {})) ?? {
          status: 501,
          body: { message: `stand-in does not model ${match.id}` },
        };
      }
    }

    let text = answer.status === 204 || answer.body === undefined ? "" : JSON.stringify(answer.body);
    // Every GitHub answer carries a request id (the github_rest_api data source takes it as its id).
    const requestId = `${createHash("sha1").update(String(this.calls.length)).digest("hex").slice(0, 8).toUpperCase()}:STAND-IN`;
    const headers: Record<string, string> = {
      "x-github-media-type": "github.v3; format=json",
      "x-github-request-id": requestId,
      ...answer.headers,
    };
    let status = answer.status;
    if (text !== "") headers["content-type"] = "application/json; charset=utf-8";
    if (method === "GET" && status === 200) {
      // Conditional requests, as GitHub answers them: the provider sends If-None-Match for rulesets it has read.
      const etag = `W/"${createHash("sha256").update(text).digest("hex")}"`;
      headers["etag"] = etag;
      if (req.headers["if-none-match"] === etag) {
        status = 304;
        text = "";
        Reflect.deleteProperty(headers, "content-type");
      }
    }
    if (match !== undefined && status !== 501) {
      for (const problem of this.contract.checkResponse(match, status, text))
        this.violation("response", method, url.pathname, match.id, problem);
    }
    this.calls.push({
      method,
      path: url.pathname,
      status,
      authorization: req.headers.authorization,
      operation: match?.id,
      query: url.search,
      requestBody,
    });
    res.writeHead(status, headers);
    res.end(text);
  }

  private violation(kind: ContractViolation["kind"], method: string, path: string, operation: string | undefined, message: string): void {
    this.violations.push({ kind, method, path, operation, message });
  }

  /** The documented operation's handler; undefined when the stand-in does not model it. */
  private async route(match: OperationMatch, method: string, query: URLSearchParams, body: JsonObject): Promise<Answer | undefined> {
    const p = match.params;
    const t = match.template;
    if (t === "/orgs/{org}") return this.getOrganization(p["org"] ?? "");
    if (t === "/orgs/{org}/teams/{team_slug}") return this.getTeam(p["org"] ?? "", p["team_slug"] ?? "");
    if (t.startsWith("/users/{username}")) return this.getUser(t, p["username"] ?? "");
    if (!t.startsWith("/repos/{owner}/{repo}")) return undefined;
    if (!this.isOurRepository(match)) return notFound;
    const rest = t.slice("/repos/{owner}/{repo}".length);
    const env = p["environment_name"];
    switch (`${method} ${rest}`) {
      case "GET ":
        return { status: 200, body: this.repository() };
      case "GET /branches/{branch}":
        return this.getBranch(p["branch"] ?? "");
      case "GET /git/ref/{ref}":
        return this.getRef(p["ref"] ?? "");
      case "GET /git/tags/{tag_sha}":
        return this.getTagObject(p["tag_sha"] ?? "");
      case "GET /releases/latest":
        return this.latestRelease();
      case "GET /releases/tags/{tag}":
        return this.release({ tag: p["tag"] ?? "" });
      case "GET /releases/{release_id}":
        return this.release({ id: p["release_id"] ?? "" });
      case "GET /commits/{ref}":
        return this.getCommit(p["ref"] ?? "");
      case "GET /commits":
        return this.listCommits(query);
      case "GET /contents/{path}":
        return this.getContents(p["path"] ?? "", query.get("ref") ?? this.defaultBranch);
      case "PUT /contents/{path}":
        return this.putContents(p["path"] ?? "", body);
      case "DELETE /contents/{path}":
        return this.deleteContents(p["path"] ?? "", body);
      case "GET /environments":
        return {
          status: 200,
          body: { total_count: this.environments.size, environments: [...this.environments.values()].map((e) => this.environmentBody(e)) },
        };
      case "GET /environments/{environment_name}":
        return this.withEnvironment(env, (e) => ({ status: 200, body: this.environmentBody(e) }));
      case "PUT /environments/{environment_name}":
        return this.putEnvironment(env ?? "", body);
      case "DELETE /environments/{environment_name}":
        return this.withEnvironment(env, (e) => {
          this.environments.delete(e.name);
          return { status: 204 };
        });
      case "GET /environments/{environment_name}/deployment-branch-policies":
        return this.withEnvironment(env, (e) => ({
          status: 200,
          body: { total_count: e.policies.size, branch_policies: [...e.policies.values()].map((x) => this.policyBody(x)) },
        }));
      case "POST /environments/{environment_name}/deployment-branch-policies":
        return this.withEnvironment(env, (e) => this.createPolicy(e, body));
      case "GET /environments/{environment_name}/deployment-branch-policies/{branch_policy_id}":
        return this.withPolicy(env, p["branch_policy_id"], (_e, x) => ({ status: 200, body: this.policyBody(x) }));
      case "PUT /environments/{environment_name}/deployment-branch-policies/{branch_policy_id}":
        return this.withPolicy(env, p["branch_policy_id"], (e, x) => {
          const updated: DeploymentPolicy = { ...x, name: String(body["name"]) };
          e.policies.set(x.id, updated);
          return { status: 200, body: this.policyBody(updated) };
        });
      case "DELETE /environments/{environment_name}/deployment-branch-policies/{branch_policy_id}":
        return this.withPolicy(env, p["branch_policy_id"], (e, x) => {
          e.policies.delete(x.id);
          return { status: 204 };
        });
      case "GET /environments/{environment_name}/secrets/public-key":
        return this.withEnvironment(env, (e) => ({ status: 200, body: this.keyBody(e.key) }));
      case "GET /environments/{environment_name}/secrets":
        return this.withEnvironment(env, (e) => ({
          status: 200,
          body: { total_count: e.secrets.size, secrets: [...e.secrets.values()].map(secretBody) },
        }));
      case "GET /environments/{environment_name}/secrets/{secret_name}":
        return this.withEnvironment(env, (e) => getNamed(e.secrets, p["secret_name"], secretBody));
      case "PUT /environments/{environment_name}/secrets/{secret_name}":
        return this.withEnvironment(env, (e) => this.putSecret(e.secrets, e.key, p["secret_name"] ?? "", body));
      case "DELETE /environments/{environment_name}/secrets/{secret_name}":
        return this.withEnvironment(env, (e) => deleteNamed(e.secrets, p["secret_name"]));
      case "GET /environments/{environment_name}/variables":
        return this.withEnvironment(env, (e) => ({
          status: 200,
          body: { total_count: e.variables.size, variables: [...e.variables.values()].map(variableBody) },
        }));
      case "POST /environments/{environment_name}/variables":
        return this.withEnvironment(env, (e) => createVariable(e.variables, body));
      case "GET /environments/{environment_name}/variables/{name}":
        return this.withEnvironment(env, (e) => getNamed(e.variables, p["name"], variableBody));
      case "PATCH /environments/{environment_name}/variables/{name}":
        return this.withEnvironment(env, (e) => updateVariable(e.variables, p["name"] ?? "", body));
      case "DELETE /environments/{environment_name}/variables/{name}":
        return this.withEnvironment(env, (e) => deleteNamed(e.variables, p["name"]));
      case "GET /actions/secrets/public-key":
        return { status: 200, body: this.keyBody(this.repositoryKey) };
      case "GET /actions/secrets":
        return { status: 200, body: { total_count: this.secrets.size, secrets: [...this.secrets.values()].map(secretBody) } };
      case "GET /actions/secrets/{secret_name}":
        return getNamed(this.secrets, p["secret_name"], secretBody);
      case "PUT /actions/secrets/{secret_name}":
        return this.putSecret(this.secrets, this.repositoryKey, p["secret_name"] ?? "", body);
      case "DELETE /actions/secrets/{secret_name}":
        return deleteNamed(this.secrets, p["secret_name"]);
      case "GET /actions/variables":
        return { status: 200, body: { total_count: this.variables.size, variables: [...this.variables.values()].map(variableBody) } };
      case "POST /actions/variables":
        return createVariable(this.variables, body);
      case "GET /actions/variables/{name}":
        return getNamed(this.variables, p["name"], variableBody);
      case "PATCH /actions/variables/{name}":
        return updateVariable(this.variables, p["name"] ?? "", body);
      case "DELETE /actions/variables/{name}":
        return deleteNamed(this.variables, p["name"]);
      case "GET /rulesets":
        return { status: 200, body: [...this.rulesets.values()].map((r) => this.rulesetBody(r)) };
      case "POST /rulesets":
        return this.putRuleset(undefined, body);
      case "GET /rulesets/{ruleset_id}":
        return this.withRuleset(p["ruleset_id"], (r) => ({ status: 200, body: this.rulesetBody(r) }));
      case "PUT /rulesets/{ruleset_id}":
        return this.withRuleset(p["ruleset_id"], (r) => this.putRuleset(r, body));
      case "DELETE /rulesets/{ruleset_id}":
        return this.withRuleset(p["ruleset_id"], (r) => {
          this.rulesets.delete(r.id);
          return { status: 204 };
        });
      case "GET /actions/permissions":
        return { status: 200, body: this.permissionsBody() };
      case "PUT /actions/permissions":
        return this.putPermissions(body);
      case "GET /actions/permissions/selected-actions":
        return this.permissions.allowedActions === "selected"
          ? { status: 200, body: { ...this.permissions.selected } }
          : this.notSelected();
      case "PUT /actions/permissions/selected-actions":
        return this.putSelectedActions(body);
      case "GET /actions/permissions/workflow":
        return { status: 200, body: { ...this.workflowPermissions } };
      case "PUT /actions/permissions/workflow":
        return this.putWorkflowPermissions(body);
      default:
        return undefined;
    }
  }

  private isOurRepository(match: OperationMatch): boolean {
    if (match.repositoryId !== undefined) return Number(match.repositoryId) === this.repositoryId;
    // Owner and repository names are not case sensitive.
    return (
      (match.params["owner"] ?? "").toLowerCase() === this.fixture.owner.toLowerCase() &&
      (match.params["repo"] ?? "").toLowerCase() === this.fixture.repository.toLowerCase()
    );
  }

  private newId(): number {
    return this.nextId++;
  }

  private newKey(): KeyPair {
    const keyId = String(this.nextKeyId++);
    return { ...generateBoxKeyPair(), keyId };
  }

  // --- owner, users, teams (data sources github_user, github_team; provider configure) ------

  private ownerIsOrganization(): boolean {
    return (this.fixture.ownerType ?? "Organization") === "Organization";
  }

  /** provider.go configureProviderMeta: GET /orgs/{owner}; a 404 means a personal account. */
  private getOrganization(org: string): Answer {
    if (!this.ownerIsOrganization() || org.toLowerCase() !== this.fixture.owner.toLowerCase()) return notFound;
    const login = this.fixture.owner;
    const id = idOf(login);
    const api = this.api;
    return {
      status: 200,
      body: {
        login,
        id,
        node_id: `O_${String(id)}`,
        url: `${api}/orgs/${login}`,
        repos_url: `${api}/orgs/${login}/repos`,
        events_url: `${api}/orgs/${login}/events`,
        hooks_url: `${api}/orgs/${login}/hooks`,
        issues_url: `${api}/orgs/${login}/issues`,
        members_url: `${api}/orgs/${login}/members{/member}`,
        public_members_url: `${api}/orgs/${login}/public_members{/member}`,
        avatar_url: `${this.origin}/avatars/u/${String(id)}`,
        description: null,
        html_url: `${this.origin}/${login}`,
        has_organization_projects: true,
        has_repository_projects: true,
        public_repos: this.visibility === "public" ? 1 : 0,
        public_gists: 0,
        followers: 0,
        following: 0,
        type: "Organization",
        created_at: this.createdAt,
        updated_at: this.createdAt,
        archived_at: null,
        plan: { name: this.plan, space: 976562499, private_repos: 999999 },
      },
    };
  }

  private simpleUser(login: string, type: "User" | "Organization" = "User"): JsonObject {
    const id = type === "User" ? idOf(`user:${login}`) : idOf(login);
    const api = this.api;
    return {
      login,
      id,
      node_id: `U_${String(id)}`,
      avatar_url: `${this.origin}/avatars/u/${String(id)}`,
      gravatar_id: "",
      url: `${api}/users/${login}`,
      html_url: `${this.origin}/${login}`,
      followers_url: `${api}/users/${login}/followers`,
      following_url: `${api}/users/${login}/following{/other_user}`,
      gists_url: `${api}/users/${login}/gists{/gist_id}`,
      starred_url: `${api}/users/${login}/starred{/owner}{/repo}`,
      subscriptions_url: `${api}/users/${login}/subscriptions`,
      organizations_url: `${api}/users/${login}/orgs`,
      repos_url: `${api}/users/${login}/repos`,
      events_url: `${api}/users/${login}/events{/privacy}`,
      received_events_url: `${api}/users/${login}/received_events`,
      type,
      site_admin: false,
      user_view_type: "public",
    };
  }

  /** data_source_github_user.go: GET /users/{u}, then its GPG and SSH keys. */
  private getUser(template: string, login: string): Answer | undefined {
    const isOwner = !this.ownerIsOrganization() && login.toLowerCase() === this.fixture.owner.toLowerCase();
    const known = this.fixture.users.find((u) => u.toLowerCase() === login.toLowerCase()) ?? (isOwner ? this.fixture.owner : undefined);
    if (known === undefined) return notFound;
    if (template === "/users/{username}/gpg_keys" || template === "/users/{username}/keys") return { status: 200, body: [] };
    if (template !== "/users/{username}") return undefined;
    return {
      status: 200,
      body: {
        ...this.simpleUser(known),
        name: known,
        company: null,
        blog: "",
        location: null,
        email: null,
        hireable: null,
        bio: null,
        twitter_username: null,
        public_repos: 0,
        public_gists: 0,
        followers: 0,
        following: 0,
        created_at: "2011-01-25T18:44:36Z",
        updated_at: this.createdAt,
      },
    };
  }

  private teamBody(slug: string): JsonObject {
    const id = idOf(`team:${slug}`);
    const org = this.fixture.owner;
    return {
      id,
      node_id: `T_${String(id)}`,
      url: `${this.api}/teams/${String(id)}`,
      html_url: `${this.origin}/orgs/${org}/teams/${slug}`,
      name: slug,
      slug,
      description: null,
      privacy: "closed",
      notification_setting: "notifications_enabled",
      permission: "pull",
      members_url: `${this.api}/teams/${String(id)}/members{/member}`,
      repositories_url: `${this.api}/teams/${String(id)}/repos`,
      type: "organization",
      parent: null,
    };
  }

  /** data_source_github_team.go: GET /orgs/{org}/teams/{slug} (summary_only: no member or repository lists). */
  private getTeam(org: string, slug: string): Answer {
    if (!this.ownerIsOrganization() || org.toLowerCase() !== this.fixture.owner.toLowerCase()) return notFound;
    const known = this.fixture.teams.find((t) => t.toLowerCase() === slug.toLowerCase());
    if (known === undefined) return notFound;
    const organization = this.getOrganization(org).body as JsonObject;
    return {
      status: 200,
      body: {
        ...this.teamBody(known),
        created_at: this.createdAt,
        updated_at: this.createdAt,
        members_count: 1,
        repos_count: 1,
        organization: { ...organization, name: this.fixture.owner, is_verified: false },
      },
    };
  }

  // --- repository, branches, refs, releases -------------------------------------------------

  private repository(): JsonObject {
    const { owner, repository } = this.fixture;
    const full = `${owner}/${repository}`;
    const r = `${this.api}/repos/${full}`;
    const pushedAt = timestamp();
    return {
      id: this.repositoryId,
      node_id: `R_${String(this.repositoryId)}`,
      name: repository,
      full_name: full,
      owner: this.simpleUser(owner, this.ownerIsOrganization() ? "Organization" : "User"),
      private: this.visibility !== "public",
      visibility: this.visibility,
      html_url: `${this.origin}/${full}`,
      description: null,
      fork: false,
      url: r,
      archive_url: `${r}/{archive_format}{/ref}`,
      assignees_url: `${r}/assignees{/user}`,
      blobs_url: `${r}/git/blobs{/sha}`,
      branches_url: `${r}/branches{/branch}`,
      collaborators_url: `${r}/collaborators{/collaborator}`,
      comments_url: `${r}/comments{/number}`,
      commits_url: `${r}/commits{/sha}`,
      compare_url: `${r}/compare/{base}...{head}`,
      contents_url: `${r}/contents/{+path}`,
      contributors_url: `${r}/contributors`,
      deployments_url: `${r}/deployments`,
      downloads_url: `${r}/downloads`,
      events_url: `${r}/events`,
      forks_url: `${r}/forks`,
      git_commits_url: `${r}/git/commits{/sha}`,
      git_refs_url: `${r}/git/refs{/sha}`,
      git_tags_url: `${r}/git/tags{/sha}`,
      git_url: `git://127.0.0.1/${full}.git`,
      issue_comment_url: `${r}/issues/comments{/number}`,
      issue_events_url: `${r}/issues/events{/number}`,
      issues_url: `${r}/issues{/number}`,
      keys_url: `${r}/keys{/key_id}`,
      labels_url: `${r}/labels{/name}`,
      languages_url: `${r}/languages`,
      merges_url: `${r}/merges`,
      milestones_url: `${r}/milestones{/number}`,
      notifications_url: `${r}/notifications{?since,all,participating}`,
      pulls_url: `${r}/pulls{/number}`,
      releases_url: `${r}/releases{/id}`,
      ssh_url: `git@127.0.0.1:${full}.git`,
      stargazers_url: `${r}/stargazers`,
      statuses_url: `${r}/statuses/{sha}`,
      subscribers_url: `${r}/subscribers`,
      subscription_url: `${r}/subscription`,
      tags_url: `${r}/tags`,
      teams_url: `${r}/teams`,
      trees_url: `${r}/git/trees{/sha}`,
      clone_url: `${this.origin}/${full}.git`,
      mirror_url: null,
      hooks_url: `${r}/hooks`,
      svn_url: `${this.origin}/${full}`,
      homepage: null,
      language: "Python",
      forks_count: 0,
      forks: 0,
      stargazers_count: 0,
      watchers_count: 0,
      watchers: 0,
      size: 120,
      default_branch: this.defaultBranch,
      open_issues_count: 0,
      open_issues: 0,
      is_template: false,
      topics: [],
      has_issues: true,
      has_projects: true,
      has_wiki: false,
      has_pages: false,
      has_downloads: true,
      has_discussions: false,
      archived: false,
      disabled: false,
      pushed_at: pushedAt,
      created_at: this.createdAt,
      updated_at: pushedAt,
      permissions: { admin: true, maintain: true, push: true, triage: true, pull: true },
      allow_rebase_merge: true,
      allow_squash_merge: true,
      allow_merge_commit: true,
      allow_auto_merge: false,
      delete_branch_on_merge: false,
      allow_forking: false,
      web_commit_signoff_required: false,
      license: null,
      network_count: 0,
      subscribers_count: 1,
    };
  }

  /** util_repo.go checkRepositoryBranchExists: GET /repos/{o}/{r}/branches/{branch} before a file is written. */
  private getBranch(branch: string): Answer {
    const sha = this.heads.get(branch);
    if (sha === undefined) return error(404, "Branch not found");
    const r = `${this.api}/repos/${this.fixture.owner}/${this.fixture.repository}`;
    return {
      status: 200,
      body: {
        name: branch,
        commit: this.commitBody(sha),
        _links: {
          self: `${r}/branches/${encodeURIComponent(branch)}`,
          html: `${this.origin}/${this.fixture.owner}/${this.fixture.repository}/tree/${branch}`,
        },
        protected: this.rulesets.size > 0,
        protection: { enabled: false, required_status_checks: { enforcement_level: "off", contexts: [], checks: [] } },
        protection_url: `${r}/branches/${encodeURIComponent(branch)}/protection`,
      },
    };
  }

  /**
   * data_source_github_branch.go / data_source_github_ref.go: GET git/ref/heads/{branch}, git/ref/tags/{tag}.
   * A lightweight tag's ref names its commit; an annotated tag's names its tag object (type "tag").
   */
  private getRef(ref: string): Answer {
    const [kind, ...nameParts] = ref.split("/");
    const name = nameParts.join("/");
    const release = kind === "tags" ? this.fixture.releases.find((r) => r.tag === name) : undefined;
    const sha = kind === "heads" ? this.heads.get(name) : release?.sha;
    if (sha === undefined) return notFound;
    const r = `${this.api}/repos/${this.fixture.owner}/${this.fixture.repository}`;
    const object =
      release?.annotated === true
        ? { sha: tagObjectSha(release.tag), type: "tag", url: `${r}/git/tags/${tagObjectSha(release.tag)}` }
        : { sha, type: "commit", url: `${r}/git/commits/${sha}` };
    return {
      status: 200,
      body: { ref: `refs/${ref}`, node_id: `REF_${Buffer.from(ref).toString("base64")}`, url: `${r}/git/refs/${ref}`, object },
    };
  }

  /** GET git/tags/{tag_sha}: an annotated tag's object, naming the commit it tags. */
  private getTagObject(sha: string): Answer {
    const release = this.fixture.releases.find((r) => r.annotated === true && tagObjectSha(r.tag) === sha);
    if (release === undefined) return notFound;
    const r = `${this.api}/repos/${this.fixture.owner}/${this.fixture.repository}`;
    const tagger = { name: "Release Manager", email: "release@example.com", date: "2026-11-30T12:00:00Z" };
    return {
      status: 200,
      body: {
        node_id: `TAG_${sha.slice(0, 12)}`,
        tag: release.tag,
        sha,
        url: `${r}/git/tags/${sha}`,
        message: `Release ${release.tag}\n`,
        tagger,
        object: { type: "commit", sha: release.sha, url: `${r}/git/commits/${release.sha}` },
        verification: { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null },
      },
    };
  }

  /** data_source_github_release.go retrieve_by latest: the newest release that is neither a draft nor a pre-release. */
  private latestRelease(): Answer {
    const release = this.fixture.releases.find((r) => r.prerelease !== true);
    return release === undefined ? notFound : { status: 200, body: this.releaseBody(release) };
  }

  /** data_source_github_release.go retrieve_by tag (the program checks a production tag is a published release) and by id. */
  private release(by: { readonly tag?: string; readonly id?: string }): Answer {
    const release = this.fixture.releases.find((r) => r.tag === by.tag || String(idOf(`release:${r.tag}`)) === by.id);
    return release === undefined ? notFound : { status: 200, body: this.releaseBody(release) };
  }

  private releaseBody(release: GitHubFixture["releases"][number]): JsonObject {
    const id = idOf(`release:${release.tag}`);
    const r = `${this.api}/repos/${this.fixture.owner}/${this.fixture.repository}`;
    const html = `${this.origin}/${this.fixture.owner}/${this.fixture.repository}`;
    return {
      id,
      node_id: `RE_${String(id)}`,
      tag_name: release.tag,
      target_commitish: release.sha,
      name: release.tag,
      body: "",
      draft: false,
      prerelease: release.prerelease === true,
      created_at: "2026-11-01T10:00:00Z",
      published_at: "2026-11-01T10:05:00Z",
      author: this.simpleUser("release-bot"),
      url: `${r}/releases/${String(id)}`,
      html_url: `${html}/releases/tag/${release.tag}`,
      assets_url: `${r}/releases/${String(id)}/assets`,
      upload_url: `${this.origin}/api/uploads/repos/${this.fixture.owner}/${this.fixture.repository}/releases/${String(id)}/assets{?name,label}`,
      tarball_url: `${r}/tarball/${release.tag}`,
      zipball_url: `${r}/zipball/${release.tag}`,
      assets: [],
    };
  }

  // --- commits and contents (resource_github_repository_file.go) ---------------------------

  private commitOf(
    sha: string,
    parents: string[],
    message: string,
    tree: ReadonlyMap<string, Buffer>,
    author: Person,
    committer: Person,
    changed: CommitState["changed"],
  ): CommitState {
    const treeSha = createHash("sha1")
      .update(
        [...tree]
          .map(([path, content]) => `${path}\0${gitBlobSha(content)}`)
          .sort()
          .join("\n"),
      )
      .digest("hex");
    return { sha, parents, message, tree, treeSha, author, committer, changed };
  }

  private resolveRef(ref: string): string | undefined {
    if (this.heads.has(ref)) return this.heads.get(ref);
    const tag = this.fixture.releases.find((r) => r.tag === ref);
    if (tag !== undefined) return tag.sha;
    const byPrefix = /^[0-9a-f]{7,40}$/.test(ref) ? [...this.commits.keys()].filter((sha) => sha.startsWith(ref)) : [];
    return byPrefix.length === 1 ? byPrefix[0] : undefined;
  }

  private commitBody(sha: string): JsonObject {
    const commit = this.commits.get(sha);
    if (commit === undefined) throw new Error(`no commit ${sha}`);
    const r = `${this.api}/repos/${this.fixture.owner}/${this.fixture.repository}`;
    const html = `${this.origin}/${this.fixture.owner}/${this.fixture.repository}`;
    return {
      url: `${r}/commits/${sha}`,
      sha,
      node_id: `C_${sha}`,
      html_url: `${html}/commit/${sha}`,
      comments_url: `${r}/commits/${sha}/comments`,
      commit: {
        url: `${r}/git/commits/${sha}`,
        author: { ...commit.author },
        committer: { ...commit.committer },
        message: commit.message,
        comment_count: 0,
        tree: { sha: commit.treeSha, url: `${r}/git/trees/${commit.treeSha}` },
        verification: { verified: true, reason: "valid", signature: null, payload: null, verified_at: commit.committer.date },
      },
      author: null,
      committer: null,
      parents: commit.parents.map((p) => ({ sha: p, url: `${r}/commits/${p}`, html_url: `${html}/commit/${p}` })),
      stats: { total: commit.changed.length, additions: 0, deletions: 0 },
      files: commit.changed.map((c) => ({
        sha: c.sha,
        filename: c.path,
        status: c.status,
        additions: 0,
        deletions: 0,
        changes: 0,
        blob_url: `${html}/blob/${sha}/${c.path}`,
        raw_url: `${html}/raw/${sha}/${c.path}`,
        contents_url: `${r}/contents/${c.path}?ref=${sha}`,
      })),
    };
  }

  /** resource read: GET /repos/{o}/{r}/commits/{sha} for the commit_sha it knows. */
  private getCommit(ref: string): Answer {
    const sha = this.resolveRef(ref);
    if (sha === undefined) return validationFailed(`No commit found for SHA: ${ref}`);
    return { status: 200, body: this.commitBody(sha) };
  }

  /**
   * GET /commits?sha=&path=&per_page=&page=, newest first: util_repo.go getFileCommit (import), and the
   * program's branch-head look-up past its own commits (through the provider's github_rest_api data
   * source). Paged as GitHub pages it: per_page 30 by default, at most 100, a Link header to the next page.
   * An unknown sha is GitHub's 404 "No commit found for SHA".
   */
  private listCommits(query: URLSearchParams): Answer {
    const ref = query.get("sha") ?? this.defaultBranch;
    const start = this.resolveRef(ref);
    if (start === undefined) return error(404, `No commit found for SHA: ${ref}`, `${docs}/commits/commits#list-commits`);
    const path = query.get("path");
    const all: string[] = [];
    for (let sha: string | undefined = start; sha !== undefined;) {
      const commit = this.commits.get(sha);
      if (commit === undefined) break;
      if (path === null || commit.changed.some((c) => c.path === path)) all.push(sha);
      sha = commit.parents[0];
    }
    const perPage = Math.min(Number(query.get("per_page") ?? "30"), 100);
    const page = Number(query.get("page") ?? "1");
    const body = all.slice((page - 1) * perPage, page * perPage).map((sha) => this.commitBody(sha));
    if (page * perPage >= all.length) return { status: 200, body };
    const next = new URLSearchParams(query);
    next.set("page", String(page + 1));
    const url = `${this.api}/repos/${this.fixture.owner}/${this.fixture.repository}/commits?${next.toString()}`;
    return { status: 200, body, headers: { link: `<${url}>; rel="next"` } };
  }

  private contentUrls(path: string, ref: string): { url: string; html_url: string; git_url: string; download_url: string } {
    const r = `${this.api}/repos/${this.fixture.owner}/${this.fixture.repository}`;
    const html = `${this.origin}/${this.fixture.owner}/${this.fixture.repository}`;
    return {
      url: `${r}/contents/${path}?ref=${encodeURIComponent(ref)}`,
      html_url: `${html}/blob/${ref}/${path}`,
      git_url: `${r}/git/blobs/`,
      download_url: `${this.origin}/raw/${this.fixture.owner}/${this.fixture.repository}/${ref}/${path}`,
    };
  }

  private fileEntry(path: string, ref: string, content: Buffer): JsonObject {
    const sha = gitBlobSha(content);
    const urls = this.contentUrls(path, ref);
    const git = `${urls.git_url}${sha}`;
    return {
      type: "file",
      size: content.length,
      name: path.slice(path.lastIndexOf("/") + 1),
      path,
      sha,
      url: urls.url,
      git_url: git,
      html_url: urls.html_url,
      download_url: urls.download_url,
      _links: { self: urls.url, git, html: urls.html_url },
    };
  }

  /**
   * GET /repos/{o}/{r}/contents/{path}?ref=: a file (base64, wrapped at 60),
   * a directory listing, or 404. The provider reads `ref` back from the
   * answer's `url` query, which GitHub always includes.
   */
  private getContents(path: string, ref: string): Answer {
    const sha = this.resolveRef(ref);
    if (sha === undefined) return error(404, `No commit found for the ref ${ref}`);
    const tree = this.commits.get(sha)?.tree ?? new Map<string, Buffer>();
    const content = tree.get(path);
    if (content !== undefined)
      return { status: 200, body: { ...this.fileEntry(path, ref, content), content: base64Lines(content), encoding: "base64" } };
    const prefix = path === "" ? "" : `${path}/`;
    const children = new Map<string, JsonObject>();
    for (const [p, c] of tree) {
      if (!p.startsWith(prefix)) continue;
      const rest = p.slice(prefix.length);
      const slash = rest.indexOf("/");
      if (slash < 0) children.set(rest, this.fileEntry(p, ref, c));
      else {
        const dir = `${prefix}${rest.slice(0, slash)}`;
        const urls = this.contentUrls(dir, ref);
        children.set(rest.slice(0, slash), {
          type: "dir",
          size: 0,
          name: rest.slice(0, slash),
          path: dir,
          sha: createHash("sha1").update(dir).digest("hex"),
          ...urls,
          _links: { self: urls.url, git: urls.git_url, html: urls.html_url },
        });
      }
    }
    return children.size === 0 ? notFound : { status: 200, body: [...children.values()] };
  }

  /** Who GitHub records for an API commit: the given author/committer, else the token's identity signed by GitHub. */
  private people(body: JsonObject): { author: Person; committer: Person } {
    const date = timestamp();
    const person = (value: unknown): Person | undefined =>
      isObject(value) ? { name: String(value["name"]), email: String(value["email"]), date } : undefined;
    const committer = person(body["committer"]) ?? { name: "GitHub", email: "noreply@github.com", date };
    const author = person(body["author"]) ??
      person(body["committer"]) ?? { name: "delivery[bot]", email: "delivery[bot]@users.noreply.github.com", date };
    return { author, committer };
  }

  /**
   * One contents write at a time per branch, as GitHub's ref update allows:
   * a write that starts while another is in flight on the same branch fails,
   * once that one lands, with GitHub's 409 "is at <new head> but expected <old head>".
   */
  /**
   * A write whose preconditions (sha checks) are judged twice, as GitHub does:
   * against the head when the request arrives, and again against the head the
   * serialized write finally sees.
   */
  private checkedWrite(
    branch: string,
    problem: (head: CommitState) => Answer | undefined,
    change: (head: CommitState) => Answer,
  ): Promise<Answer> {
    const early = problem(this.commits.get(this.heads.get(branch) ?? "") as CommitState);
    if (early !== undefined) return Promise.resolve(early);
    return this.write(branch, (head) => problem(head) ?? change(head));
  }

  private async write(branch: string, change: (head: CommitState) => Answer): Promise<Answer> {
    const inFlight = this.writing.get(branch);
    const expected = this.heads.get(branch) ?? "";
    if (inFlight !== undefined) {
      await inFlight;
      return error(
        409,
        `is at ${this.heads.get(branch) ?? ""} but expected ${expected}`,
        `${docs}/repos/contents#create-or-update-file-contents`,
      );
    }
    let release = (): void => undefined;
    this.writing.set(branch, new Promise<void>((resolve) => (release = resolve)));
    try {
      await new Promise((resolve) => setTimeout(resolve, this.fixture.contentWriteMs ?? 30));
      const head = this.commits.get(this.heads.get(branch) ?? "");
      if (head === undefined) return notFound;
      return change(head);
    } finally {
      this.writing.delete(branch);
      release();
    }
  }

  private commitChange(
    branch: string,
    head: CommitState,
    message: string,
    tree: Map<string, Buffer>,
    body: JsonObject,
    changed: CommitState["changed"],
  ): CommitState {
    const { author, committer } = this.people(body);
    const sha = createHash("sha1")
      .update(`${head.sha}\n${message}\n${committer.date}\n${String(this.commits.size)}\n${JSON.stringify(changed)}`)
      .digest("hex");
    const commit = this.commitOf(sha, [head.sha], message, tree, author, committer, changed);
    this.commits.set(sha, commit);
    this.heads.set(branch, sha);
    return commit;
  }

  private fileCommitBody(commit: CommitState, content: JsonObject | null): JsonObject {
    const full = this.commitBody(commit.sha);
    const inner = full["commit"] as JsonObject;
    return {
      content,
      commit: {
        sha: commit.sha,
        node_id: full["node_id"],
        url: inner["url"],
        html_url: full["html_url"],
        author: { ...commit.author },
        committer: { ...commit.committer },
        message: commit.message,
        tree: inner["tree"],
        parents: full["parents"],
        verification: inner["verification"],
      },
    };
  }

  /**
   * What GitHub enforces on a commit made through the contents API: every
   * active ruleset whose ref condition covers the branch, unless the token's
   * actor may bypass it ("always"). A pull_request rule, required status
   * checks (a new commit has none) and an update rule stop a direct commit.
   */
  private ruleViolations(branch: string): Answer | undefined {
    const ref = `refs/heads/${branch}`;
    const messages: string[] = [];
    for (const ruleset of this.rulesets.values()) {
      const body = ruleset.body;
      if (body["enforcement"] !== "active" || (body["target"] ?? "branch") !== "branch") continue;
      const refName = isObject(body["conditions"]) && isObject(body["conditions"]["ref_name"]) ? body["conditions"]["ref_name"] : {};
      const matches = (pattern: string): boolean =>
        pattern === "~ALL" || (pattern === "~DEFAULT_BRANCH" && branch === this.defaultBranch) || refPattern(pattern).test(ref);
      if (!asStrings(refName["include"]).some(matches) || asStrings(refName["exclude"]).some(matches)) continue;
      if (this.mayBypass(body["bypass_actors"])) continue;
      for (const rule of Array.isArray(body["rules"]) ? body["rules"] : []) {
        if (!isObject(rule)) continue;
        if (rule["type"] === "pull_request") messages.push("Changes must be made through a pull request.");
        if (rule["type"] === "update") messages.push("Cannot update this protected ref.");
        if (rule["type"] === "required_status_checks" && isObject(rule["parameters"])) {
          const checks = Array.isArray(rule["parameters"]["required_status_checks"]) ? rule["parameters"]["required_status_checks"] : [];
          for (const check of checks)
            if (isObject(check)) messages.push(`Required status check "${String(check["context"])}" is expected.`);
        }
      }
    }
    if (messages.length === 0) return undefined;
    return error(
      409,
      `Repository rule violations found\n\n${[...new Set(messages)].join("\n\n")}\n\n`,
      `${docs}/repos/contents#create-or-update-file-contents`,
    );
  }

  private mayBypass(actors: unknown): boolean {
    const actor = this.fixture.tokenActor ?? { type: "User" };
    return (Array.isArray(actors) ? actors : []).some((a: unknown) => {
      if (!isObject(a) || a["bypass_mode"] !== "always") return false;
      if (actor.type === "Integration") return a["actor_type"] === "Integration" && Number(a["actor_id"]) === actor.id;
      return (
        actor.admin === true &&
        (a["actor_type"] === "OrganizationAdmin" || (a["actor_type"] === "RepositoryRole" && Number(a["actor_id"]) === 5))
      );
    });
  }

  /** PUT contents: create (201) or update (200); sha required to replace, and must be the current blob's. */
  private async putContents(path: string, body: JsonObject): Promise<Answer> {
    const branch = typeof body["branch"] === "string" ? body["branch"] : this.defaultBranch;
    if (!this.heads.has(branch)) return error(404, `Branch ${branch} not found`);
    const blocked = this.ruleViolations(branch);
    if (blocked !== undefined) return blocked;
    const encoded = String(body["content"]);
    if (!/^[A-Za-z0-9+/\r\n]*={0,2}[\r\n]*$/.test(encoded)) return validationFailed("content is not valid Base64", "content");
    const content = Buffer.from(encoded, "base64");
    const given = typeof body["sha"] === "string" ? body["sha"] : undefined;
    const problem = (head: CommitState): Answer | undefined => {
      const current = head.tree.get(path);
      if (current !== undefined && given === undefined)
        return validationFailed('Invalid request.\n\n"sha" wasn\'t supplied.', "sha", "missing_field");
      if (given !== undefined && (current === undefined || gitBlobSha(current) !== given))
        return error(409, `${path} does not match ${given}`, `${docs}/repos/contents#create-or-update-file-contents`);
      return undefined;
    };
    return this.checkedWrite(branch, problem, (head) => {
      const existed = head.tree.has(path);
      const tree = new Map(head.tree);
      tree.set(path, content);
      const commit = this.commitChange(branch, head, String(body["message"]), tree, body, [
        { path, status: existed ? "modified" : "added", sha: gitBlobSha(content) },
      ]);
      return { status: existed ? 200 : 201, body: this.fileCommitBody(commit, this.fileEntry(path, branch, content)) };
    });
  }

  /** DELETE contents: sha required and must be the current blob's. */
  private async deleteContents(path: string, body: JsonObject): Promise<Answer> {
    const branch = typeof body["branch"] === "string" ? body["branch"] : this.defaultBranch;
    if (!this.heads.has(branch)) return error(404, `Branch ${branch} not found`);
    const blocked = this.ruleViolations(branch);
    if (blocked !== undefined) return blocked;
    const given = String(body["sha"]);
    const problem = (head: CommitState): Answer | undefined => {
      const current = head.tree.get(path);
      if (current === undefined) return notFound;
      if (gitBlobSha(current) !== given) return error(409, `${path} does not match ${given}`, `${docs}/repos/contents#delete-a-file`);
      return undefined;
    };
    return this.checkedWrite(branch, problem, (head) => {
      const tree = new Map(head.tree);
      tree.delete(path);
      const commit = this.commitChange(branch, head, String(body["message"]), tree, body, [{ path, status: "removed", sha: given }]);
      return { status: 200, body: this.fileCommitBody(commit, null) };
    });
  }

  // --- environments (resource_github_repository_environment.go, ..._deployment_policy.go) ----

  private withEnvironment(name: string | undefined, then: (env: EnvironmentState) => Answer): Answer {
    const env = name === undefined ? undefined : this.environments.get(name);
    return env === undefined ? notFound : then(env);
  }

  private withPolicy(
    envName: string | undefined,
    id: string | undefined,
    then: (env: EnvironmentState, policy: DeploymentPolicy) => Answer,
  ): Answer {
    return this.withEnvironment(envName, (env) => {
      const policy = env.policies.get(Number(id));
      return policy === undefined ? notFound : then(env, policy);
    });
  }

  private environmentView(env: EnvironmentState): EnvironmentView {
    return {
      name: env.name,
      id: env.id,
      waitTimer: env.waitTimer,
      preventSelfReview: env.preventSelfReview,
      canAdminsBypass: env.canAdminsBypass,
      reviewers: [...env.reviewers],
      deploymentBranchPolicy: env.branchPolicy,
      deploymentPolicies: [...env.policies.values()],
      secrets: [...env.secrets.keys()],
      variables: [...env.variables.values()].map((v) => ({ ...v })),
    };
  }

  private environmentBody(env: EnvironmentState): JsonObject {
    const { owner, repository } = this.fixture;
    const rules: JsonObject[] = [];
    const ruleId = (kind: string): number => idOf(`rule:${env.name}:${kind}`);
    if (env.waitTimer > 0)
      rules.push({
        id: ruleId("wait_timer"),
        node_id: `GA_${String(ruleId("wait_timer"))}`,
        type: "wait_timer",
        wait_timer: env.waitTimer,
      });
    if (env.reviewers.length > 0) {
      rules.push({
        id: ruleId("required_reviewers"),
        node_id: `GA_${String(ruleId("required_reviewers"))}`,
        type: "required_reviewers",
        prevent_self_review: env.preventSelfReview,
        reviewers: env.reviewers.map((r) => ({ type: r.type, reviewer: r.type === "User" ? this.userById(r.id) : this.teamById(r.id) })),
      });
    }
    if (env.branchPolicy !== null)
      rules.push({ id: ruleId("branch_policy"), node_id: `GA_${String(ruleId("branch_policy"))}`, type: "branch_policy" });
    return {
      id: env.id,
      node_id: `EN_${String(env.id)}`,
      name: env.name,
      url: `${this.api}/repos/${owner}/${repository}/environments/${encodeURIComponent(env.name)}`,
      html_url: `${this.origin}/${owner}/${repository}/deployments/activity_log?environments_filter=${encodeURIComponent(env.name)}`,
      created_at: env.createdAt,
      updated_at: env.updatedAt,
      can_admins_bypass: env.canAdminsBypass,
      protection_rules: rules,
      deployment_branch_policy: env.branchPolicy,
    };
  }

  private userById(id: number): JsonObject | undefined {
    const login = this.fixture.users.find((u) => idOf(`user:${u}`) === id);
    return login === undefined ? undefined : this.simpleUser(login);
  }

  private teamById(id: number): JsonObject | undefined {
    const slug = this.fixture.teams.find((t) => idOf(`team:${t}`) === id);
    return slug === undefined ? undefined : this.teamBody(slug);
  }

  /** Whether the owner's plan gives a private or internal repository protection rules (GitHub: Enterprise only). */
  private protectionRulesAllowed(): boolean {
    return this.visibility === "public" || this.plan === "enterprise";
  }

  /**
   * PUT environments/{name} (go-github CreateUpdateEnvironment: always sends
   * wait_timer, reviewers, can_admins_bypass, deployment_branch_policy and
   * prevent_self_review; on a 422 with no reviewers and no wait timer it
   * retries with deployment_branch_policy alone, the Pro/Team fallback).
   */
  private putEnvironment(name: string, body: JsonObject): Answer {
    if (this.visibility !== "public" && this.plan === "free") return notFound;
    const has = (key: string): boolean => Object.prototype.hasOwnProperty.call(body, key);
    if (!this.protectionRulesAllowed() && (has("wait_timer") || has("reviewers") || has("prevent_self_review"))) {
      // GitHub refuses these fields on a private or internal repository below Enterprise, even at their defaults.
      const rule = has("reviewers") || has("prevent_self_review") ? "required reviewers" : "wait timer";
      return validationFailed(
        `Failed to create the environment protection rule. Please ensure the billing plan supports the ${rule} protection rule.`,
      );
    }
    const waitTimer = typeof body["wait_timer"] === "number" ? body["wait_timer"] : undefined;
    if (waitTimer !== undefined && (waitTimer < 0 || waitTimer > 43200))
      return validationFailed("Wait timer must be between 0 and 43200 minutes (30 days).", "wait_timer");
    const reviewers = Array.isArray(body["reviewers"])
      ? body["reviewers"]
          .filter(isObject)
          .map((r): EnvironmentReviewer => ({ type: r["type"] === "Team" ? "Team" : "User", id: Number(r["id"]) }))
      : undefined;
    if (reviewers !== undefined && reviewers.length > 6)
      return validationFailed("A maximum of 6 reviewers (users and teams combined) can be set for an environment.", "reviewers");
    for (const r of reviewers ?? []) {
      if ((r.type === "User" ? this.userById(r.id) : this.teamById(r.id)) === undefined)
        return validationFailed(`Reviewer ${r.type} ${String(r.id)} was not found or has no access to the repository.`, "reviewers");
    }
    const policy = isObject(body["deployment_branch_policy"])
      ? (body["deployment_branch_policy"] as unknown as BranchPolicySettings)
      : null;
    if (policy !== null && policy.protected_branches === policy.custom_branch_policies) {
      return validationFailed(
        "Validation Failed: protected_branches and custom_branch_policies cannot have the same value.",
        "deployment_branch_policy",
      );
    }
    const now = timestamp();
    let env = this.environments.get(name);
    if (env === undefined) {
      env = {
        name,
        id: this.newId(),
        createdAt: now,
        updatedAt: now,
        waitTimer: 0,
        preventSelfReview: false,
        canAdminsBypass: true,
        reviewers: [],
        branchPolicy: null,
        policies: new Map(),
        secrets: new Map(),
        variables: new Map(),
        key: this.newKey(),
      };
      this.environments.set(name, env);
    }
    env.updatedAt = now;
    if (has("wait_timer")) env.waitTimer = waitTimer ?? 0;
    if (has("reviewers")) env.reviewers = reviewers ?? [];
    if (has("prevent_self_review")) env.preventSelfReview = body["prevent_self_review"] === true;
    if (has("can_admins_bypass")) env.canAdminsBypass = body["can_admins_bypass"] !== false;
    if (has("deployment_branch_policy")) {
      env.branchPolicy =
        policy === null ? null : { protected_branches: policy.protected_branches, custom_branch_policies: policy.custom_branch_policies };
      // Custom policies exist only while the environment uses them.
      if (policy === null || !policy.custom_branch_policies) env.policies.clear();
    }
    return { status: 200, body: this.environmentBody(env) };
  }

  private policyBody(policy: DeploymentPolicy): JsonObject {
    return { id: policy.id, node_id: `DBP_${String(policy.id)}`, name: policy.name, type: policy.type };
  }

  /** POST deployment-branch-policies: 404 unless the environment uses custom policies; 303 for a pattern it already has. */
  private createPolicy(env: EnvironmentState, body: JsonObject): Answer {
    if (env.branchPolicy?.custom_branch_policies !== true) return notFound;
    const type = body["type"] === "tag" ? "tag" : "branch";
    const name = String(body["name"]);
    const existing = [...env.policies.values()].find((p) => p.name === name && p.type === type);
    if (existing !== undefined) {
      const { owner, repository } = this.fixture;
      return {
        status: 303,
        headers: {
          location: `${this.api}/repos/${owner}/${repository}/environments/${encodeURIComponent(env.name)}/deployment-branch-policies/${String(existing.id)}`,
        },
      };
    }
    const policy: DeploymentPolicy = { id: this.newId(), name, type };
    env.policies.set(policy.id, policy);
    return { status: 200, body: this.policyBody(policy) };
  }

  // --- secrets and variables (resource_github_actions_[environment_]secret.go, ..._variable.go) --

  private keyBody(key: KeyPair): JsonObject {
    return { key_id: key.keyId, key: Buffer.from(key.publicKey).toString("base64") };
  }

  /**
   * PUT a secret sealed with the handed-out key: 201 when created, 204 when
   * updated. The stand-in opens it to check it was sealed for that key (GitHub
   * cannot show the value, but a workflow run would get garbage).
   */
  private putSecret(store: Map<string, SecretState>, key: KeyPair, name: string, body: JsonObject): Answer {
    const problem = nameProblem("secret", name);
    if (problem !== undefined) return validationFailed(problem, "secret_name");
    const keyId = String(body["key_id"]);
    const encryptedValue = String(body["encrypted_value"]);
    if (keyId !== key.keyId)
      return validationFailed(`Bad request: key_id ${keyId} is not the current public key (${key.keyId}).`, "key_id");
    if (sealedBoxOpen(new Uint8Array(Buffer.from(encryptedValue, "base64")), key) === undefined) {
      return validationFailed("Bad request: encrypted_value was not sealed with the public key key_id names.", "encrypted_value");
    }
    const now = timestamp();
    const upper = name.toUpperCase();
    const existing = store.get(upper);
    if (existing !== undefined) {
      existing.keyId = keyId;
      existing.encryptedValue = encryptedValue;
      existing.updatedAt = now;
      return { status: 204 };
    }
    store.set(upper, { name: upper, keyId, encryptedValue, createdAt: now, updatedAt: now });
    return { status: 201, body: {} };
  }

  // --- rulesets (resource_github_repository_ruleset.go, util_rules.go) -----------------------

  private withRuleset(id: string | undefined, then: (ruleset: RulesetState) => Answer): Answer {
    const ruleset = this.rulesets.get(Number(id));
    return ruleset === undefined ? notFound : then(ruleset);
  }

  private rulesetBody(ruleset: RulesetState): JsonObject {
    const { owner, repository } = this.fixture;
    return {
      id: ruleset.id,
      name: ruleset.body["name"],
      target: ruleset.body["target"] ?? "branch",
      source_type: "Repository",
      source: `${owner}/${repository}`,
      enforcement: ruleset.body["enforcement"],
      bypass_actors: ruleset.body["bypass_actors"] ?? [],
      current_user_can_bypass: "never",
      node_id: `RRS_${String(ruleset.id)}`,
      _links: {
        self: { href: `${this.api}/repos/${owner}/${repository}/rulesets/${String(ruleset.id)}` },
        html: { href: `${this.origin}/${owner}/${repository}/rules/${String(ruleset.id)}` },
      },
      conditions: ruleset.body["conditions"] ?? null,
      rules: ruleset.body["rules"] ?? [],
      created_at: ruleset.createdAt,
      updated_at: ruleset.updatedAt,
    };
  }

  /** Rules as GitHub stores them: parameters it defaults (allowed merge methods) filled in. */
  private normaliseRules(rules: unknown): unknown[] {
    if (!Array.isArray(rules)) return [];
    return rules.map((rule: unknown) => {
      if (!isObject(rule) || rule["type"] !== "pull_request" || !isObject(rule["parameters"])) return rule;
      const parameters = rule["parameters"];
      const methods = parameters["allowed_merge_methods"];
      return {
        ...rule,
        parameters: {
          ...parameters,
          allowed_merge_methods: Array.isArray(methods) && methods.length > 0 ? methods : ["merge", "squash", "rebase"],
        },
      };
    });
  }

  /** POST (create, 201) or PUT (update, 200) a ruleset. */
  private putRuleset(existing: RulesetState | undefined, body: JsonObject): Answer {
    if (this.visibility !== "public" && this.plan === "free") {
      return error(403, "Upgrade to GitHub Pro or make this repository public to enable this feature.");
    }
    const name = typeof body["name"] === "string" ? body["name"] : existing?.body["name"];
    if ([...this.rulesets.values()].some((r) => r !== existing && r.body["name"] === name))
      return validationFailed("Validation Failed: Name must be unique", "name");
    const conditions = isObject(body["conditions"]) ? body["conditions"] : undefined;
    const refName = conditions !== undefined && isObject(conditions["ref_name"]) ? conditions["ref_name"] : undefined;
    const target = body["target"] ?? existing?.body["target"] ?? "branch";
    const prefix = target === "tag" ? "refs/tags/" : "refs/heads/";
    for (const pattern of [...asStrings(refName?.["include"]), ...asStrings(refName?.["exclude"])]) {
      if (!pattern.startsWith(prefix) && pattern !== "~DEFAULT_BRANCH" && pattern !== "~ALL")
        return validationFailed(`Invalid target patterns: '${pattern}'`, "conditions");
    }
    const now = timestamp();
    const merged: JsonObject = { ...(existing?.body ?? {}) };
    for (const key of ["name", "target", "enforcement", "bypass_actors", "conditions", "rules"])
      if (key in body) merged[key] = key === "rules" ? this.normaliseRules(body[key]) : body[key];
    if (existing !== undefined) {
      existing.body = merged;
      existing.updatedAt = now;
      return { status: 200, body: this.rulesetBody(existing) };
    }
    const created: RulesetState = { id: this.newId(), createdAt: now, updatedAt: now, body: merged };
    this.rulesets.set(created.id, created);
    return { status: 201, body: this.rulesetBody(created) };
  }

  // --- Actions permissions (resource_github_actions_repository_permissions.go) --------------

  private permissionsView(): ActionsPermissionsView {
    const p = this.permissions;
    return {
      enabled: p.enabled,
      allowedActions: p.allowedActions,
      shaPinningRequired: p.shaPinningRequired,
      selectedActions: {
        githubOwnedAllowed: p.selected.github_owned_allowed,
        verifiedAllowed: p.selected.verified_allowed,
        patternsAllowed: [...p.selected.patterns_allowed],
      },
    };
  }

  private permissionsBody(): JsonObject {
    const p = this.permissions;
    const r = `${this.api}/repos/${this.fixture.owner}/${this.fixture.repository}`;
    return p.enabled
      ? {
          enabled: true,
          allowed_actions: p.allowedActions,
          selected_actions_url: `${r}/actions/permissions/selected-actions`,
          sha_pinning_required: p.shaPinningRequired,
        }
      : { enabled: false, sha_pinning_required: p.shaPinningRequired };
  }

  /** PUT actions/permissions changes only what it names: the provider's delete resets enabled and allowed_actions, nothing else. */
  private putPermissions(body: JsonObject): Answer {
    this.permissions.enabled = body["enabled"] === true;
    const allowed = body["allowed_actions"];
    if (allowed === "all" || allowed === "local_only" || allowed === "selected") this.permissions.allowedActions = allowed;
    if (typeof body["sha_pinning_required"] === "boolean") this.permissions.shaPinningRequired = body["sha_pinning_required"];
    return { status: 204 };
  }

  /**
   * PUT actions/permissions/workflow (resource_github_workflow_repository_permissions.go sends both fields; its
   * delete resets them to read and false). GitHub refuses approving pull requests where the owner's policy
   * forbids it; a repository owner allows it here.
   */
  private putWorkflowPermissions(body: JsonObject): Answer {
    const level = body["default_workflow_permissions"];
    if (level !== undefined && level !== "read" && level !== "write")
      return validationFailed(`Invalid default_workflow_permissions: ${JSON.stringify(level)}`);
    if (level !== undefined) this.workflowPermissions.default_workflow_permissions = level;
    if (typeof body["can_approve_pull_request_reviews"] === "boolean")
      this.workflowPermissions.can_approve_pull_request_reviews = body["can_approve_pull_request_reviews"];
    return { status: 204 };
  }

  private notSelected(): Answer {
    return error(409, "Conflict: the repository's allowed_actions policy must be 'selected' to use this endpoint.");
  }

  private putSelectedActions(body: JsonObject): Answer {
    if (!this.permissions.enabled || this.permissions.allowedActions !== "selected") return this.notSelected();
    const s = this.permissions.selected;
    if (typeof body["github_owned_allowed"] === "boolean") s.github_owned_allowed = body["github_owned_allowed"];
    if (typeof body["verified_allowed"] === "boolean") s.verified_allowed = body["verified_allowed"];
    if (Array.isArray(body["patterns_allowed"])) s.patterns_allowed = asStrings(body["patterns_allowed"]);
    return { status: 204 };
  }
}

/** A ruleset ref pattern (fnmatch: `*` within a segment, `**` across) as a regular expression. */
function refPattern(pattern: string): RegExp {
  const source = pattern
    .split("**")
    .map((part) =>
      part
        .split("*")
        .map((literal) => literal.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
        .join("[^/]*"),
    )
    .join(".*");
  return new RegExp(`^${source}$`);
}

function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function sameTree(a: ReadonlyMap<string, Buffer>, b: ReadonlyMap<string, Buffer>): boolean {
  return a.size === b.size && [...a].every(([path, content]) => b.get(path)?.equals(content) === true);
}

function secretBody(s: SecretState): JsonObject {
  return { name: s.name, created_at: s.createdAt, updated_at: s.updatedAt };
}

function variableBody(v: VariableState): JsonObject {
  return { name: v.name, value: v.value, created_at: v.createdAt, updated_at: v.updatedAt };
}

/** Secret and variable names are case-insensitive; GitHub stores and returns them upper case. */
function getNamed<T>(store: Map<string, T>, name: string | undefined, body: (item: T) => JsonObject): Answer {
  const item = store.get((name ?? "").toUpperCase());
  return item === undefined ? notFound : { status: 200, body: body(item) };
}

function deleteNamed<T>(store: Map<string, T>, name: string | undefined): Answer {
  return store.delete((name ?? "").toUpperCase()) ? { status: 204 } : notFound;
}

const variableValueLimit = 48 * 1024;

/** POST variables: 201 with an empty object; 409 when the name exists. */
function createVariable(store: Map<string, VariableState>, body: JsonObject): Answer {
  const name = String(body["name"]);
  const problem = nameProblem("variable", name);
  if (problem !== undefined) return validationFailed(problem, "name");
  const value = String(body["value"]);
  if (Buffer.byteLength(value) > variableValueLimit) return validationFailed("Variable value is too large (48 KB at most).", "value");
  const upper = name.toUpperCase();
  if (store.has(upper)) return error(409, "Already exists - Variable already exists");
  const now = timestamp();
  store.set(upper, { name: upper, value, createdAt: now, updatedAt: now });
  return { status: 201, body: {} };
}

/** PATCH variables/{name}: 204; a new name renames it. */
function updateVariable(store: Map<string, VariableState>, name: string, body: JsonObject): Answer {
  const existing = store.get(name.toUpperCase());
  if (existing === undefined) return notFound;
  if (typeof body["value"] === "string") {
    if (Buffer.byteLength(body["value"]) > variableValueLimit)
      return validationFailed("Variable value is too large (48 KB at most).", "value");
    existing.value = body["value"];
  }
  if (typeof body["name"] === "string" && body["name"].toUpperCase() !== existing.name) {
    const problem = nameProblem("variable", body["name"]);
    if (problem !== undefined) return validationFailed(problem, "name");
    if (store.has(body["name"].toUpperCase())) return error(409, "Already exists - Variable already exists");
    store.delete(existing.name);
    existing.name = body["name"].toUpperCase();
    store.set(existing.name, existing);
  }
  existing.updatedAt = timestamp();
  return { status: 204 };
}
