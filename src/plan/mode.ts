/** Set by the offline plan (only there) so a stack with unset secrets still shows what it declares. */
export const offlinePlanEnvVar = "DELIVERY_PIPELINE_OFFLINE_PLAN";
