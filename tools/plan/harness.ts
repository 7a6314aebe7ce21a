/**
 * Runs the real Pulumi program under Pulumi's mock runtime and records what it
 * declares. Used by the offline plan, the program tests and the benchmark.
 * One evaluation per process: the Pulumi runtime keeps global state.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, toRawStackConfig, validateStackConfig } from "../../src/config";
import { redactWire, unwrapWire, type RecordedResource } from "./recorder";
import { unsetSecretPlaceholder, type StackSettings } from "../../src/config/stackFiles";

export interface ProgramRun {
  readonly resources: readonly RecordedResource[];
  /** Invokes (data sources) the program called, in order. */
  readonly invokes: readonly { readonly token: string; readonly inputs: Readonly<Record<string, unknown>> }[];
  /** Stack outputs; secret ones are `[secret]`. */
  readonly outputs: Readonly<Record<string, unknown>>;
  /** Output names whose values are Pulumi secrets. */
  readonly secretOutputs: readonly string[];
}

export type InvokeMock = (token: string, inputs: Readonly<Record<string, unknown>>) => Record<string, unknown> | undefined;
/** The state a mocked resource reports; `undefined` keeps the default (its inputs). */
export type ResourceMock = (type: string, name: string, inputs: Readonly<Record<string, unknown>>) => Record<string, unknown> | undefined;

export interface RunOptions {
  readonly project: string;
  readonly stack: string;
  readonly settings: StackSettings;
  /** Imports the program; called after the mocks are in place. */
  readonly load: () => Promise<Record<string, unknown>>;
  /** Let a stack with unset secrets run (the offline plan): each is handed to the program as a secret placeholder. */
  readonly allowMissingSecrets: boolean;
  /** Answers for data sources; unanswered invokes return their inputs. */
  readonly invoke?: InvokeMock;
  /** Outputs of resources a provider would compute (an image digest, a stack reference's outputs). */
  readonly resource?: ResourceMock;
  /** Run as `pulumi preview` would (Pulumi's dry run); default: as `pulumi up`. */
  readonly preview?: boolean;
}

export interface WireRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getDependenciesList(): string[];
  getRetainondelete(): boolean | undefined;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}
type Callback = (err: unknown, response: unknown) => void;
export interface PatchableMonitor {
  registerResource(req: WireRequest, callback: Callback): Promise<void>;
  registerErrorHook?: (req: unknown, callback: Callback) => void;
  registerResourceHook?: (req: unknown, callback: Callback) => void;
}

/**
 * The SDK's mock monitor says it supports resource hooks but has no method to register one, so a
 * resource with an error hook would wait forever for the registration under mocks. Nothing fails
 * under mocks, so a hook registered here is never called: registration just succeeds.
 */
export function acceptHookRegistrations(monitor: PatchableMonitor): void {
  const accept = (_req: unknown, callback: Callback): void => {
    callback(null, {});
  };
  monitor.registerErrorHook ??= accept;
  monitor.registerResourceHook ??= accept;
}

/** Shown for an output the engine cannot know before the update (a preview's digests and ids). */
export const unknownOutput = "[unknown until update]";

/**
 * An output's value. `apply` never runs for a value unknown during a preview,
 * so this asks the Output for its value with unknowns included (the method
 * the SDK's own `apply` uses; not in its declared type).
 */
async function settle(output: pulumi.Output<unknown>): Promise<unknown> {
  const value = await (output as unknown as { promise(withUnknowns: boolean): Promise<unknown> }).promise(true);
  return pulumi.isUnknown(value) ? unknownOutput : value;
}

/** The value the offline plan gives each secret not set yet; a secret like any other, so it never shows. */
export { unsetSecretPlaceholder };

/**
 * The settings with a placeholder for every secret the stack needs and lacks,
 * set as Pulumi secrets: the plan feeds them to the program as config, so the
 * program itself has no offline mode to leave on. Invalid settings pass
 * through unchanged (the program reports them).
 */
export function withPlaceholderSecrets(project: string, stack: string, settings: StackSettings): StackSettings {
  let missing: readonly string[];
  try {
    missing = validateStackConfig(toRawStackConfig(stack, settings.config, (key) => settings.secretKeys.includes(key))).missingSecrets;
  } catch (error) {
    if (error instanceof ConfigError) return settings;
    throw error;
  }
  const keys = missing.map((key) => `${project}:${key}`);
  return {
    config: { ...settings.config, ...Object.fromEntries(keys.map((key) => [key, unsetSecretPlaceholder])) },
    secretKeys: [...settings.secretKeys, ...keys],
  };
}

/** Records each registration as it arrives on the wire, before the mock unwraps its secrets. */
export function recordRegistrations(monitor: PatchableMonitor, resources: RecordedResource[]): void {
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    const wire = req.getObject()?.toJavaScript() ?? {};
    const secretPaths: string[] = [];
    resources.push({
      type: req.getType(),
      name: req.getName(),
      custom: req.getCustom(),
      parent: req.getParent(),
      dependencies: req.getDependenciesList(),
      retainOnDelete: req.getRetainondelete() === true,
      inputs: redactWire(wire, "", secretPaths) as Record<string, unknown>,
      plainInputs: unwrapWire(wire) as Record<string, unknown>,
      secretPaths,
    });
    return register(req, callback);
  };
}

/** A program module's stack outputs, resolved; secret ones are `[secret]`. */
export async function resolveOutputs(
  module: Record<string, unknown>,
): Promise<{ outputs: Record<string, unknown>; secretOutputs: string[] }> {
  // An entrypoint may export its outputs, or (`export =`) an async function returning them, as Pulumi allows.
  const main = module["default"];
  const exports = typeof main === "function" ? ((await (main as () => Promise<unknown>)()) as Record<string, unknown>) : module;
  const outputs: Record<string, unknown> = {};
  const secretOutputs: string[] = [];
  for (const [name, value] of Object.entries(exports)) {
    if (name === "default" || name === "__esModule") continue;
    const output = pulumi.output(value);
    const secret = await pulumi.isSecret(output);
    const resolved = await settle(output);
    if (secret) secretOutputs.push(name);
    outputs[name] = secret ? "[secret]" : resolved;
  }
  return { outputs, secretOutputs };
}

export async function runProgram(options: RunOptions): Promise<ProgramRun> {
  const settings = options.allowMissingSecrets
    ? withPlaceholderSecrets(options.project, options.stack, options.settings)
    : options.settings;
  process.env["PULUMI_CONFIG"] = JSON.stringify(settings.config);
  process.env["PULUMI_CONFIG_SECRET_KEYS"] = JSON.stringify(settings.secretKeys);
  // The SDK keeps config in its store from the first read; this is how the Automation API runs one program
  // after another in a process, so a second evaluation here reads its own config, not the first's.
  pulumi.runtime.setAllConfig(settings.config, [...settings.secretKeys]);

  const resources: RecordedResource[] = [];
  const invokes: { token: string; inputs: Record<string, unknown> }[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const inputs = args.inputs as Record<string, unknown>;
        return { id: `${args.name}-id`, state: options.resource?.(args.type, args.name, inputs) ?? inputs };
      },
      call: (args) => {
        const inputs = args.inputs as Record<string, unknown>;
        invokes.push({ token: args.token, inputs });
        return options.invoke?.(args.token, inputs) ?? inputs;
      },
    },
    options.project,
    options.stack,
    options.preview ?? false,
  );
  const monitor = pulumi.runtime.getMonitor() as unknown as PatchableMonitor;
  acceptHookRegistrations(monitor);
  recordRegistrations(monitor, resources);

  const { outputs, secretOutputs } = await resolveOutputs(await options.load());
  // Registrations that no output depends on may still be in flight.
  await pulumi.runtime.disconnect();
  return { resources, invokes, outputs, secretOutputs };
}
