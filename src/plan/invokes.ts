/**
 * What the offline plan answers for GitHub data sources. There is no GitHub
 * here: ids are stand-ins derived from the name, marked as such in the plan.
 */
import type { InvokeMock, ResourceMock } from "./harness";

/** A stable stand-in id, so two plans of one config are identical. */
export function standInId(name: string): number {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) % 1_000_000;
  return 900_000_000 + hash;
}

export const planInvokeMock: InvokeMock = (token, inputs) => {
  if (token === "github:index/getUser:getUser") {
    const login = String(inputs["username"]);
    return { ...inputs, id: String(standInId(`user:${login}`)), login };
  }
  if (token === "github:index/getTeam:getTeam") {
    const slug = String(inputs["slug"]);
    return { ...inputs, id: String(standInId(`team:${slug}`)), slug };
  }
  return undefined;
};

/** A digest that is visibly not real: the plan builds nothing. */
export const standInDigest = `sha256:${"0".repeat(64)}`;

export const planResourceMock: ResourceMock = (type, _name, inputs) => {
  // Offline there is no staging stack to read: production plans a build of its own.
  if (type === "pulumi:pulumi:StackReference") return { ...inputs, outputs: {}, secretOutputNames: [] };
  if (type === "docker-build:index:Image") return { ...inputs, digest: standInDigest, ref: `${String((inputs["tags"] as string[] | undefined)?.[0])}@${standInDigest}` };
  return undefined;
};
