/**
 * The policy SDK's own unknown-checking proxy, which its server wraps every
 * resource's properties in. Exported at run time; its declaration file is
 * empty (marked internal), so it is typed here once.
 */
import * as policySdk from "@pulumi/policy";

interface PolicySdkInternals {
  readonly unknownCheckingProxy: <T extends object>(props: T) => T;
  readonly UnknownValueError: abstract new (...args: never[]) => Error;
}

export const { unknownCheckingProxy, UnknownValueError } = policySdk as unknown as PolicySdkInternals;
