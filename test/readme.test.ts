// The README is the front door and docs/ the rest of the house: short, every link leading somewhere, every command real.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { allGithubEntries, configKeyNames, secretKeys } from "../src/config";
import { projectDir } from "./helpers/stacks";

const read = (path: string): string => readFileSync(join(projectDir, path), "utf8");
const readme = read("README.md");
const docPaths = readdirSync(join(projectDir, "docs"))
  .filter((f) => f.endsWith(".md"))
  .map((f) => `docs/${f}`);
const pages = ["README.md", ...docPaths];
const scripts = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts;

/** The lines of a Markdown page outside fenced code blocks, where links and headings mean something. */
export function proseLines(markdown: string): string[] {
  let fenced = false;
  return markdown.split("\n").filter((line) => {
    if (line.trimStart().startsWith("```")) fenced = !fenced;
    return !fenced && !line.trimStart().startsWith("```");
  });
}

/** GitHub's anchor for a heading: lowercase, punctuation dropped, spaces as hyphens. */
export function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

export function anchorsOf(markdown: string): Set<string> {
  return new Set(
    proseLines(markdown)
      .flatMap((line) => /^#{1,6} (.*)$/.exec(line)?.slice(1, 2) ?? [])
      .map(anchorOf),
  );
}

/** Relative links (`[text](target)`) of a page; web links are not this test's to check. */
export function relativeLinks(markdown: string): string[] {
  const links = proseLines(markdown).flatMap((line) => [...line.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? ""));
  return links.filter((target) => !/^[a-z]+:/.test(target));
}

/** What is wrong with one link from `page`, or undefined when it leads to an existing file (and heading). */
export function brokenLink(page: string, target: string, readPage: (path: string) => string | undefined): string | undefined {
  const [file = "", anchor] = target.split("#");
  const path = file === "" ? page : relative(projectDir, join(projectDir, dirname(page), file));
  const text = readPage(path);
  if (text === undefined) return `${page}: ${target} names no file`;
  if (anchor !== undefined && path.endsWith(".md") && !anchorsOf(text).has(anchor)) return `${page}: ${target} names no heading of ${path}`;
  return undefined;
}

const readIfExists = (path: string): string | undefined => (existsSync(join(projectDir, path)) ? read(path) : undefined);

describe("README", () => {
  it("stays under 200 lines", () => {
    expect(readme.split("\n").length).toBeLessThan(200);
  });

  it("gives the Quickstart commands and the real-use commands", () => {
    expect(readme).toContain("npm ci\nnpm run plan -- --stack staging\nnpm test");
    for (const command of [
      "pulumi login",
      "pulumi stack init",
      "pulumi config set --secret",
      "pulumi up",
      "pulumi preview",
      "--policy-pack infra/policy",
    ])
      expect(readme, command).toContain(command);
  });

  it("links every page of docs/", () => {
    for (const path of docPaths) expect(readme, path).toContain(`](${path})`);
  });
});

describe("README and docs/", () => {
  it("name only npm scripts that exist", () => {
    for (const page of pages)
      for (const [, name] of read(page).matchAll(/npm run ([a-z][a-z:-]*[a-z])/g))
        expect(scripts, `${page}: npm run ${name}`).toHaveProperty([name ?? ""]);
  });

  it("link only to files and headings that exist", () => {
    const broken = pages.flatMap((page) => relativeLinks(read(page)).flatMap((target) => brokenLink(page, target, readIfExists) ?? []));
    expect(broken).toEqual([]);
  });

  it("document every setting, secret and GitHub entry in the generated reference", () => {
    const settings = read("docs/settings.md");
    const secrets = read("docs/secrets.md");
    for (const key of configKeyNames) expect(settings, key).toContain(`| \`${key}\` |`);
    for (const key of secretKeys) expect(secrets, key).toContain(`| \`${key}\` |`);
    for (const entry of allGithubEntries) expect(secrets, entry.name).toContain(`| \`${entry.name}\` |`);
  });
});

describe("the link checker", () => {
  const pagesByPath: Record<string, string> = { "docs/a.md": "# A page\n\n## Rolling back (by hand)\n", "README.md": "# Top\n" };
  const lookup = (path: string): string | undefined => pagesByPath[path];

  it("finds headings as GitHub anchors them, and ignores fenced code", () => {
    expect(anchorOf("Migrating from the seed's flat names")).toBe("migrating-from-the-seeds-flat-names");
    expect(anchorOf("`npm run docs`: the reference")).toBe("npm-run-docs-the-reference");
    expect([...anchorsOf("# Real\n```sh\n# not a heading\n```\n")]).toEqual(["real"]);
    expect(relativeLinks("[a](docs/a.md) [web](https://x.y) \n```\n[code](nowhere.md)\n```")).toEqual(["docs/a.md"]);
  });

  it("reports a missing file and a missing heading, and accepts good links", () => {
    expect(brokenLink("README.md", "docs/a.md#rolling-back-by-hand", lookup)).toBeUndefined();
    expect(brokenLink("docs/a.md", "../README.md#top", lookup)).toBeUndefined();
    expect(brokenLink("docs/a.md", "#a-page", lookup)).toBeUndefined();
    expect(brokenLink("README.md", "docs/b.md", lookup)).toBe("README.md: docs/b.md names no file");
    expect(brokenLink("README.md", "docs/a.md#rolling-forward", lookup)).toBe(
      "README.md: docs/a.md#rolling-forward names no heading of docs/a.md",
    );
  });
});
