/** `npm run render-ci`: writes this repository's own CI workflow from the model and the governing stack file. */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { projectName, toRawStackConfig, validateStackConfig } from "../../src/config";
import { readStackSettings } from "../../src/config/stackFiles";
import { programCiPath, renderProgramCi } from "../../src/workflows/programWorkflow";

const projectDir = resolve(__dirname, "..", "..");
const settings = readStackSettings(projectDir, "staging");
const raw = toRawStackConfig("staging", settings.config, (key) => settings.secretKeys.includes(key));
const target = join(projectDir, programCiPath);
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, renderProgramCi(validateStackConfig(raw).config));
process.stdout.write(`${projectName}: wrote ${programCiPath}\n`);
