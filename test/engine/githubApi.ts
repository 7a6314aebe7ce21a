/**
 * A loopback stand-in for the GitHub REST API, as the github provider speaks
 * it when GITHUB_BASE_URL names a non-github.com host (GitHub Enterprise paths,
 * everything under /api/v3/). It serves the reads a preview of this program
 * makes, shaped as GitHub answers them (GitHub's REST reference and the
 * go-github types the provider decodes into), and answers anything else with
 * 501 and records it, so a test fails loudly on a request nobody modelled.
 * It stands in only because GitHub is out of reach; the provider is the real one.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface GitHubFixture {
  readonly owner: string;
  readonly repository: string;
  /** Branch name to head commit. */
  readonly branches: Readonly<Record<string, string>>;
  /** Tag name to commit, newest release first; the first that is not a pre-release is "latest". */
  readonly releases: readonly { readonly tag: string; readonly sha: string; readonly prerelease?: boolean }[];
  readonly users: readonly string[];
  readonly teams: readonly string[];
}

export interface RecordedCall {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly authorization: string | undefined;
}

type Answer = { readonly status: number; readonly body: unknown };

/** A stable numeric id per name, as GitHub's ids are stable per object. */
function idOf(name: string): number {
  let hash = 7;
  for (const c of name) hash = (hash * 31 + c.charCodeAt(0)) % 9_000_000;
  return 1_000_000 + hash;
}

const notFound: Answer = { status: 404, body: { message: "Not Found", documentation_url: "https://docs.github.com/rest" } };

export class GitHubApiStandIn {
  readonly calls: RecordedCall[] = [];
  private server: Server | undefined;

  constructor(private readonly fixture: GitHubFixture) {}

  /** What GITHUB_BASE_URL must be for the provider to reach this server. */
  get baseUrl(): string {
    return `http://127.0.0.1:${String((this.server?.address() as AddressInfo).port)}/`;
  }

  /** Requests answered 501: what the provider asked that this stand-in does not model. */
  get unexpected(): RecordedCall[] {
    return this.calls.filter((c) => c.status === 501);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      if (this.server === undefined) resolve();
      else this.server.close(() => { resolve(); });
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = req.method ?? "GET";
    const answer = method === "GET" ? this.read(url.pathname) : undefined;
    const { status, body } = answer ?? { status: 501, body: { message: `stand-in does not model ${method} ${url.pathname}` } };
    this.calls.push({ method, path: url.pathname, status, authorization: req.headers.authorization });
    // Drain the body (none for reads) before answering, as a server must.
    req.resume();
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", "x-github-media-type": "github.v3; format=json" });
    res.end(JSON.stringify(body));
  }

  private read(path: string): Answer | undefined {
    const api = "/api/v3";
    if (!path.startsWith(`${api}/`)) return undefined;
    const parts = path.slice(api.length + 1).split("/").map(decodeURIComponent);
    const { owner, repository } = this.fixture;
    const [head, a, b, c, d, ...rest] = parts;

    if (head === "orgs" && a !== undefined && b === undefined) return a === owner ? { status: 200, body: this.organization() } : notFound;
    if (head === "orgs" && a === owner && b === "teams" && c !== undefined && d === undefined) {
      return this.fixture.teams.includes(c) ? { status: 200, body: this.team(c) } : notFound;
    }
    if (head === "users" && a !== undefined) {
      if (!this.fixture.users.includes(a)) return notFound;
      if (b === undefined) return { status: 200, body: this.user(a) };
      if ((b === "gpg_keys" || b === "keys") && c === undefined) return { status: 200, body: [] };
      return undefined;
    }
    if (head === "repos" && a === owner && b === repository) {
      const repoPath = [c, d, ...rest];
      // GET /repos/{o}/{r}/git/ref/{ref}: the ref is the rest of the path (heads/main, tags/v1.2.3).
      if (repoPath[0] === "git" && repoPath[1] === "ref" && repoPath.length >= 4) return this.ref(repoPath.slice(2).join("/"));
      if (repoPath[0] === "releases" && repoPath[1] === "latest" && repoPath.length === 2) return this.latestRelease();
      return undefined;
    }
    if (head === "repos") return notFound;
    return undefined;
  }

  private organization(): unknown {
    const login = this.fixture.owner;
    return { login, id: idOf(login), node_id: `O_${login}`, url: `${this.baseUrl}api/v3/orgs/${login}`, description: null, type: "Organization", plan: { name: "enterprise", space: 0, private_repos: 999999 } };
  }

  private team(slug: string): unknown {
    return { id: idOf(`team:${slug}`), node_id: `T_${slug}`, name: slug, slug, description: "", privacy: "closed", notification_setting: "notifications_enabled", permission: "pull", parent: null };
  }

  private user(login: string): unknown {
    return { login, id: idOf(`user:${login}`), node_id: `U_${login}`, avatar_url: "", gravatar_id: "", type: "User", site_admin: false, name: login, created_at: "2011-01-25T18:44:36Z", updated_at: "2024-01-01T00:00:00Z" };
  }

  private ref(ref: string): Answer {
    const [kind, ...nameParts] = ref.split("/");
    const name = nameParts.join("/");
    const sha = kind === "heads" ? this.fixture.branches[name] : kind === "tags" ? this.fixture.releases.find((r) => r.tag === name)?.sha : undefined;
    if (sha === undefined) return notFound;
    return { status: 200, body: { ref: `refs/${ref}`, node_id: `REF_${ref}`, url: `${this.baseUrl}api/v3/repos/${this.fixture.owner}/${this.fixture.repository}/git/refs/${ref}`, object: { sha, type: "commit", url: "" } } };
  }

  private latestRelease(): Answer {
    // GitHub's "latest" is the newest release that is neither a draft nor a pre-release.
    const release = this.fixture.releases.find((r) => r.prerelease !== true);
    if (release === undefined) return notFound;
    const id = idOf(`release:${release.tag}`);
    return {
      status: 200,
      body: {
        id,
        node_id: `RE_${release.tag}`,
        tag_name: release.tag,
        target_commitish: release.sha,
        name: release.tag,
        body: "",
        draft: false,
        prerelease: false,
        created_at: "2026-11-01T10:00:00Z",
        published_at: "2026-11-01T10:05:00Z",
        url: "",
        html_url: "",
        assets_url: "",
        upload_url: "",
        tarball_url: "",
        zipball_url: "",
        assets: [],
      },
    };
  }
}
