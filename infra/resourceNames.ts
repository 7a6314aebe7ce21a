/** `RAILWAY_TOKEN` -> `railway-token`: resource names stay readable and stable. */
export function resourceSuffix(githubName: string): string {
  return githubName.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}
