/** Factories for the steps more than one workflow uses. */
import type { ActionStep, Env, RunStep } from "./model";

/** Checks out without leaving the token in .git/config: no generated job pushes. */
export function checkout(extra: Readonly<Record<string, string | number | boolean>> = {}): ActionStep {
  return { name: "Check out", action: "actions/checkout", with: { "persist-credentials": false, ...extra } };
}

export function setupPython(version: string): ActionStep {
  return { name: `Set up Python ${version}`, action: "actions/setup-python", with: { "python-version": version, cache: "pip" } };
}

/** The app's requirements and dev requirements, each when the file exists, then the tools of the job. */
export function pipInstall(packages: string): RunStep {
  return {
    name: "Install dependencies",
    run: [
      "python -m pip install --upgrade pip",
      "if [ -f requirements.txt ]; then pip install -r requirements.txt; fi",
      "if [ -f requirements-dev.txt ]; then pip install -r requirements-dev.txt; fi",
      `pip install ${packages}`,
    ].join("\n"),
  };
}

export function run(name: string, command: string, env?: Env): RunStep {
  return env === undefined ? { name, run: command } : { name, run: command, env };
}
