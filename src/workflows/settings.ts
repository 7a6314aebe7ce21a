/**
 * What the app repository's workflows are generated from: one stack's
 * settings (built by `workflowSettings` in files.ts), where each generated
 * file lives, and the runner and grant every job starts from.
 */
import type { StateBackendKind } from "../config/backend";

export interface ProgramSource {
  /** The program's own repository (`owner/name`), checked out at `ref`; `undefined`: it lives in the app repository under `path`. */
  readonly repository: string | undefined;
  readonly ref: string;
  readonly path: string;
}

/** The image as the pull request's build check sees it (it never pushes and never writes the cache). */
export interface ImageBuildSettings {
  readonly dockerfile: string;
  /** Image platforms; QEMU emulates those the runner (amd64) is not. */
  readonly platforms: readonly string[];
  /** Each platform's registry cache the stacks' builds write; the check only reads them. */
  readonly cacheRefs: readonly string[];
}

export interface AppWorkflowSettings {
  /** The app repository as `owner/name`: every App token is minted for it by name, never from the event. */
  readonly repository: string;
  readonly defaultBranch: string;
  readonly developBranch: string;
  readonly pythonVersions: readonly string[];
  readonly coverageMinimum: number;
  /** The app's Python package: coverage, mypy, bandit and the docstring gate look at it, not at the tests. */
  readonly pythonPackage: string;
  readonly codecov: boolean;
  readonly slack: boolean;
  /** Which backend `pulumi` logs in to, and so which credentials its jobs get (a `file://` folder: none, and the jobs stop). */
  readonly stateBackend: StateBackendKind;
  readonly program: ProgramSource;
  readonly image: ImageBuildSettings;
  /**
   * Whether pull requests also get `pulumi preview` on the real engine, in the
   * stacks' `<stack>-preview` environments behind preview reviewers (a setting
   * both stacks share); otherwise the offline plan only.
   */
  readonly enginePreviews: boolean;
  /** Whether `pulumi preview` builds the image: only then do previews set up QEMU and Buildx. */
  readonly buildImageOnPreview: boolean;
  /** Whether the build needs a token to clone the app repository (it is not public). */
  readonly privateRepository: boolean;
  /** Whether this stack's `pulumi up` may build the image (staging; production only with buildUnverifiedRelease). */
  readonly deployBuilds: boolean;
  /** Production only: whether a pre-release may ship; otherwise only full releases trigger the deploy. */
  readonly allowPrerelease: boolean;
  /**
   * The deploy job's `timeout-minutes`: long enough for the longest deploy the stack's settings allow (the
   * Railway deploy, a rollback, the bake window), so GitHub never kills a deploy half-way through its bake.
   */
  readonly deployTimeoutMinutes: number;
}

/** Where each generated file is committed in the app repository. */
export const workflowPaths = {
  test: ".github/workflows/test.yml",
  lint: ".github/workflows/lint.yml",
  deployStaging: ".github/workflows/deploy-staging.yml",
  deployProduction: ".github/workflows/deploy-production.yml",
  dependabot: ".github/dependabot.yml",
  infraPreview: ".github/workflows/infra-preview.yml",
  drift: ".github/workflows/drift.yml",
} as const;

export const runner = "ubuntu-latest";
/** The grant of a job that only reads the checkout; workflows themselves grant nothing (`permissions: {}`). */
export const readContents = { contents: "read" } as const;
