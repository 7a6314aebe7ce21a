// A stack with a project token and a private image: the deploy command gets the token under RAILWAY_TOKEN and
// Railway gets the read-only pull token, never the push token. Proves the declared inputs; test/railway/ proves the deploy.
import { beforeAll, describe, expect, it } from "vitest";
import type { ProgramRun } from "../../tools/plan/harness";
import { planResourceMock } from "../../tools/plan/invokes";
import { branchHistoryInvoke, evaluate, named } from "../helpers/program";
import { sentinel, stackWithSecrets } from "../helpers/stacks";

const digest = `sha256:${"c".repeat(64)}`;
let run: ProgramRun;
beforeAll(async () => {
  run = await evaluate(
    "staging",
    stackWithSecrets("staging", undefined, { privateImageRepository: "true", railwayTokenKind: "project" }),
    false,
    {
      invoke: branchHistoryInvoke([{ sha: "0123456789abcdef0123456789abcdef01234567", message: "Add lessons", parents: [] }]),
      resource: (type, name, inputs) =>
        type === "docker-build:index:Image"
          ? { ...inputs, digest, ref: `${String((inputs["tags"] as string[])[0])}@${digest}` }
          : type === "docker-build:index:Index"
            ? { ...inputs, ref: `${String(inputs["tag"])}@${digest}` }
            : // The deploy command's stdout is its JSON result, as src/railway/deployCli.ts prints it.
              type === "command:local:Command" && name === "delivery-railway-deploy"
              ? { ...inputs, stdout: JSON.stringify({ deploymentId: "deployment-42", url: "https://tutor.up.railway.app" }) }
              : planResourceMock(type, name, inputs),
    },
  );
});

describe("Railway deploy of a private image with a project token", () => {
  it("passes the project token as RAILWAY_TOKEN, as Railway's CLI reads it", () => {
    const deploy = named(run, "delivery-railway-deploy");
    const environment = deploy.plainInputs["environment"] as Record<string, unknown>;
    expect(environment["RAILWAY_TOKEN"]).toBe(sentinel("railwayToken"));
    expect(environment).not.toHaveProperty("RAILWAY_API_TOKEN");
  });

  it("gives Railway the read-only pull token, never the push token, and only as a secret", () => {
    const deploy = named(run, "delivery-railway-deploy");
    const environment = deploy.plainInputs["environment"] as Record<string, unknown>;
    expect(environment["REGISTRY_USERNAME"]).toBe("acmebot");
    expect(environment["REGISTRY_PASSWORD"]).toBe(sentinel("dockerhubPullToken"));
    expect(JSON.stringify(environment)).not.toContain(sentinel("dockerhubToken"));
    expect([...deploy.secretPaths].sort()).toEqual([
      "environment.RAILWAY_TOKEN",
      "environment.REGISTRY_PASSWORD",
      "environment.SERVICE_VARIABLES",
      "triggers[1]",
    ]);
  });

  it("exports the deployment and the URL the deploy command reported", () => {
    expect(run.outputs).toMatchObject({ railwayDeploymentId: "deployment-42", railwayUrl: "https://tutor.up.railway.app" });
  });
});
