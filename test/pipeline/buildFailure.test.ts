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
    ["failed to solve: no match for platform in manifest", "platform-unsupported"],
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
