// Fails the engine suite at once, in one line, when there is no Pulumi CLI to drive.
import { findPulumi, noPulumiMessage } from "./workspace";

export default function requirePulumi(): void {
  if (findPulumi() === undefined) {
    process.stderr.write(`${noPulumiMessage}\n`);
    process.exit(1);
  }
}
