/**
 * The names of the secret config keys, on their own so that the key table
 * (./keys.ts) and the secret catalog (./catalog.ts) both read them without
 * importing each other.
 */
/** Secret config keys: set with `pulumi config set --secret`, never committed. */
export const secretKeys = [
  "railwayToken",
  "anthropicApiKey",
  "openaiApiKey",
  "pulumiConfigPassphrase",
  "pulumiAccessToken",
  "awsAccessKeyId",
  "awsSecretAccessKey",
  "pulumiPreviewAccessToken",
  "awsPreviewAccessKeyId",
  "awsPreviewSecretAccessKey",
  "googleCredentials",
  "azureStorageKey",
  "deliveryAppPrivateKey",
  "previewAppPrivateKey",
  "dockerhubToken",
  "dockerhubPullToken",
  "imageSigningKey",
  "slackWebhookUrl",
  "githubToken",
] as const;
export type SecretKey = (typeof secretKeys)[number];

export function isSecretKey(key: string): key is SecretKey {
  return (secretKeys as readonly string[]).includes(key);
}
