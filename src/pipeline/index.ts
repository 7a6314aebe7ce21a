export * from "./spec";
export * from "./notes";
export * from "../shipping";
export * from "./ownCommits";
