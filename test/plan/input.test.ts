// What the plan reads before it runs the program: the stack file, its sibling, validation.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readPlanInput } from "../../tools/plan/input";
import { fixtureStacksDir, projectDir } from "../helpers/stacks";

describe("readPlanInput", () => {
  it("validates the stack file and lists the command for each secret still to set", () => {
    const input = readPlanInput(projectDir, "production", fixtureStacksDir);
    if (input.kind !== "valid") throw new Error(input.message);
    expect(input.config.stack).toBe("production");
    expect(input.missingSecretCommands).toContain("pulumi config set --secret railwayToken --stack production");
    expect(input.settings.config["delivery-pipeline:repository"]).toBe("acme/learning-voice-agent");
  });

  it("refuses a stack without a file, naming where it looked", () => {
    const input = readPlanInput(projectDir, "qa", fixtureStacksDir);
    expect(input).toMatchObject({ kind: "refused", message: expect.stringContaining('No stack file for stack "qa"') as unknown });
  });

  it("refuses config that fails validation, or that the sibling stack contradicts, with the validation's message", () => {
    const dir = mkdtempSync(join(tmpdir(), "plan-input-"));
    for (const stack of ["staging", "production"])
      copyFileSync(join(fixtureStacksDir, `Pulumi.${stack}.yaml`), join(dir, `Pulumi.${stack}.yaml`));
    const production = join(dir, "Pulumi.production.yaml");
    // Both stacks governing the repository: only the sibling's file shows it.
    writeFileSync(production, readFileSync(production, "utf8").replace(/governsRepository: "false"/, 'governsRepository: "true"'));
    const input = readPlanInput(projectDir, "production", dir);
    expect(input.kind).toBe("refused");
    if (input.kind === "refused") expect(input.message).toContain("governsRepository");
  });
});
