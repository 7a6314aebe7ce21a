/** Dependabot's config for the app repository: not a workflow, but rendered with the same header. */

/** Days a new release must age before Dependabot proposes it: a compromised release is usually yanked sooner. */
export const dependabotCooldownDays = 7;

/** Weekly updates of the app's pip, Docker and Actions dependencies, each release aged `dependabotCooldownDays`. */
export function dependabotConfig(): Record<string, unknown> {
  const weekly = { interval: "weekly" };
  const cooldown = { "default-days": dependabotCooldownDays };
  return {
    version: 2,
    updates: [
      { "package-ecosystem": "pip", directory: "/", schedule: weekly, cooldown, "open-pull-requests-limit": 5 },
      { "package-ecosystem": "docker", directory: "/", schedule: weekly, cooldown },
      // A bump here is a signal: generated workflows take their pins from the program's table, so copy it there.
      { "package-ecosystem": "github-actions", directory: "/", schedule: weekly, cooldown },
    ],
  };
}
