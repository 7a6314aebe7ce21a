// The round-3 review's bad-input cases (shared/audits/security-reliability.md, section 4), run as the review ran
// them: one key of a copy of the fixture stack files set (through the yaml library) in a temporary folder, then
// the offline plan's reader, readPlanInput. Backend cases edit both stacks: an edit in one alone is judged by the
// "same backend in both stacks" rule instead. Each of the 16 values the review found accepted is refused, alone,
// naming the key, the value (or "(hidden)"), what is wrong, what is allowed and a fix; the review's controls are
// still accepted; a 1 MB value is not printed whole, and a YAML alias bomb names its file and the fix.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { projectName } from "../../src/config";
import { readPlanInput, type PlanInput } from "../../tools/plan/input";
import { fixtureStacksDir, projectDir } from "../helpers/stacks";

type Stack = "staging" | "production";
type Edits = Partial<Record<Stack, Readonly<Record<string, unknown>>>>;

const folders: string[] = [];
afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the fixture stack files with `edits` set, in a folder of its own. */
function stacksWith(edits: Edits): string {
  const dir = mkdtempSync(join(tmpdir(), "review-table-"));
  folders.push(dir);
  cpSync(fixtureStacksDir, dir, { recursive: true });
  for (const [stack, values] of Object.entries(edits)) {
    const file = join(dir, `Pulumi.${stack}.yaml`);
    const doc = parseDocument(readFileSync(file, "utf8"));
    for (const [key, value] of Object.entries(values)) doc.setIn(["config", `${projectName}:${key}`], value);
    writeFileSync(file, doc.toString({ lineWidth: 0 }));
  }
  return dir;
}

const plan = (stack: Stack, edits: Edits): PlanInput => readPlanInput(projectDir, stack, stacksWith(edits));

/** One problem of a refusal, read back from the printed message (what the user sees). */
interface Printed {
  readonly key: string;
  /** The value as printed, quotes and any "… (N characters; …)" included. */
  readonly value: string | undefined;
  readonly message: string;
  readonly allowed: string;
  readonly fix: string;
}

function printedProblems(message: string): Printed[] {
  return message
    .split(/^ {2}- /m)
    .slice(1)
    .map((block) => {
      const [head = "", allowed = "", fix = ""] = block.split(/\n {6}(?:allowed: |fix: {5})/);
      const parts = /^(\S+)(?: = ("(?:[^"\\]|\\.)*"(?:… \(\d+ characters; the first \d+ shown\))?))? (.*)\.$/s.exec(head.trimEnd());
      if (parts === null) throw new Error(`not a printed problem: ${head}`);
      return { key: parts[1] ?? "", value: parts[2], message: parts[3] ?? "", allowed: allowed.trimEnd(), fix: fix.trimEnd() };
    });
}

function refusal(input: PlanInput): { readonly message: string; readonly problems: Printed[] } {
  if (input.kind !== "refused") throw new Error("expected a refusal, the plan accepted it");
  return { message: input.message, problems: printedProblems(input.message) };
}

const digest = `@sha256:${"0123456789abcdef".repeat(4)}`;
const ownImage = "docker.io/acme/learning-voice-agent";
const s3 = "s3://acme-pulumi-state?region=eu-central-1";
const bothStacks = (key: string, value: unknown): Edits => ({ staging: { [key]: value }, production: { [key]: value } });

interface Case {
  readonly finding: string;
  readonly what: string;
  readonly stack: Stack;
  readonly edits: Edits;
  readonly key: string;
  /** The value as printed: JSON-quoted, "(hidden)" for a credential. */
  readonly value: string;
  /** What the problem says is wrong, in part. */
  readonly message: string;
  /** What is allowed, in part. */
  readonly allowed: string;
  /** The fix, in part (a command the user can run, or the edit). */
  readonly fix: string;
  /** What the refusal must never print. */
  readonly secret?: string;
}

const q = (value: string): string => JSON.stringify(value);

// The 16 the review found accepted (F-L1 to F-L6, and F-H4), in its order.
const accepted: readonly Case[] = [
  ...(["2026-13-45", "2026-02-30"] as const).map((date): Case => ({
    finding: "F-L1",
    what: `secretRotatedAt ${date}`,
    stack: "staging",
    edits: { staging: { secretRotatedAt: { railwayToken: date } } },
    key: "secretRotatedAt",
    value: q(JSON.stringify({ railwayToken: date })),
    message: `records railwayToken: ${date} is no day of the calendar`,
    allowed: "YYYY-MM-DD, a day of the calendar, not in the future",
    fix: "npm run rotate -- --stack staging <key> rotates a secret and records the day",
  })),
  {
    finding: "F-L1",
    what: "secretRotatedAt 2999-01-01",
    stack: "staging",
    edits: { staging: { secretRotatedAt: { railwayToken: "2999-01-01" } } },
    key: "secretRotatedAt",
    value: q('{"railwayToken":"2999-01-01"}'),
    message: "records railwayToken: 2999-01-01 is in the future",
    allowed: "not in the future",
    fix: `set it in stacks/Pulumi.staging.yaml to the day each secret was last rotated, e.g. ${projectName}:secretRotatedAt: {"railwayToken":`,
  },
  {
    finding: "F-L2",
    what: "deployImage of another repository",
    stack: "production",
    edits: { production: { deployImage: `docker.io/evil/learning-voice-agent${digest}` } },
    key: "deployImage",
    value: q(`docker.io/evil/learning-voice-agent${digest}`),
    message: `names another repository (docker.io/evil/learning-voice-agent) than this stack's image, ${ownImage}`,
    allowed: `an image of this stack's own repository by digest, ${ownImage}@sha256:<64 hex digits>`,
    fix: `pulumi config set deployImage ${ownImage}${digest} --stack production`,
  },
  {
    finding: "F-L2",
    what: "deployImage on another registry, with the pull token",
    stack: "production",
    edits: { production: { deployImage: `evil.example.com/acme/learning-voice-agent${digest}`, privateImageRepository: "true" } },
    key: "deployImage",
    value: q(`evil.example.com/acme/learning-voice-agent${digest}`),
    message: "names another registry (evil.example.com/acme/learning-voice-agent)",
    allowed: "Railway is handed the pull token (dockerhubPullToken) for the image's registry",
    fix: `pulumi config set deployImage ${ownImage}${digest} --stack production`,
  },
  {
    finding: "F-L3",
    what: "S3 endpoint=http://",
    stack: "staging",
    edits: bothStacks("stateBackendUrl", `${s3}&endpoint=http://minio.acme.internal:9000`),
    key: "stateBackendUrl",
    value: q(`${s3}&endpoint=http://minio.acme.internal:9000`),
    message: "reaches S3 over plain http (endpoint=http://)",
    allowed: "s3://bucket[/prefix]?region=<region>[&endpoint=...]",
    fix: `pulumi config set stateBackendUrl '${s3}&endpoint=https://minio.acme.internal:9000' --stack staging`,
  },
  {
    finding: "F-L3",
    what: "S3 disableSSL=true",
    stack: "staging",
    edits: bothStacks("stateBackendUrl", `${s3}&disableSSL=true`),
    key: "stateBackendUrl",
    value: q(`${s3}&disableSSL=true`),
    message: "reaches S3 over plain http (disableSSL=true)",
    allowed: "s3://bucket[/prefix]?region=<region>",
    fix: `pulumi config set stateBackendUrl '${s3}' --stack staging`,
  },
  {
    finding: "F-L3",
    what: "S3 endpoint=https://user:pw@…",
    stack: "staging",
    edits: bothStacks("stateBackendUrl", `${s3}&endpoint=https://minio:hunter2hunter2@minio.acme.internal`),
    key: "stateBackendUrl",
    value: q("(hidden)"),
    message: "and it has credentials in its endpoint (user:password@)",
    allowed: "s3://bucket[/prefix]?region=<region>",
    fix: `pulumi config set stateBackendUrl '${s3}&endpoint=https://minio.acme.internal' --stack staging`,
    secret: "hunter2hunter2",
  },
  {
    finding: "F-L4",
    what: "preDeployCommand with a database URL's password",
    stack: "staging",
    edits: { staging: { preDeployCommand: "psql postgres://admin:hunter2hunter2@db.acme.internal:5432/app -c 'select 1'" } },
    key: "preDeployCommand",
    value: q("(hidden)"),
    message: "holds what looks like a URL with a password in plain text",
    allowed: "one shell command line",
    fix: 'a script in the image that reads the URL from a Railway service variable, e.g. psql "$DATABASE_URL"',
    secret: "hunter2hunter2",
  },
  {
    finding: "F-L5",
    what: "branch .hidden",
    stack: "staging",
    edits: { staging: { developBranch: ".hidden" } },
    key: "developBranch",
    value: q(".hidden"),
    message: "is not allowed",
    allowed: "no part starting with .",
    fix: "pulumi config set developBranch develop --stack staging",
  },
  {
    finding: "F-L5",
    what: "branch HEAD",
    stack: "staging",
    edits: { staging: { defaultBranch: "HEAD" } },
    key: "defaultBranch",
    value: q("HEAD"),
    message: "is not allowed",
    allowed: "not HEAD",
    fix: "pulumi config set defaultBranch main --stack staging",
  },
  {
    finding: "F-L5",
    what: "programRef ../../x",
    stack: "staging",
    edits: { staging: { programRef: "../../x" } },
    key: "programRef",
    value: q("../../x"),
    message: "is not allowed",
    allowed: "no ..",
    fix: "pulumi config set programRef v1.0.0 --stack staging",
  },
  {
    finding: "F-L5",
    what: "a 100 KB healthCheckPath",
    stack: "staging",
    edits: { staging: { healthCheckPath: `/${"a".repeat(100 * 1024)}` } },
    key: "healthCheckPath",
    value: `${q(`/${"a".repeat(199)}`)}… (102401 characters; the first 200 shown)`,
    message: "is not allowed",
    allowed: "at most 200 characters",
    fix: "pulumi config set healthCheckPath /health --stack staging",
  },
  {
    finding: "F-L6",
    what: "stacks disagreeing on repository",
    stack: "production",
    edits: { production: { repository: "acme/another-app" } },
    key: "repository",
    value: q("acme/another-app"),
    message: "differs from staging's",
    allowed: "the same in both stacks: staging (stacks/Pulumi.staging.yaml) has acme/learning-voice-agent",
    fix: "pulumi config set repository acme/learning-voice-agent --stack production",
  },
  {
    finding: "F-L6",
    what: "stacks disagreeing on deliveryAppId",
    stack: "production",
    edits: { production: { deliveryAppId: "7777777" } },
    key: "deliveryAppId",
    value: q("7777777"),
    message: "differs from staging's",
    allowed: "DELIVERY_APP_ID, which staging (the governing stack) publishes, so production's own id would go unused",
    fix: "pulumi config set deliveryAppId 1234567 --stack production",
  },
  {
    finding: "F-H4",
    what: "the same App id for previews and deploys",
    stack: "staging",
    edits: { staging: { previewAppId: "1234567" } },
    key: "previewAppId",
    value: q("1234567"),
    message: "is not allowed",
    allowed: "previewAppId equals deliveryAppId",
    fix: "create a read-only GitHub App (docs/setup.md), then pulumi config set previewAppId <its id> --stack staging",
  },
];

describe("the review's 16 accepted bad inputs are refused", () => {
  it("counts the review's 16", () => {
    expect(accepted).toHaveLength(16);
  });

  it.each(accepted.map((c) => [`${c.finding}: ${c.what}`, c] as const))("%s", (_name, c) => {
    const { message, problems } = refusal(plan(c.stack, c.edits));
    expect(message).toMatch(new RegExp(`^Invalid configuration for stack "${c.stack}": 1 problem; nothing was created or changed\\.`));
    expect(problems).toHaveLength(1);
    const [problem] = problems;
    expect(problem?.key).toBe(c.key);
    expect(problem?.value).toBe(c.value);
    expect(problem?.message).toContain(c.message);
    expect(problem?.allowed).toContain(c.allowed);
    expect(problem?.fix).toContain(c.fix);
    if (c.secret !== undefined) expect(message).not.toContain(c.secret);
  });

  it("reports five of them at once, in one refusal", () => {
    const edits = Object.assign(
      {},
      ...accepted.filter((c) => ["F-L4", "F-L5"].includes(c.finding) && c.what !== "branch HEAD").map((c) => c.edits.staging),
      accepted[0]?.edits.staging,
    ) as Record<string, unknown>;
    const { message, problems } = refusal(plan("staging", { staging: edits }));
    expect(message).toMatch(/^Invalid configuration for stack "staging": 5 problems;/);
    expect(problems.map((p) => p.key).sort()).toEqual([
      "developBranch",
      "healthCheckPath",
      "preDeployCommand",
      "programRef",
      "secretRotatedAt",
    ]);
    for (const p of problems) {
      expect(p.allowed.length).toBeGreaterThan(10);
      expect(p.fix).toMatch(/pulumi config set|stacks\/Pulumi\.staging\.yaml/);
    }
  });

  it("tells staging too when production's repository or App differs, with the fix still on production", () => {
    const { problems } = refusal(plan("staging", { production: { repository: "acme/another-app", deliveryAppId: "7777777" } }));
    expect(problems.map((p) => [p.key, p.fix])).toEqual([
      ["repository", "pulumi config set repository acme/learning-voice-agent --stack production"],
      ["deliveryAppId", "pulumi config set deliveryAppId 1234567 --stack production"],
    ]);
  });
});

describe("the review's error-message findings (F-L7)", () => {
  it("prints a 1 MB unknown key's value cut short, saying how long it was", () => {
    const { message, problems } = refusal(plan("staging", { staging: { hugeUnknownKey: "x".repeat(1024 * 1024) } }));
    expect(message.length).toBeLessThan(1000);
    expect(problems).toEqual([
      {
        key: "hugeUnknownKey",
        value: `${q("x".repeat(200))}… (1048576 characters; the first 200 shown)`,
        message: "is not a setting of this program",
        allowed: "only the keys listed in Pulumi.yaml",
        fix: "pulumi config rm hugeUnknownKey --stack staging",
      },
    ]);
  });

  it("names the file and the fix for a YAML alias bomb", () => {
    const dir = stacksWith({});
    const file = join(dir, "Pulumi.staging.yaml");
    const levels = ["laugh0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
    for (let i = 1; i < 9; i++)
      levels.push(
        `laugh${i}: &l${i} [${Array<string>(10)
          .fill(`*l${i - 1}`)
          .join(", ")}]`,
      );
    writeFileSync(file, `${readFileSync(file, "utf8")}\n${levels.join("\n")}\n`);
    const input = readPlanInput(projectDir, "staging", dir);
    expect(input.kind).toBe("refused");
    const message = input.kind === "refused" ? input.message : "";
    expect(message.startsWith(`${file} is refused: its YAML aliases`)).toBe(true);
    expect(message).toContain(`Fix: write each value out in ${file}`);
    expect(message).not.toContain("Excessive alias count");
  });
});

describe("the review's controls are still accepted", () => {
  const controls: readonly (readonly [string, Stack, Edits])[] = [
    ["the unchanged staging stack", "staging", {}],
    ["the unchanged production stack", "production", {}],
    ["a punycode domain", "production", { production: { railwayDomain: "xn--bcher-kva.example" } }],
    ['preDeployCommand "" (unset)', "staging", { staging: { preDeployCommand: "" } }],
    ["dockerfile .git/config (inside the repository)", "staging", { staging: { dockerfile: ".git/config" } }],
    ["healthCheckPath //host/x (still a path)", "staging", { staging: { healthCheckPath: "//host/x" } }],
    ["healthCheckPath /$(reboot);x (never reaches a shell)", "staging", { staging: { healthCheckPath: "/$(reboot);x" } }],
    ["a self-hosted https Pulumi Cloud", "staging", bothStacks("stateBackendUrl", "https://pulumi.acme.internal")],
    ["s3://acme/../x", "staging", bothStacks("stateBackendUrl", "s3://acme/../x?region=eu-central-1")],
    ["gs://", "staging", bothStacks("stateBackendUrl", "gs://acme-pulumi-state")],
    ["file://~ (warns, elsewhere)", "staging", bothStacks("stateBackendUrl", "file://~")],
    ["secretRotatedAt with a real past date", "staging", { staging: { secretRotatedAt: { railwayToken: "2024-02-29" } } }],
    ["deployImage of the stack's own repository", "production", { production: { deployImage: `${ownImage}${digest}` } }],
    ["S3 with an https endpoint", "staging", bothStacks("stateBackendUrl", `${s3}&endpoint=https://minio.acme.internal:9000`)],
  ];

  it.each(controls)("%s", (_name, stack, edits) => {
    const input = plan(stack, edits);
    expect(input.kind === "refused" ? input.message : "valid").toBe("valid");
  });
});
