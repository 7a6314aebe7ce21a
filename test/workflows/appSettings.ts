/** A hand-built AppWorkflowSettings for the modules' direct tests: every switch set, so each test turns off only what it checks. */
import type { AppWorkflowSettings } from "../../src/workflows/settings";

export function appSettings(overrides: Partial<AppWorkflowSettings> = {}): AppWorkflowSettings {
  return {
    repository: "acme/voice-app",
    defaultBranch: "main",
    developBranch: "develop",
    pythonVersions: ["3.11", "3.12"],
    coverageMinimum: 85,
    pythonPackage: "voice",
    codecov: true,
    slack: true,
    stateBackend: "s3",
    program: { repository: undefined, ref: "", path: "delivery" },
    image: {
      dockerfile: "docker/Dockerfile",
      platforms: ["linux/amd64", "linux/arm64"],
      cacheRefs: ["acme/app:cache-amd64", "acme/app:cache-arm64"],
    },
    enginePreviews: true,
    buildImageOnPreview: false,
    privateRepository: true,
    deployBuilds: true,
    allowPrerelease: false,
    deployTimeoutMinutes: 69,
    ...overrides,
  };
}
