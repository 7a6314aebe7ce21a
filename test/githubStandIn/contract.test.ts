// GitHub's OpenAPI description as the stand-in's contract checker: it finds
// the documented operation for a request, refuses what GitHub documents as
// malformed, and checks answers against the documented response.
import { describe, expect, it } from "vitest";
import { descriptionGaps, GitHubContract } from "../engine/githubContract";

const contract = GitHubContract.load("ghes-3.19");
const none = new URLSearchParams();
const env = "/repos/acme/app/environments/production";

describe("matching a request to GitHub's documented operation", () => {
  it.each([
    ["GET", "/repos/acme/app/actions/secrets/public-key", "GET /repos/{owner}/{repo}/actions/secrets/public-key"],
    ["PUT", "/repos/acme/app/actions/secrets/CODECOV_TOKEN", "PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}"],
    ["GET", "/repos/acme/app/rulesets/rule-suites", "GET /repos/{owner}/{repo}/rulesets/rule-suites"],
    ["GET", "/repos/acme/app/rulesets/12", "GET /repos/{owner}/{repo}/rulesets/{ruleset_id}"],
    ["GET", "/repos/acme/app/git/ref/heads/feature/login", "GET /repos/{owner}/{repo}/git/ref/{ref}"],
    ["PUT", "/repos/acme/app/contents/.github/workflows/test.yml", "PUT /repos/{owner}/{repo}/contents/{path}"],
    ["GET", "/repos/acme/app/branches/release/1.x", "GET /repos/{owner}/{repo}/branches/{branch}"],
  ])("%s %s is %s", (method, path, id) => {
    expect(contract.match(method, path)?.id).toBe(id);
  });

  it("decodes path parameters and keeps multi-segment ones whole", () => {
    expect(contract.match("GET", "/repos/acme/app/contents/.github/workflows/a%20b.yml")?.params).toEqual({
      owner: "acme",
      repo: "app",
      path: ".github/workflows/a b.yml",
    });
    expect(contract.match("GET", "/repos/acme/app/environments/pre%20prod")?.params["environment_name"]).toBe("pre prod");
  });

  it("maps go-github's /repositories/{id} paths onto the documented /repos/{owner}/{repo} operation", () => {
    const match = contract.match("PUT", "/repositories/1234/environments/production/secrets/TOKEN");
    expect(match?.id).toBe("PUT /repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}");
    expect(match?.repositoryId).toBe("1234");
    expect(match?.params).toEqual({ environment_name: "production", secret_name: "TOKEN" });
  });

  it("finds nothing for what GitHub does not document", () => {
    expect(contract.match("POST", "/repos/acme/app/environments/production")).toBeUndefined();
    expect(contract.checkRequest("GET", "/repos/acme/app/nonsense", none, "").problems).toEqual([
      "no documented operation GET /repos/acme/app/nonsense",
    ]);
  });
});

describe("requests", () => {
  const goGitHubEnvironment = {
    wait_timer: 5,
    reviewers: [
      { type: "User", id: 1 },
      { type: "Team", id: 2 },
    ],
    can_admins_bypass: false,
    deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
    prevent_self_review: true,
  };

  it("accepts the environment body go-github sends, can_admins_bypass included (a documented gap)", () => {
    expect(contract.checkRequest("PUT", env, none, JSON.stringify(goGitHubEnvironment)).problems).toEqual([]);
    expect(descriptionGaps.map((g) => g.operation)).toContain("PUT /repos/{owner}/{repo}/environments/{environment_name}");
  });

  it("refuses a body GitHub documents as malformed", () => {
    const { problems } = contract.checkRequest(
      "PUT",
      env,
      none,
      JSON.stringify({ ...goGitHubEnvironment, wait_timer: "5", colour: "blue" }),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/colour/);
    expect(problems[0]).toMatch(/wait_timer must be integer/);
  });

  it("refuses a missing required body and a body that is not JSON", () => {
    expect(contract.checkRequest("PUT", "/repos/acme/app/actions/secrets/X", none, "").problems).toEqual(["the request body is required"]);
    expect(contract.checkRequest("POST", "/repos/acme/app/actions/variables", none, "{name:").problems).toEqual([
      "the request body is not JSON",
    ]);
  });

  it("refuses a secret whose encrypted value is not base64, or that lacks key_id", () => {
    expect(
      contract.checkRequest(
        "PUT",
        "/repos/acme/app/actions/secrets/X",
        none,
        JSON.stringify({ encrypted_value: "not base64!", key_id: "1" }),
      ).problems[0],
    ).toMatch(/encrypted_value must match pattern/);
    expect(
      contract.checkRequest("PUT", "/repos/acme/app/actions/secrets/X", none, JSON.stringify({ encrypted_value: "AAAA" })).problems[0],
    ).toMatch(/key_id/);
  });

  it("checks path and query parameters against their types", () => {
    expect(contract.checkRequest("GET", "/repos/acme/app/rulesets/12", new URLSearchParams("includes_parents=false"), "").problems).toEqual(
      [],
    );
    expect(
      contract.checkRequest("GET", "/repos/acme/app/rulesets/abc", new URLSearchParams("includes_parents=maybe"), "").problems,
    ).toEqual(['path parameter ruleset_id="abc" is not an integer', 'query parameter includes_parents="maybe" is not a boolean']);
  });
});

describe("responses", () => {
  const getEnvironment = contract.match("GET", env);
  const deleteEnvironment = contract.match("DELETE", env);
  if (getEnvironment === undefined || deleteEnvironment === undefined) throw new Error("environment operations not found");

  it("checks a documented status against its schema", () => {
    const valid = {
      id: 1,
      node_id: "EN_1",
      name: "production",
      url: "http://h/x",
      html_url: "http://h/y",
      created_at: "2026-01-01T00:00:00Z",
      updated_at: "2026-01-01T00:00:00Z",
      deployment_branch_policy: null,
    };
    expect(contract.checkResponse(getEnvironment, 200, JSON.stringify(valid))).toEqual([]);
    expect(contract.checkResponse(getEnvironment, 200, JSON.stringify({ id: 1 }))[0]).toMatch(/must have required property 'node_id'/);
  });

  it("takes an undocumented error status in GitHub's error shape, a 304 to a conditional read, and no undocumented success", () => {
    expect(
      contract.checkResponse(
        getEnvironment,
        404,
        JSON.stringify({ message: "Not Found", documentation_url: "https://docs.github.com/rest" }),
      ),
    ).toEqual([]);
    expect(contract.checkResponse(getEnvironment, 404, JSON.stringify({ message: 42 }))[0]).toMatch(/message must be string/);
    expect(contract.checkResponse(getEnvironment, 304, "")).toEqual([]);
    expect(contract.checkResponse(deleteEnvironment, 204, "")).toEqual([]);
    expect(contract.checkResponse(deleteEnvironment, 200, "{}")).toEqual([
      "status 200 is not documented for DELETE /repos/{owner}/{repo}/environments/{environment_name}",
    ]);
    expect(contract.checkResponse(deleteEnvironment, 204, "{}")[0]).toMatch(/has no body/);
  });
});
