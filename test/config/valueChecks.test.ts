// Each value of a stack file judged on its own, piece by piece: decoding, "" as unset, and each kind of problem
// (validate.test.ts checks them together through validateStackConfig).
import { describe, expect, it } from "vitest";
import { configKeys, type KeyDefinition } from "../../src/config";
import {
  credentialProblem,
  decode,
  emptyMeansUnset,
  invalidValueProblem,
  judgeSetting,
  judgeValue,
  judgeValues,
  plainSecretProblem,
  refusalMessage,
  unknownKeyProblem,
  unquotedNumbersProblem,
} from "../../src/config/valueChecks";

const githubToken = `ghp_${"a".repeat(36)}`;
const def = (key: keyof typeof configKeys): KeyDefinition => configKeys[key];

describe("decode", () => {
  it("passes strings through, reads booleans and whole numbers in the form the CLI writes them", () => {
    expect(decode("x y", def("repository"))).toEqual({ ok: true, value: "x y" });
    expect(decode("true", def("governsRepository"))).toEqual({ ok: true, value: true });
    expect(decode("false", def("governsRepository"))).toEqual({ ok: true, value: false });
    expect(decode("True", def("governsRepository"))).toEqual({ ok: false });
    expect(decode("-5", def("waitTimerMinutes"))).toEqual({ ok: true, value: -5 });
    expect(decode("5.0", def("waitTimerMinutes"))).toEqual({ ok: false });
  });

  it("reads JSON lists and maps, and refuses the other shape or no JSON", () => {
    expect(decode('["a"]', def("reviewerUsers"))).toEqual({ ok: true, value: ["a"] });
    expect(decode('{"a":"b"}', def("reviewerUsers"))).toEqual({ ok: false });
    expect(decode("[a]", def("reviewerUsers"))).toEqual({ ok: false });
    expect(decode('{"a":"b"}', def("secretRotatedAt"))).toEqual({ ok: true, value: { a: "b" } });
    expect(decode("[]", def("secretRotatedAt"))).toEqual({ ok: false });
    expect(decode("null", def("secretRotatedAt"))).toEqual({ ok: false });
  });
});

describe("emptyMeansUnset", () => {
  it("holds for required keys and for strings without a default, not for other optional keys", () => {
    expect(emptyMeansUnset("repository")).toBe(true);
    expect(emptyMeansUnset("governsRepository")).toBe(true);
    expect(emptyMeansUnset("appRevision")).toBe(true);
    expect(emptyMeansUnset("defaultBranch")).toBe(false);
    expect(emptyMeansUnset("coverageMinimum")).toBe(false);
  });
});

describe("the problems of one value", () => {
  it("plainSecretProblem hides the value and says to rotate it", () => {
    const problem = plainSecretProblem("openaiApiKey", "sk-xyz", "production");
    expect(problem).toMatchObject({
      key: "openaiApiKey",
      value: "(hidden)",
      fix: "pulumi config rm openaiApiKey --stack production; rotate it, then pulumi config set --secret openaiApiKey --stack production",
    });
    expect(problem.message).toMatch(/^is a secret but is stored in plain text: it holds a secret in plain text/);
  });

  it("unknownKeyProblem suggests the nearest setting, and shows the value", () => {
    expect(unknownKeyProblem("reviewrUsers", '["a"]', "staging")).toEqual({
      key: "reviewrUsers",
      value: '["a"]',
      allowed: "only the keys listed in Pulumi.yaml (did you mean reviewerUsers?)",
      fix: "pulumi config rm reviewrUsers --stack staging",
      message: "is not a setting of this program",
    });
  });

  it("unknownKeyProblem hides a near secret's value and fixes it as a secret", () => {
    const problem = unknownKeyProblem("railwayTokn", "abc", "staging");
    expect(problem.value).toBe("(hidden)");
    expect(problem.fix).toBe(
      "pulumi config rm railwayTokn --stack staging; rotate it, then pulumi config set --secret railwayToken --stack staging",
    );
    expect(problem.message).toMatch(/^is not a setting of this program, and it holds a secret/);
  });

  it("unknownKeyProblem without a near key lists none", () => {
    expect(unknownKeyProblem("completelyUnrelated", "1", "staging").allowed).toBe("only the keys listed in Pulumi.yaml");
  });

  it("credentialProblem hides a credential under a plain key and names its kind", () => {
    const problem = credentialProblem("repository", githubToken, "staging");
    expect(problem).toMatchObject({ key: "repository", value: "(hidden)", allowed: configKeys.repository.allowed });
    expect(problem.message).toMatch(/^is not a secret setting, yet it holds what looks like a GitHub token in plain text/);
  });

  it("unquotedNumbersProblem quotes each number back, in the singular for one", () => {
    const one = unquotedNumbersProblem("pythonVersions", "[3.1]", "staging", [3.1]);
    expect(one.message).toBe("holds unquoted number (3.1)");
    expect(one.fix).toBe(
      'quote each item in stacks/Pulumi.staging.yaml, e.g. delivery-pipeline:pythonVersions: ["3.1"] (write "3.10" where you meant 3.10)',
    );
    expect(unquotedNumbersProblem("pythonVersions", "[3.1, 3.12]", "staging", [3.1, 3.12]).message).toBe(
      "holds unquoted numbers (3.1, 3.12)",
    );
  });

  it("invalidValueProblem says what is wrong with a backend URL, and nothing more for other keys", () => {
    expect(invalidValueProblem("stateBackendUrl", "gs://b?x=1", "staging").message).toMatch(/^is not a Google Cloud Storage bucket URL/);
    expect(invalidValueProblem("coverageMinimum", "101", "staging")).toEqual({
      key: "coverageMinimum",
      value: "101",
      allowed: configKeys.coverageMinimum.allowed,
      fix: "pulumi config set coverageMinimum 80 --stack staging",
    });
  });
});

describe("credentials in URLs", () => {
  it("hides a database URL with a password in a command, and points at a Railway variable instead", () => {
    const command = "psql postgres://admin:hunter2hunter2@db.acme.internal:5432/app -c 'select 1'";
    const judged = judgeSetting("preDeployCommand", command, "staging");
    expect(judged).toHaveProperty("problem");
    const problem = judged !== undefined && "problem" in judged ? judged.problem : undefined;
    expect(problem).toMatchObject({ key: "preDeployCommand", value: "(hidden)", allowed: configKeys.preDeployCommand.allowed });
    expect(problem?.message).toMatch(/^is not a secret setting, yet it holds what looks like a URL with a password in plain text/);
    expect(problem?.fix).toBe(
      'pulumi config set preDeployCommand ./scripts/backup-db.sh --stack staging (a script in the image that reads the URL from a Railway service variable, e.g. psql "$DATABASE_URL"; never the URL itself here)',
    );
    expect(JSON.stringify(problem)).not.toContain("hunter2hunter2");
  });

  it("finds a password in a percent-encoded URL too, and leaves a URL without one alone", () => {
    const encoded = "s3://acme-state?region=eu-west-1&endpoint=https%3A%2F%2Fminio%3Ahunter2hunter2%40minio.acme.internal";
    expect(credentialProblem("stateBackendUrl", encoded, "staging").fix).toBe(
      "pulumi config set stateBackendUrl 's3://acme-state?region=eu-west-1&endpoint=https://minio.acme.internal' --stack staging",
    );
    expect(judgeSetting("preDeployCommand", "curl https://acme.example/hook@v1", "staging")).toEqual({
      key: "preDeployCommand",
      value: "curl https://acme.example/hook@v1",
    });
    expect(judgeSetting("preDeployCommand", "psql $DATABASE_URL", "staging")).toHaveProperty("value");
  });
});

describe("refusalMessage", () => {
  it("says which entry of secretRotatedAt is wrong and why, and nothing for other keys", () => {
    expect(refusalMessage("secretRotatedAt", '{"railwayToken":"2026-02-30","openaiApiKey":"2999-01-01"}')).toBe(
      "records railwayToken: 2026-02-30 is no day of the calendar; openaiApiKey: 2999-01-01 is in the future",
    );
    expect(refusalMessage("secretRotatedAt", '{"railwayToken":"2026-13-45","repository":"2026-01-01"}')).toBe(
      "records railwayToken: 2026-13-45 is no day of the calendar; repository is no secret of this program",
    );
    expect(refusalMessage("secretRotatedAt", '{"railwayToken":5}')).toBe("records railwayToken: 5 is not a YYYY-MM-DD date");
    expect(refusalMessage("secretRotatedAt", "[]")).toBeUndefined();
    expect(refusalMessage("coverageMinimum", "101")).toBeUndefined();
  });
});

describe("judgeSetting", () => {
  it("skips an empty value that means unset, and judges one that does not", () => {
    expect(judgeSetting("appRevision", "", "staging")).toBeUndefined();
    expect(judgeSetting("defaultBranch", "", "staging")).toHaveProperty("problem.key", "defaultBranch");
  });

  it("types a valid value by its schema", () => {
    expect(judgeSetting("pythonVersions", '["3.10"]', "staging")).toEqual({ key: "pythonVersions", value: ["3.10"] });
    expect(judgeSetting("waitTimerMinutes", "7", "staging")).toEqual({ key: "waitTimerMinutes", value: 7 });
  });

  it("refuses a credential before judging its form", () => {
    expect(judgeSetting("preDeployCommand", githubToken, "staging")).toHaveProperty("problem.value", "(hidden)");
  });

  it("names unquoted numbers in a refused list, else the plain refusal", () => {
    expect(judgeSetting("pythonVersions", "[3.1]", "staging")).toHaveProperty("problem.message", "holds unquoted number (3.1)");
    expect(judgeSetting("pythonVersions", '["2.7"]', "staging")).not.toHaveProperty("problem.message");
    expect(judgeSetting("waitTimerMinutes", "soon", "staging")).toHaveProperty("problem.value", "soon");
  });
});

describe("judgeValue and judgeValues", () => {
  it("send secrets, unknown keys and settings each to their own check", () => {
    expect(judgeValue("railwayToken", "x", "staging")).toHaveProperty("problem.allowed", "a secret value, stored encrypted");
    expect(judgeValue("nope", "x", "staging")).toHaveProperty("problem.message", "is not a setting of this program");
    expect(judgeValue("coverageMinimum", "90", "staging")).toEqual({ key: "coverageMinimum", value: 90 });
  });

  it("keep the stack file's order of problems and the settings that passed", () => {
    const { problems, settings } = judgeValues(
      { waitTimerMinutes: "x", coverageMinimum: "90", railwayToken: "t", appRevision: "", nope: "1" },
      "staging",
    );
    expect(problems.map((p) => p.key)).toEqual(["waitTimerMinutes", "railwayToken", "nope"]);
    expect(settings).toEqual({ coverageMinimum: 90 });
  });
});
