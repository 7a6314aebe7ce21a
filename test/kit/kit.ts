/**
 * The kit (test/kit/README.md) from a test: prepare it, start it for a run folder, read what it
 * started, hand its settings to a child process, stop it. Node's standard library only; the work is
 * done by setup.sh, start.sh and stop.sh, so a shell and a test see one kit.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { delimiter, join } from "node:path";

export const kitDir = __dirname;

/** What start.sh writes to `<runDir>/state.json`. */
export interface KitState {
  readonly runDir: string;
  /** Where the sockets are (a short path of its own). */
  readonly socketDir: string;
  /** `<host>:<port>`, the name images are tagged with and credentials are keyed by (see README.md: not 127.0.0.1). */
  readonly registry: string;
  readonly registryUrl: string;
  /** `127.0.0.1:<port>`: the same registry by IP. */
  readonly registryAddress: string;
  readonly registryAuth: boolean;
  readonly registryUser: string;
  readonly registryPassword: string;
  /** The run's CA (PEM): NODE_EXTRA_CA_CERTS. */
  readonly caCert: string;
  /** The system's CAs plus the run's: SSL_CERT_FILE for Go programs (Pulumi's providers, docker). */
  readonly caBundle: string;
  readonly dockerConfig: string;
  readonly dockerHost: string;
  /** The buildx `remote` builder, current in dockerConfig's buildx store. */
  readonly builder: string;
  readonly buildkitAddr: string;
  readonly buildkitSocket: string;
  /** The Python base image, by digest, in the run's registry. */
  readonly baseImage: string;
  /** Comma-separated, e.g. `linux/amd64,linux/arm64`. */
  readonly platforms: string;
  /** Folders holding buildkitd, buildctl and docker-buildx (PATH-separated). */
  readonly path: string;
  readonly pids: { readonly registry: string; readonly dockerd: string; readonly buildkitd: string };
  readonly logs: string;
}

export interface StartOptions {
  /** DOCKER_CONFIG for the builder and the registry login (default: `<runDir>/docker-config`, not ~/.docker). */
  readonly dockerConfig?: string;
  /** More environment for start.sh (KIT_REGISTRY_AUTH, KIT_BUILDER, KIT_DOCKER_STORAGE_DRIVER, ...). */
  readonly env?: Readonly<Record<string, string>>;
}

const script = (name: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs: number): void => {
  // Progress goes to the test's stderr; stdout (start.sh's export lines) is not needed here.
  execFileSync(join(kitDir, name), args, { env, stdio: ["ignore", "ignore", "inherit"], timeout: timeoutMs });
};

/** Installs and builds what the kit needs; cached, so a second call takes about a second (cold: about 14 minutes). */
export function setupKit(timeoutMs = 30 * 60_000): void {
  script("setup.sh", [], process.env, timeoutMs);
}

export function readKitState(runDir: string): KitState {
  return JSON.parse(readFileSync(join(runDir, "state.json"), "utf8")) as KitState;
}

/** Starts the kit for a run folder (about 4 s) and returns its state. */
export function startKit(runDir: string, options: StartOptions = {}): KitState {
  const env = { ...process.env, ...options.env, DOCKER_CONFIG: options.dockerConfig ?? join(runDir, "docker-config") };
  script("start.sh", [runDir], env, 120_000);
  return readKitState(runDir);
}

/** Stops what startKit started; throws if something of it is left running. */
export function stopKit(runDir: string): void {
  script("stop.sh", [runDir], process.env, 180_000);
}

/**
 * The environment a child process (the Pulumi CLI and its providers, docker, buildctl) needs to use
 * the kit: its daemon, builder store and registry login, and trust in its certificate.
 */
export function kitEnv(state: KitState, base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return {
    DOCKER_CONFIG: state.dockerConfig,
    DOCKER_HOST: state.dockerHost,
    SSL_CERT_FILE: state.caBundle,
    NODE_EXTRA_CA_CERTS: state.caCert,
    BUILDKIT_HOST: state.buildkitAddr,
    PATH: [state.path, base.PATH ?? ""].join(delimiter),
  };
}
