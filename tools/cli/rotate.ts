/**
 * `npm run rotate -- --stack <stack> <key>`: rotate one secret. The new value
 * is never taken from the arguments: on a terminal, Pulumi's own hidden prompt
 * reads it; from a pipe, it is read here (a blank value refused) and handed to
 * `pulumi config set --secret` on its standard input;
 * the rotation date is recorded in the stack's config (secretRotatedAt); then
 * `pulumi preview --diff` shows what the rotation changes (with `--json`, the
 * engine's diff as JSON on standard output, `pulumi preview --json`, for a
 * script to read). Apply with `pulumi up`.
 */
import { spawn } from "node:child_process";
import { isSecretKey, secretKeys } from "../../src/config";
import { closest } from "../../src/config/didYouMean";

const usage = "usage: npm run rotate -- --stack <staging|production> [--json] <secretKey>   (the new value is read from standard input)";

export interface RotateArgs {
  readonly stack: string;
  readonly key: string;
  /** The preview's diff as JSON (`pulumi preview --json`) instead of text. */
  readonly json: boolean;
}

export function parseRotateArgs(argv: readonly string[]): RotateArgs {
  let stack: string | undefined;
  let json = false;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--stack" || arg === "-s") stack = argv[++i];
    else if (arg.startsWith("--stack=")) stack = arg.slice("--stack=".length);
    else if (arg === "--json") json = true;
    else rest.push(arg);
  }
  if (stack === undefined || stack === "") throw new Error(`--stack is required\n${usage}`);
  // Anything beyond the key could be the value typed on the command line, where shell history keeps it.
  if (rest.length !== 1)
    throw new Error(
      `expected exactly one secret key${rest.length > 1 ? "; the value is read from standard input, never from the arguments" : ""}\n${usage}`,
    );
  const key = rest[0] ?? "";
  if (!isSecretKey(key)) {
    // What stands where the key belongs may be the value itself: name the key it resembles, never echo it.
    const near = closest(key, secretKeys);
    throw new Error(
      `the argument is not a secret key of this program (not shown: it may be a value)${near === undefined ? "" : `; did you mean ${near}?`}; secrets: ${secretKeys.join(", ")}\n${usage}`,
    );
  }
  return { stack, key, json };
}

/** Reads the value from standard input that is not a terminal (a pipe or a file); one trailing newline dropped. */
async function readPiped(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString()
    .replace(/\r?\n$/, "");
}

function pulumi(args: readonly string[], input?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn("pulumi", args, { stdio: [input === undefined ? "inherit" : "pipe", "inherit", "inherit"] });
    child.on("error", (error) => {
      reject(new Error(`could not run pulumi (${error.message}): install the Pulumi CLI, https://www.pulumi.com/docs/install/`));
    });
    child.on("close", (code) => {
      resolve(code ?? 1);
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** Where the command reads the value and writes its progress: the process's streams, or a test's. */
export interface RotateStreams {
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  readonly stderr: (text: string) => void;
}

const processStreams: RotateStreams = { stdin: process.stdin, stderr: (text) => process.stderr.write(text) };

/** The command: the preview's exit code, or 2 after saying what was refused or failed (and what was changed). */
export async function rotate(argv: readonly string[], io: RotateStreams = processStreams, today: Date = new Date()): Promise<number> {
  try {
    return await rotateSecret(argv, io, today);
  } catch (error) {
    io.stderr(`${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}

async function rotateSecret(argv: readonly string[], io: RotateStreams, today: Date): Promise<number> {
  const { stack, key, json } = parseRotateArgs(argv);
  const setSecret = ["config", "set", "--secret", key, "--stack", stack];
  if (io.stdin.isTTY === true) {
    // On a terminal, Pulumi's own prompt reads the value, hidden; nothing of it passes through this process.
    if ((await pulumi(setSecret)) !== 0) throw new Error(`pulumi config set --secret ${key} failed: nothing else was changed`);
  } else {
    const value = await readPiped(io.stdin);
    if (value.trim() === "")
      throw new Error(`${value === "" ? "no value" : "a value of only blanks"} given for ${key}: nothing was changed`);
    if ((await pulumi(setSecret, value)) !== 0) throw new Error(`pulumi config set --secret ${key} failed: nothing else was changed`);
  }
  const date = today.toISOString().slice(0, 10);
  if ((await pulumi(["config", "set", "--path", `secretRotatedAt.${key}`, date, "--stack", stack])) !== 0)
    throw new Error(`the new ${key} is set, but recording its rotation date failed`);
  io.stderr(`${key} rotated on ${date} in stack ${stack}. What it changes:\n`);
  const preview = await pulumi(["preview", json ? "--json" : "--diff", "--stack", stack]);
  io.stderr(`Apply it with: pulumi up --stack ${stack}\n`);
  return preview;
}

if (require.main === module) {
  void rotate(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
