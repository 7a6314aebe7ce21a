export * from "./checks";
export * from "./spec";
