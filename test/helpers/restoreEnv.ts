/**
 * Setup file of the `program` project, whose test files share processes: each
 * file gets the environment the process started with, and what it sets (a
 * handed-over revision, a token, an old switch) is gone when it ends, so no
 * file's run depends on which file ran before it in the same process.
 */
import { afterAll, beforeAll } from "vitest";

const atStart: Readonly<Record<string, string | undefined>> = { ...process.env };

function restore(): void {
  for (const name of Object.keys(process.env)) if (!(name in atStart)) Reflect.deleteProperty(process.env, name);
  for (const [name, value] of Object.entries(atStart)) if (value !== undefined) process.env[name] = value;
}

beforeAll(restore);
afterAll(restore);
