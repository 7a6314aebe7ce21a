/**
 * The GitHub Apps the generated jobs act as, and the short-lived tokens they
 * mint: each for one repository named from config, with exactly the
 * permissions the identity needs.
 */
import type { ActionStep } from "./model";
import type { AppWorkflowSettings } from "./settings";

/**
 * Which GitHub App a job authenticates as, by the names of the variable and
 * secret that hold its id and private key (both in the secrets catalog).
 *
 * - `delivery`: the App that runs `pulumi up` and bypasses the rulesets. Its key
 *   lives only in the deploy environments, which admit the default branch
 *   (staging) or release tags (production).
 * - `preview`: a second App, installed with read-only permissions, for pull
 *   request previews and drift checks. Its key is in the `<stack>-preview`
 *   environments, which any branch may use: whatever a branch does with it,
 *   it cannot write.
 */
export const appIdentities = {
  delivery: { idVariable: "DELIVERY_APP_ID", keySecret: "DELIVERY_APP_PRIVATE_KEY" },
  preview: { idVariable: "PREVIEW_APP_ID", keySecret: "PREVIEW_APP_PRIVATE_KEY" },
} as const;
export type AppIdentity = keyof typeof appIdentities;

/** A token's installation permissions, as create-github-app-token's `permission-*` inputs. */
export type TokenPermissions = Readonly<Record<string, "read" | "write">>;

/**
 * The one installation permission create-github-app-token v3.1.1 cannot be
 * asked for by a declared input: its `permission-*` inputs are generated from
 * GitHub's OpenAPI `app-permissions` schema, which lacks the Variables
 * permission (github/rest-api-description#5437, actions/create-github-app-token#231).
 * The action still requests it: it turns every `INPUT_PERMISSION-*`
 * environment variable into a permission, hyphens to underscores
 * (lib/get-permissions-from-inputs.js), and the runner passes an undeclared
 * input as `INPUT_<NAME>` with only an "Unexpected input" warning
 * (actions/runner ActionRunner.cs). GitHub names the permission
 * `actions_variables` (the REST reference of the variables endpoints).
 */
export const variablesPermissionInput = "permission-actions-variables";

/**
 * The installation permissions each identity's token is cut down to. Every
 * token names them, so a job never inherits the whole installation.
 *
 * `pulumi up`: environments, their branch policies, rulesets and Actions
 * permissions (administration), workflow files and the commits that carry
 * them (contents, workflows), environment secrets and variables
 * (environments), repository secrets and variables (secrets, actions
 * variables), team reviewers by slug (members), and the refresh of Actions
 * settings (actions). A preview or drift check reads the same, and writes
 * nothing; `workflows` has no read level and is left out.
 */
export const appTokenPermissions: Readonly<Record<AppIdentity, TokenPermissions>> = {
  delivery: {
    "permission-administration": "write",
    "permission-contents": "write",
    "permission-workflows": "write",
    "permission-environments": "write",
    "permission-secrets": "write",
    [variablesPermissionInput]: "write",
    "permission-members": "read",
    "permission-actions": "read",
  },
  preview: {
    "permission-administration": "read",
    "permission-contents": "read",
    "permission-environments": "read",
    "permission-secrets": "read",
    [variablesPermissionInput]: "read",
    "permission-members": "read",
    "permission-actions": "read",
  },
};

function splitRepository(fullName: string): { owner: string; name: string } {
  const [owner = "", name = ""] = fullName.split("/");
  return { owner, name };
}

/** A step minting a short-lived token of `identity`, for one repository, with exactly `permissions`. */
export function mintToken(
  identity: AppIdentity,
  id: string,
  repository: string,
  permissions: TokenPermissions,
  purpose: string,
): ActionStep {
  const { owner, name } = splitRepository(repository);
  const app = appIdentities[identity];
  return {
    name: `Mint a short-lived ${identity === "delivery" ? "delivery" : "read-only preview"} App token (${purpose})`,
    id,
    action: "actions/create-github-app-token",
    with: {
      "app-id": `\${{ vars.${app.idVariable} }}`,
      "private-key": `\${{ secrets.${app.keySecret} }}`,
      // Named from config, never from the event: `github.event.repository` is empty on scheduled runs,
      // and this repository's own CI previews the app repository, not itself.
      owner,
      repositories: name,
      ...permissions,
    },
  };
}

/** The token `pulumi` runs with (step id `app-token`): for the app repository, with the identity's permissions. */
export function appToken(s: AppWorkflowSettings, identity: AppIdentity): ActionStep {
  return mintToken(identity, "app-token", s.repository, appTokenPermissions[identity], `${s.repository}, for pulumi`);
}
