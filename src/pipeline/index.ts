export * from "./checks";
export * from "./spec";
export * from "./notes";
