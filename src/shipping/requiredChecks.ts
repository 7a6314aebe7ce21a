/**
 * The names of the generated jobs that rulesets require. Workflows name their
 * jobs from here and rulesets list checks from here, so renaming a job cannot
 * silently break the branch rules.
 */

export const jobIds = {
  test: "pytest",
  lint: "lint",
  image: "image",
} as const;

/**
 * The pull request's image build (no push): its job's `name`, which is the
 * check GitHub reports. Fixed, not derived from the platforms, so changing the
 * platforms setting does not rename a required check that open pull requests
 * would then wait for forever.
 */
export const imageCheckName = "docker build (no push)";

/** GitHub names a matrix job's check `<job name> (<matrix value>)`. */
export function testCheckName(pythonVersion: string): string {
  return `${jobIds.test} (${pythonVersion})`;
}

export function requiredCheckNames(pythonVersions: readonly string[]): string[] {
  return [...pythonVersions.map(testCheckName), jobIds.lint, imageCheckName];
}
