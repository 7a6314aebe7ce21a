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
    // 409 too: a contents write that overlaps another on the same branch (the other stack's up, a merge)
    // is refused "is at <new head> but expected <old head>"; the same request, sent again, GitHub applies
    // to the new head (the provider's transport resends it unchanged). Its other 409s fail again, as before.
    retryableErrors: [409, 500, 502, 503, 504],
  });
}
