// The CrossGuard pack: `pulumi preview --policy-pack infra/policy`. Policies live in policies.ts.
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("delivery-pipeline-guardrails", { policies });
