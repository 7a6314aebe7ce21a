import * as pulumi from "@pulumi/pulumi";

/**
 * A mistake of the user's (bad config, a missing secret, a revision that may
 * not ship), reported by the CLI as its message alone. The SDK still formats
 * the stack of every uncaught error with util.inspect, which under ts-node's
 * source maps took 20-40 s here for a RunError whose stack is never shown; an
 * error without a stack is reported at once.
 */
export function userError(message: string, cause?: Error): pulumi.RunError {
  const error = new pulumi.RunError(message, cause === undefined ? undefined : { cause });
  delete error.stack;
  return error;
}
