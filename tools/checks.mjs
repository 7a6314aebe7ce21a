// The static checks of `npm test`, at once: the type check, the linter and the formatter's check each
// take a core for a few seconds, so run side by side they cost the time of the slowest. Each runs the
// command its npm script names (package.json is read, not copied), the way npm runs it: in a shell,
// from the project's folder, with node_modules/.bin on PATH. Their output is printed whole, one check
// after another, and the run fails if any check did.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const projectDir = dirname(dirname(fileURLToPath(import.meta.url)));
const { scripts } = JSON.parse(readFileSync(join(projectDir, "package.json"), "utf8"));
const checks = process.argv.slice(2);
if (checks.length === 0) {
  process.stderr.write("usage: node tools/checks.mjs <npm script>...\n");
  process.exit(2);
}

/** @param {string} name an npm script of package.json */
function run(name) {
  const command = scripts[name];
  if (command === undefined) return Promise.resolve({ name, status: 2, output: `no npm script named ${name}\n`, seconds: 0 });
  const started = performance.now();
  return new Promise((done) => {
    const child = spawn(command, {
      cwd: projectDir,
      shell: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, PATH: `${join(projectDir, "node_modules", ".bin")}${delimiter}${process.env.PATH ?? ""}` },
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("close", (status, signal) =>
      done({ name, status: status ?? 1, signal, output, seconds: (performance.now() - started) / 1000 }),
    );
  });
}

const results = await Promise.all(checks.map(run));
for (const { name, status, signal, output, seconds } of results) {
  const verdict = status === 0 ? "passed" : `failed (${signal ?? `exit ${String(status)}`})`;
  process.stdout.write(
    `\n> npm run ${name}: ${scripts[name] ?? ""}\n${output.trimEnd()}\n${name}: ${verdict} in ${seconds.toFixed(1)} s\n`,
  );
}
process.exitCode = results.every((r) => r.status === 0) ? 0 : 1;
