/**
 * `npm run plan-summary -- --plan <file> [--stack production] [--program-commit <sha>]`:
 * the reviewers' summary of a saved plan, in Markdown on standard output
 * (deploy-production.yml's plan job appends it to the job summary). Exit 0,
 * or 2 with the reason when the file is not a saved plan.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { reviewSummary } from "../../src/plans/reviewSummary";
import { parseSavedPlan } from "../../src/plans/savedPlan";

const usage = "usage: npm run plan-summary -- --plan <file> [--stack <name>] [--program-commit <sha>]";

function main(argv: readonly string[]): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { plan: { type: "string" }, stack: { type: "string" }, "program-commit": { type: "string" } },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${usage}\n`);
    return 2;
  }
  if (values.plan === undefined) {
    process.stderr.write(`--plan is required\n${usage}\n`);
    return 2;
  }
  let text: Buffer;
  try {
    text = readFileSync(values.plan);
  } catch (error) {
    process.stderr.write(`cannot read the plan ${values.plan}: ${(error as Error).message}\n`);
    return 2;
  }
  try {
    const plan = parseSavedPlan(text.toString("utf8"));
    const sha256 = createHash("sha256").update(text).digest("hex");
    process.stdout.write(reviewSummary(values.stack ?? "production", plan, { sha256, programCommit: values["program-commit"] }));
    return 0;
  } catch (error) {
    process.stderr.write(`${values.plan}: ${(error as Error).message}\n`);
    return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
