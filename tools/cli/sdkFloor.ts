/**
 * The floor `npm run bench` measures the offline plan against: a process that
 * loads the provider SDKs the program loads, through the same loader (tsx),
 * and does nothing else. No plan can start faster than this.
 */
import "@pulumi/pulumi";
import "@pulumi/github";
import "@pulumi/command";
import "@pulumi/docker-build";
import "@pulumi/docker";
