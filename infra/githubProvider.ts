import * as github from "@pulumi/github";
import type * as pulumi from "@pulumi/pulumi";

/**
 * The one GitHub provider: explicit, so nothing depends on ambient `github:*`
 * config. GitHub rejects concurrent writes to a repository (409s on contents,
 * secondary rate limits): one request at a time, with a pause between writes.
 */
export function githubProvider(name: string, owner: string, token: pulumi.Output<string> | undefined): github.Provider {
  return new github.Provider(name, {
    owner,
    // Without a token the provider reads GITHUB_TOKEN, which the deploy workflows set to the App's token.
    ...(token === undefined ? {} : { token }),
    parallelRequests: false,
    writeDelayMs: 1000,
    maxRetries: 3,
    retryableErrors: [500, 502, 503, 504],
  });
}
