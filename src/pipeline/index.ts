export * from "./spec";
export * from "./environments";
export * from "./governance";
export * from "./publication";
export * from "./notes";
export * from "../shipping";
export * from "./ownCommits";
export * from "./tagCommit";
