// `npm test`'s parts at once: the linter (with the type check) and the formatter's check take a core for
// a few seconds while vitest starts and loads, so side by side they cost little more than vitest alone.
// Each runs the command its npm script names (package.json is read, not copied), the way npm runs it: in
// a shell, from the project's folder, with node_modules/.bin on PATH. The script named after --live
// prints as it runs (the tests' progress); the others' output is printed whole when they end, each with
// its verdict, and the run fails if any part did.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const projectDir = dirname(dirname(fileURLToPath(import.meta.url)));
const { scripts } = JSON.parse(readFileSync(join(projectDir, "package.json"), "utf8"));
const usage = "usage: node tools/checks.mjs <npm script>... [--live <npm script>]\n";
/** @type {{ values: { live?: string | undefined }, positionals: string[] }} */
let parsed;
try {
  parsed = parseArgs({ options: { live: { type: "string" } }, allowPositionals: true });
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
  process.exit(2);
}
const buffered = parsed.positionals;
const live = parsed.values.live;
if (buffered.length === 0 && live === undefined) {
  process.stderr.write(usage);
  process.exit(2);
}

/**
 * @param {string} name an npm script of package.json
 * @param {boolean} streamed whether its output goes straight to this process's
 * @returns {Promise<{ name: string, status: number, signal?: string | null, output: string, seconds: number }>}
 */
function run(name, streamed) {
  const command = scripts[name];
  if (command === undefined) return Promise.resolve({ name, status: 2, output: `no npm script named ${name}\n`, seconds: 0 });
  const started = performance.now();
  return new Promise((done) => {
    const child = spawn(command, {
      cwd: projectDir,
      shell: true,
      stdio: ["ignore", streamed ? "inherit" : "pipe", streamed ? "inherit" : "pipe"],
      env: { ...process.env, PATH: `${join(projectDir, "node_modules", ".bin")}${delimiter}${process.env.PATH ?? ""}` },
    });
    let output = "";
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    child.on("close", (status, signal) =>
      done({ name, status: status ?? 1, signal, output, seconds: (performance.now() - started) / 1000 }),
    );
  });
}

const results = await Promise.all([...buffered.map((name) => run(name, false)), ...(live === undefined ? [] : [run(live, true)])]);
for (const { name, status, signal, output, seconds } of results) {
  const verdict = status === 0 ? "passed" : `failed (${signal ?? `exit ${String(status)}`})`;
  const shown = output.trimEnd();
  process.stdout.write(
    `\n> npm run ${name}: ${scripts[name] ?? ""}\n${shown === "" ? "" : `${shown}\n`}${name}: ${verdict} in ${seconds.toFixed(1)} s\n`,
  );
}
process.exitCode = results.every((r) => r.status === 0) ? 0 : 1;
