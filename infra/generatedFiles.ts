import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { generatedFileCommitMessage } from "../src/pipeline";
import type { GeneratedFile } from "../src/workflows/files";
import { resourceSuffix } from "./resourceNames";

export interface GeneratedFilesArgs {
  readonly repository: string;
  readonly branch: string;
  readonly files: readonly GeneratedFile[];
  /**
   * What must exist before the first commit (the environment, the rulesets).
   * A component's `dependsOn` does not reach its children, so the first file carries it.
   */
  readonly after: readonly pulumi.Resource[];
}

/**
 * Commits the generated files to the app repository, one write at a time:
 * GitHub's contents API rejects parallel writes to one branch with 409.
 */
export class GeneratedFiles extends pulumi.ComponentResource {
  public readonly commitShas: pulumi.Output<string>[];

  constructor(name: string, args: GeneratedFilesArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("delivery:github:GeneratedFiles", name, {}, opts);
    let previous: github.RepositoryFile | undefined;
    this.commitShas = [];
    for (const file of args.files) {
      const committed: github.RepositoryFile = new github.RepositoryFile(
        `${name}-${resourceSuffix(file.path.replace(/^\.github\//, ""))}`,
        {
          repository: args.repository,
          branch: args.branch,
          file: file.path,
          content: file.content,
          // "[skip ci]": committing a workflow must not itself start workflow runs; the message
          // also marks the commit as the pipeline's own, which a branch-head revision skips.
          commitMessage: generatedFileCommitMessage(file.path),
          overwriteOnCreate: true,
        },
        { parent: this, dependsOn: previous === undefined ? [...args.after] : [previous] },
      );
      this.commitShas.push(committed.commitSha);
      previous = committed;
    }
    this.registerOutputs({});
  }
}
