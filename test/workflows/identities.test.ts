import { describe, expect, it } from "vitest";
import { appIdentities, appToken, appTokenPermissions, mintToken, variablesPermissionInput } from "../../src/workflows/identities";
import { pins } from "../../src/workflows/pins";
import { checkActionInputs } from "../../src/workflows/render";
import { appSettings } from "./appSettings";

describe("appTokenPermissions", () => {
  it("lets the delivery App write what pulumi up changes, and read team members and Actions settings", () => {
    const delivery = appTokenPermissions.delivery;
    const writes = Object.keys(delivery).filter((k) => delivery[k] === "write");
    expect(writes.sort()).toEqual(
      [
        "permission-administration",
        "permission-contents",
        "permission-environments",
        "permission-secrets",
        "permission-workflows",
        variablesPermissionInput,
      ].sort(),
    );
    expect(delivery["permission-members"]).toBe("read");
    expect(delivery["permission-actions"]).toBe("read");
  });

  it("gives the preview App the delivery App's scopes read-only, leaving out workflows, which has no read level", () => {
    const preview = appTokenPermissions.preview;
    expect(Object.values(preview).every((level) => level === "read")).toBe(true);
    expect(Object.keys(preview).sort()).toEqual(
      Object.keys(appTokenPermissions.delivery)
        .filter((k) => k !== "permission-workflows")
        .sort(),
    );
  });

  it("asks only for inputs create-github-app-token declares, and the Variables permission it reads anyway", () => {
    const declared = Object.keys(pins["actions/create-github-app-token"]?.inputs ?? {});
    expect(declared).not.toContain(variablesPermissionInput);
    for (const permissions of Object.values(appTokenPermissions))
      for (const input of Object.keys(permissions)) expect([...declared, variablesPermissionInput]).toContain(input);
  });
});

describe("mintToken", () => {
  it("mints for the one named repository with the identity's own id and key, and exactly the permissions given", () => {
    const step = mintToken("preview", "program-token", "acme/delivery", { "permission-contents": "read" }, "to check out");
    expect(step).toEqual({
      name: "Mint a short-lived read-only preview App token (to check out)",
      id: "program-token",
      action: "actions/create-github-app-token",
      with: {
        "app-id": "${{ vars.PREVIEW_APP_ID }}",
        "private-key": "${{ secrets.PREVIEW_APP_PRIVATE_KEY }}",
        owner: "acme",
        repositories: "delivery",
        "permission-contents": "read",
      },
    });
    expect(() => {
      checkActionInputs(step, "test");
    }).not.toThrow();
  });

  it("names the delivery App as such, with its own variable and secret", () => {
    const step = mintToken("delivery", "t", "o/r", {}, "why");
    expect(step.name).toBe("Mint a short-lived delivery App token (why)");
    expect(step.with?.["app-id"]).toBe(`\${{ vars.${appIdentities.delivery.idVariable} }}`);
    expect(step.with?.["private-key"]).toBe(`\${{ secrets.${appIdentities.delivery.keySecret} }}`);
  });
});

describe("appToken", () => {
  it.each(["delivery", "preview"] as const)("is the %s App's token for the app repository, under the id pulumi's env reads", (identity) => {
    const step = appToken(appSettings({ repository: "someone/else" }), identity);
    expect(step.id).toBe("app-token");
    expect(step.with).toMatchObject({ owner: "someone", repositories: "else", ...appTokenPermissions[identity] });
    expect(step.name).toContain("someone/else, for pulumi");
  });
});
