/**
 * A child process run to completion, within a limit. Vitest's test timeout
 * cannot interrupt a test blocked in a synchronous call, so a child that never
 * ended would stall its worker, and the whole run, without a word: here it is
 * killed at the limit and the test fails naming it.
 *
 * Unless given input (or stdio), the child's standard input is /dev/null: it reads end of input at once,
 * as from the empty pipe it would get otherwise. Node's pipes are sockets, and bash given a socket there
 * takes itself for an ssh session and runs ~/.bashrc: 0.1 to 1 s a call on a machine whose .bashrc
 * starts pyenv, and whatever that prints.
 */
import { spawnSync, type SpawnSyncOptionsWithStringEncoding, type SpawnSyncReturns } from "node:child_process";

export const childLimitMs = 150_000;

export function runSync(
  command: string,
  args: readonly string[],
  options: Omit<SpawnSyncOptionsWithStringEncoding, "encoding"> = {},
): SpawnSyncReturns<string> {
  const limit = options.timeout ?? childLimitMs;
  const stdio = options.stdio ?? (options.input === undefined ? ["ignore", "pipe", "pipe"] : "pipe");
  const result = spawnSync(command, args, { killSignal: "SIGKILL", ...options, stdio, timeout: limit, encoding: "utf8" });
  const error: NodeJS.ErrnoException | undefined = result.error;
  if (error?.code === "ETIMEDOUT") {
    throw new Error(
      `${command} ${args.join(" ")} did not finish in ${String(limit)} ms; what it printed:\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result;
}
