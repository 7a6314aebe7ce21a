/** Every kind of state backend, with the credentials Pulumi reads for it, and a stack's files for each. */
import { requiredSecrets, validateStackConfig, type SecretKey } from "../../src/config";
import { buildPipelineSpec, publishedSecrets } from "../../src/pipeline";
import type { GeneratedFile } from "../../src/workflows/files";
import { rawConfig, stackWithSecrets } from "../helpers/stacks";

export const backends = [
  { url: "https://api.pulumi.com", credentials: ["PULUMI_ACCESS_TOKEN"] },
  { url: "https://pulumi.acme.internal:8443", credentials: ["PULUMI_ACCESS_TOKEN"] },
  { url: "s3://acme-pulumi-state/delivery?region=eu-central-1", credentials: ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"] },
  {
    url: "s3://state?region=us-east-1&endpoint=https://minio.acme.internal:9000&s3ForcePathStyle=true",
    credentials: ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"],
  },
  { url: "gs://acme-pulumi-state", credentials: ["GOOGLE_CREDENTIALS"] },
  { url: "azblob://pulumi-state?storage_account=acmepulumistate", credentials: ["AZURE_STORAGE_KEY"] },
  { url: "file://~", credentials: [] },
] as const;
export const everyCredential = [
  "PULUMI_ACCESS_TOKEN",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "GOOGLE_CREDENTIALS",
  "AZURE_STORAGE_KEY",
];

/** The stack's files with only the secrets this backend requires set (as a new user would). */
export function filesFor(stack: "staging" | "production", url: string): { files: readonly GeneratedFile[]; published: readonly string[] } {
  const secrets: readonly SecretKey[] = requiredSecrets(url);
  const spec = buildPipelineSpec(validateStackConfig(rawConfig(stackWithSecrets(stack, secrets, { stateBackendUrl: url }), stack)).config);
  return { files: spec.files, published: publishedSecrets(spec).map((s) => s.githubName) };
}
