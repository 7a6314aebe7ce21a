/** GitHub and staging as production sees them: the latest release, its commit, and staging's last shipment. */
import type { InvokeMock, ResourceMock } from "../../src/plan/harness";
import { planInvokeMock } from "../../src/plan/invokes";

export const releaseTag = "v1.4.2";
export const releaseSha = "89abcdef0123456789abcdef0123456789abcdef";
export const stagingImage = `docker.io/acme/learning-voice-agent@sha256:${"d".repeat(64)}`;

export const releaseInvokes: InvokeMock = (token, inputs) => {
  if (token === "github:index/getRelease:getRelease") return { ...inputs, releaseTag };
  if (token === "github:index/getRef:getRef") return { ...inputs, sha: inputs["ref"] === `tags/${releaseTag}` ? releaseSha : undefined };
  return planInvokeMock(token, inputs);
};

export function stagingShipped(revision: string): ResourceMock {
  return (type, _name, inputs) => {
    if (type === "pulumi:pulumi:StackReference") return { ...inputs, outputs: { revision, imageRef: stagingImage }, secretOutputNames: [] };
    if (type === "docker-build:index:Image") return { ...inputs, digest: `sha256:${"e".repeat(64)}` };
    return undefined;
  };
}
