/**
 * The app's repository for a suite that builds images: the FastAPI fixture (test/fixtures/app) as a real
 * git history, served bare (`<root>/<repo>.git`) by the GitHub stand-in's git endpoint, so the program's
 * BuildKit git context fetches the exact commit it ships. Its Dockerfile starts from the kit's Python
 * base image (Docker Hub is out of reach); a commit may change a file, or make the app's health fail.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const fixtureApp = join(__dirname, "..", "fixtures", "app");

export class AppRepository {
  /** The folder holding the bare repository, as the stand-in's `git.root`. */
  readonly root: string;
  private readonly work: string;
  private readonly bare: string;

  private constructor(
    dir: string,
    readonly name: string,
  ) {
    this.root = join(dir, "git");
    this.work = join(dir, "work");
    this.bare = join(this.root, `${name}.git`);
  }

  private git(args: readonly string[], cwd = this.work): string {
    return execFileSync("git", ["-c", "user.name=Developer", "-c", "user.email=developer@example.com", ...args], {
      cwd,
      encoding: "utf8",
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" },
    }).trim();
  }

  /** The fixture app, its Dockerfile starting from `baseImage` (by digest), as the first commit of `main`. */
  static create(dir: string, name: string, baseImage: string): AppRepository {
    const repo = new AppRepository(dir, name);
    mkdirSync(repo.root, { recursive: true });
    cpSync(fixtureApp, repo.work, { recursive: true });
    const dockerfile = join(repo.work, "Dockerfile");
    // The program passes no build arguments: the base image is the argument's default, as a real app pins it.
    writeFileSync(dockerfile, readFileSync(dockerfile, "utf8").replace(/^ARG BASE_IMAGE$/m, `ARG BASE_IMAGE=${baseImage}`));
    repo.git(["init", "--quiet", "--initial-branch=main"]);
    repo.git(["add", "--all"]);
    repo.git(["commit", "--quiet", "--message", "The voice agent app"]);
    repo.git(["init", "--quiet", "--bare", repo.bare], dir);
    repo.git(["remote", "add", "origin", repo.bare]);
    repo.push();
    return repo;
  }

  private push(): void {
    this.git(["push", "--quiet", "--force", "origin", "main"]);
  }

  get head(): string {
    return this.git(["rev-parse", "HEAD"]);
  }

  /** Commits `files` (path to content) on main and publishes it; returns the new commit. */
  commit(message: string, files: Readonly<Record<string, string>>): string {
    for (const [path, content] of Object.entries(files)) writeFileSync(join(this.work, path), content);
    this.git(["add", "--all"]);
    this.git(["commit", "--quiet", "--message", message]);
    this.push();
    return this.head;
  }
}
