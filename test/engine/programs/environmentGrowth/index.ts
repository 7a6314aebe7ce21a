// Many deployment environments, declared exactly as the program declares each of its own.
import * as pulumi from "@pulumi/pulumi";
// Copied by the bench to the same path in the engine workspace, where ../../../../infra is the project's.
import { DeploymentEnvironment } from "../../../../infra/deploymentEnvironment";
import { githubProvider } from "../../../../infra/githubProvider";
import type { SecretRef, VariableSpec } from "../../../../src/pipeline";

const config = new pulumi.Config();
const provider = githubProvider("github", config.require("owner"), config.requireSecret("githubToken"));
const environments = config.requireNumber("environments");
const secretsPerEnvironment = config.requireNumber("secretsPerEnvironment");
const variablesPerEnvironment = config.requireNumber("variablesPerEnvironment");
// Every secret holds the same value under its own name: what is measured is the number of resources.
const value = config.requireSecret("secretValue");
const secrets: SecretRef[] = Array.from({ length: secretsPerEnvironment }, (_, i) => ({
  githubName: `SECRET_${String(i + 1)}`,
  configKey: "openaiApiKey",
}));
const variables: VariableSpec[] = Array.from({ length: variablesPerEnvironment }, (_, i) => ({
  githubName: `VARIABLE_${String(i + 1)}`,
  value: `value-${String(i + 1)}`,
}));
for (let e = 1; e <= environments; e++) {
  new DeploymentEnvironment(
    `env-${String(e)}`,
    {
      repository: config.require("repository"),
      environment: {
        name: `env-${String(e)}`,
        url: undefined,
        reviewerUsers: [],
        reviewerTeams: [],
        waitTimerMinutes: 0,
        preventSelfReview: false,
        canAdminsBypass: false,
        deploymentPolicy: {
          branchPolicy: { protectedBranches: false, customBranchPolicies: true },
          allowed: { kind: "branch", pattern: "main" },
        },
        secrets,
        variables,
      },
      secrets: { openaiApiKey: value },
    },
    { provider },
  );
}
