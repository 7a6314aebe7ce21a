export * from "./checks";
export * from "./spec";
export * from "./notes";
export * from "./ship";
export * from "./ownCommits";
