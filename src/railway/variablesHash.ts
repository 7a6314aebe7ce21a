import { createHash } from "node:crypto";

/** sha256 of the service variables, order-independent: the deploy's trigger, so a rotated key redeploys. */
export function variablesHash(variables: Readonly<Record<string, string>>): string {
  const sorted = Object.fromEntries(Object.entries(variables).sort(([a], [b]) => a.localeCompare(b)));
  return createHash("sha256").update(JSON.stringify(sorted)).digest("hex");
}
