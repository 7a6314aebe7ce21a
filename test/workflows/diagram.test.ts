import { describe, expect, it } from "vitest";
import { validateStackConfig } from "../../src/config";
import { buildPipelineSpec } from "../../src/pipeline";
import { nodeId, pipelineDiagram } from "../../src/workflows/diagram";
import { stackDiagram } from "../../tools/plan/output";
import { rawConfig, stackWithSecrets } from "../helpers/stacks";

/** The diagram the offline plan draws for a committed stack file. */
function diagramOf(stack: string): string {
  const config = validateStackConfig(rawConfig(stackWithSecrets(stack), stack)).config;
  return stackDiagram(config, buildPipelineSpec(config));
}

describe("pipeline diagram", () => {
  const staging = diagramOf("staging");
  const production = diagramOf("production");

  it("is a Mermaid flowchart with one subgraph per workflow the stack owns", () => {
    expect(staging.startsWith("flowchart LR\n")).toBe(true);
    for (const file of ["test.yml", "lint.yml", "infra-preview.yml", "drift.yml", "deploy-staging.yml"])
      expect(staging).toContain(`["${file}"]`);
    expect(production.match(/subgraph /g)).toHaveLength(1);
    expect(staging.match(/subgraph /g)?.length).toBe(staging.match(/\n {2}end\n/g)?.length);
  });

  it("shows triggers, the needs graph and reusable-workflow calls", () => {
    expect(staging).toContain('deploy_staging_on(["push: main<br/>manual dispatch"])');
    expect(staging).toContain("deploy_staging_test --> deploy_staging_deploy");
    expect(staging).toContain("deploy_staging_test -. calls .-> wf_test");
    expect(production).toContain("deploy_production_audit --> deploy_production_deploy");
  });

  it("shows each environment's gate and the deploy target", () => {
    expect(production).toContain(
      'env_production{{"environment production<br/>tags v*<br/>approval: octocat, team release-managers<br/>wait 5 min"}}',
    );
    expect(production).toContain("deploy_production_deploy --> env_production\n  env_production --> target");
    expect(production).toContain('target[("Railway: learning-voice-agent.up.railway.app")]');
    // Drift checks run in the drift environments, pull requests' engine previews in the gated preview ones.
    expect(staging).toContain("drift_drift --> env_staging_drift");
    expect(staging).toContain("drift_drift --> env_production_drift");
    expect(staging).toContain("infra_preview_preview --> env_staging_preview");
    expect(staging).toContain("infra_preview_preview --> env_production_preview");
    expect(staging).toContain('env_staging_preview{{"environment staging-preview<br/>any branch<br/>approval: team release-managers"}}');
    expect(staging).toContain('env_staging_drift{{"environment staging-drift<br/>branch main"}}');
    // The offline plan needs no environment: it comes first, and the engine preview after it.
    expect(staging).toContain("infra_preview_plan --> infra_preview_preview");
    expect(staging).not.toMatch(/infra_preview_plan --> env_/);
  });

  it("keeps ids to safe characters and escapes quotes in labels", () => {
    expect(nodeId("deploy-staging", "a.b")).toBe("deploy_staging_a_b");
    const text = pipelineDiagram({
      workflows: [
        {
          path: ".github/workflows/x.yml",
          name: "x",
          on: { workflowDispatch: {} },
          permissions: {},
          jobs: { j: { name: 'say "hi"', uses: "./.github/workflows/none.yml", permissions: {} } },
        },
      ],
      environments: [],
      deployTarget: "nowhere",
    });
    expect(text).toContain('x_j["say #quot;hi#quot;"]');
    expect(text).not.toContain("nowhere");
  });
});
