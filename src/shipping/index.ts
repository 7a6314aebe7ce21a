// What ships and what must pass before it does: the revision and image rules, and the required
// checks' names. Below both the workflows and the spec, which read them.
export * from "./requiredChecks";
export * from "./ship";
export * from "./buildFailure";
