// Each stack commits `count` files to the default branch, one after another (as infra/generatedFiles.ts
// chains them), through the project's GitHub provider: its retry settings are what is under test.
import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
// Copied by the test to the same path in the engine workspace, where ../../../../infra is the project's.
import { githubProvider } from "../../../../infra/githubProvider";

const config = new pulumi.Config();
const stack = pulumi.getStack();
const provider = githubProvider("github", config.require("owner"), config.requireSecret("githubToken"));
const count = config.requireNumber("count");
let previous: github.RepositoryFile | undefined;
for (let i = 1; i <= count; i++) {
  previous = new github.RepositoryFile(
    `file-${String(i)}`,
    {
      repository: config.require("repository"),
      branch: config.require("branch"),
      file: `.github/delivery/${stack}-${String(i)}.txt`,
      content: `${stack} ${String(i)}\n`,
      commitMessage: `chore(delivery): update ${stack}-${String(i)} [skip ci]`,
      overwriteOnCreate: true,
    },
    { provider, ...(previous === undefined ? {} : { dependsOn: [previous] }) },
  );
}
