export * from "./keys";
export * from "./catalog";
export * from "./errors";
export * from "./validate";
export * from "./rawConfig";
export * from "./requiredSecrets";
export * from "./crossStack";
export * from "./backend";
