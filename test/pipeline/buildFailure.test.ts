// What a failed image build or push says: the image, the platform and the fix, by the kind of failure.
import { describe, expect, it } from "vitest";
import { buildFailureAdvice, failureKind } from "../../src/shipping";

const failure = (errors: string[], platform: string | undefined = "linux/arm64") => ({
  stack: "staging",
  image: "vm:5000/acme/app",
  platform,
  revision: "0123456789abcdef0123456789abcdef01234567",
  dockerfile: "Dockerfile",
  errors,
});

describe("failureKind", () => {
  it.each([
    ["failed to push vm:5000/acme/app:sha-0123456-amd64: unexpected status from PUT request: 401 Unauthorized", "registry-refused"],
    ["push access denied, repository does not exist or may require authorization: insufficient_scope", "registry-refused"],
    ['failed to solve: process "/bin/sh -c python3 -m compileall" did not complete successfully: exit code: 1', "dockerfile-failed"],
    ["failed to solve: dockerfile parse error on line 3: unknown instruction: FORM", "dockerfile-failed"],
    ["failed to solve: no match for platform in manifest", "base-without-platform"],
    ["exec /bin/sh: exec format error", "platform-unsupported"],
    ["connection reset by peer", "other"],
  ])("%s is %s", (error, kind) => {
    expect(failureKind([error])).toBe(kind);
  });
});

describe("buildFailureAdvice", () => {
  it("names the image, the platform and the fix for each kind, and says nothing was deployed", () => {
    expect(buildFailureAdvice(failure(["401 Unauthorized"]))).toBe(
      "the linux/arm64 image of vm:5000/acme/app could not be pushed: the registry refused the login of dockerhubUsername. Fix: set a Read & Write access token of that account for this repository, pulumi config set --secret dockerhubToken --stack staging, then pulumi up. Nothing was deployed.",
    );
    expect(buildFailureAdvice(failure(["exec format error"]))).toContain("the builder cannot run linux/arm64");
    expect(buildFailureAdvice(failure(["exec format error"]))).toContain("platforms in stacks/Pulumi.staging.yaml");
    // What BuildKit answered for linux/s390x on the engine (test/engine/up.engine.test.ts): the base image lacks it.
    const base =
      "failed to solve: vm:5000/kit/python-base@sha256:1a8c: failed to resolve source metadata for vm:5000/kit/python-base@sha256:1a8c: no match for platform in manifest: not found";
    expect(buildFailureAdvice(failure([base], "linux/s390x"))).toBe(
      "the linux/s390x image of vm:5000/acme/app could not be built: the Dockerfile's base image vm:5000/kit/python-base@sha256:1a8c has no linux/s390x variant. Fix: base the image (FROM in Dockerfile) on one published for every platform the stack builds, or drop linux/s390x from the stack's platforms (platforms in stacks/Pulumi.staging.yaml). Nothing was deployed.",
    );
    const dockerfile = buildFailureAdvice(failure(["did not complete successfully: exit code: 3"], "linux/amd64"));
    expect(dockerfile).toContain(
      "the linux/amd64 image of vm:5000/acme/app failed to build at commit 0123456789abcdef0123456789abcdef01234567 (Dockerfile)",
    );
    expect(dockerfile).toContain("pulumi config set appRevision <sha|tag> --stack staging");
    expect(buildFailureAdvice({ ...failure(["boom"]), platform: undefined })).toBe(
      "the image vm:5000/acme/app failed at commit 0123456789abcdef0123456789abcdef01234567: see the provider's error above. Nothing was deployed.",
    );
  });
});
