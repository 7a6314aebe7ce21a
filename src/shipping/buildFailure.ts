/**
 * What to tell the user when the image build or a push fails: the provider's own error says what BuildKit
 * or the registry answered, buried in a long log; this names the image, the platform and the fix, by the
 * kind of failure. Pure: infra/appImage.ts calls it from the image resources' error hook.
 */
export interface BuildFailure {
  readonly stack: string;
  /** `<registry>/<repository>` */
  readonly image: string;
  /** The platform of a per-platform build; undefined for an index (the join, or a tag). */
  readonly platform: string | undefined;
  /** The commit being built. */
  readonly revision: string;
  readonly dockerfile: string;
  /** The engine's errors for the operation, newest first. */
  readonly errors: readonly string[];
}

type Kind = "registry-refused" | "base-without-platform" | "platform-unsupported" | "dockerfile-failed" | "other";

export function failureKind(errors: readonly string[]): Kind {
  const text = errors.join("\n");
  if (/\b(401|403)\b|unauthori[sz]ed|authentication required|denied: requested access|insufficient_scope/i.test(text))
    return "registry-refused";
  // BuildKit resolves each FROM for the target platform first: an image published without it fails so, before any step runs.
  if (/no match for platform/i.test(text)) return "base-without-platform";
  if (/exec format error|platform .* (is )?not supported|unsupported platform|does not support platform/i.test(text)) {
    return "platform-unsupported";
  }
  if (/failed to solve|did not complete successfully|dockerfile parse error|failed to compute cache key|not found: not found/i.test(text))
    return "dockerfile-failed";
  return "other";
}

export function buildFailureAdvice(f: BuildFailure): string {
  const what = f.platform === undefined ? `the image ${f.image}` : `the ${f.platform} image of ${f.image}`;
  const at = `at commit ${f.revision}`;
  switch (failureKind(f.errors)) {
    case "registry-refused":
      return (
        `${what} could not be pushed: the registry refused the login of dockerhubUsername. Fix: set a Read & Write access token of that ` +
        `account for this repository, pulumi config set --secret dockerhubToken --stack ${f.stack}, then pulumi up. Nothing was deployed.`
      );
    case "base-without-platform": {
      const base = /metadata for (\S+): no match for platform/i.exec(f.errors.join("\n"))?.[1];
      return (
        `${what} could not be built: the Dockerfile's base image${base === undefined ? "" : ` ${base}`} has no ` +
        `${f.platform ?? "such"} variant. Fix: base the image (FROM in ${f.dockerfile}) on one published for every platform the stack builds, ` +
        `or drop ${f.platform ?? "the platform"} from the stack's platforms (platforms in stacks/Pulumi.${f.stack}.yaml). Nothing was deployed.`
      );
    }
    case "platform-unsupported":
      return (
        `${what} could not be built: the builder cannot run ${f.platform ?? "this platform"}. Fix: give the builder an emulator for it ` +
        `(QEMU: docker/setup-qemu-action, or binfmt_misc with qemu-user-static), or drop it from the stack's platforms ` +
        `(platforms in stacks/Pulumi.${f.stack}.yaml). Nothing was deployed.`
      );
    case "dockerfile-failed":
      return (
        `${what} failed to build ${at} (${f.dockerfile}): a step of the Dockerfile failed, the provider's error above says which. ` +
        `Fix it in the app repository and push, or ship an earlier revision: pulumi config set appRevision <sha|tag> --stack ${f.stack}. Nothing was deployed.`
      );
    case "other":
      return `${what} failed ${at}: see the provider's error above. Nothing was deployed.`;
  }
}
