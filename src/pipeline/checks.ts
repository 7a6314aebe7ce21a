/**
 * The names of the generated jobs that rulesets require. Workflows name their
 * jobs from here and rulesets list checks from here, so renaming a job cannot
 * silently break the branch rules.
 */

export const jobIds = {
  test: "pytest",
  lint: "lint",
} as const;

/** GitHub names a matrix job's check `<job name> (<matrix value>)`. */
export function testCheckName(pythonVersion: string): string {
  return `${jobIds.test} (${pythonVersion})`;
}

export function requiredCheckNames(pythonVersions: readonly string[]): string[] {
  return [...pythonVersions.map(testCheckName), jobIds.lint];
}
