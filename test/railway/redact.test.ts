// The deploy command's redactor: every form of a secret a server or a shell echoes is replaced (security review F-M6).
import { describe, expect, it } from "vitest";
import { base64Forms, redactor } from "../../src/railway/redact";
import { describeLeaks, findLeaks, leakValue, valueClasses } from "../helpers/leakValues";

const json = (text: string): string => JSON.stringify(text).slice(1, -1);
const b64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");

describe("redactor", () => {
  /** How each form is written, by an encoder other than the redactor's own where one exists. */
  const echoes: Readonly<Record<string, (v: string) => string>> = {
    raw: (v) => v,
    "JSON-escaped": json,
    "JSON, non-ASCII as \\uXXXX (Python)": (v) => jsonAscii(v, false),
    "JSON, upper-case \\uXXXX": (v) => jsonAscii(v, true),
    "JSON, Go's HTML-safe escapes": (v) => jsonAscii(v, false).replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`),
    "JSON inside a JSON string": (v) => json(json(v)),
    "JSON inside a JSON string, \\uXXXX": (v) => json(jsonAscii(v, false)),
    base64: b64,
    base64url: (v) => Buffer.from(v, "utf8").toString("base64url"),
    "base64 of a whole JSON body": (v) => b64(JSON.stringify({ variables: { KEY: v } })),
    "base64 of user:password (Basic)": (v) => b64(`acmebot:${v}`),
    "base64 at the third alignment": (v) => b64(`ab${v}cd`),
    encodeURIComponent: encodeURIComponent,
    "URL, + for spaces": (v) => encodeURIComponent(v).replace(/%20/g, "+"),
    "form encoding (URLSearchParams)": (v) => new URLSearchParams({ k: v }).toString(),
    "shell single quotes": (v) => `'${v.replace(/'/g, "'\\''")}'`,
    "shell single quotes, '\"'\"'": (v) => `'${v.replace(/'/g, `'"'"'`)}'`,
    "shell double quotes": (v) => `"${v.replace(/["\\$`]/g, "\\$&")}"`,
    "shell ANSI-C quotes": (v) => `$'${v.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n").replace(/\r/g, "\\r")}'`,
  };

  function jsonAscii(v: string, upper: boolean): string {
    return json(v).replace(/[\u0080-\uffff]/g, (c) => {
      const hex = c.charCodeAt(0).toString(16).padStart(4, "0");
      return `\\u${upper ? hex.toUpperCase() : hex}`;
    });
  }

  describe.each(valueClasses)("%s values", (valueClass) => {
    const value = leakValue("someKey", valueClass);
    const redact = redactor([value.value]);
    it.each(Object.entries(echoes))("%s", (_, echo) => {
      const line = redact(`Railway rejected upsertVariables: ${echo(value.value)} (request 7)`);
      expect(findLeaks(line, [value]), describeLeaks(findLeaks(line, [value]))).toEqual([]);
      expect(line).toMatch(/^Railway rejected upsertVariables: .*\[secret\].* \(request 7\)$/s);
    });

    it("each line of it, on its own", () => {
      for (const line of value.value
        .split("\n")
        .map((l) => l.replace(/\r$/, ""))
        .filter((l) => l.length >= 4)) {
        expect(redact(`got ${line}.`)).toBe("got [secret].");
      }
    });
  });

  it("replaces a value containing another whole (longest first), and leaves values under 4 characters alone by design", () => {
    const redact = redactor(["abcd", "abcdefgh", "xyz"]);
    expect(redact("abcdefgh abcd xyz")).toBe("[secret] [secret] xyz");
    expect(redactor([""])("an empty secret erases nothing")).toBe("an empty secret erases nothing");
  });

  it("does not recognise a value re-cased (a documented non-goal)", () => {
    expect(redactor(["Sentinel-Value"])("SENTINEL-VALUE")).toBe("SENTINEL-VALUE");
  });

  it("a lone surrogate, which no URL encoder writes, is still replaced in its other forms", () => {
    const value = "key-\ud800-lone";
    expect(redactor([value])(`${value} ${json(value)}`)).toBe("[secret] [secret]");
  });

  it("base64Forms: the characters only the value's bytes set, at each alignment, match inside a longer encoding", () => {
    const value = "password-4c1f";
    for (const prefix of ["", "a", "ab", "abc"]) {
      const encoded = b64(`${prefix}${value}!`);
      expect(
        base64Forms(value).some((form) => form.length >= 12 && encoded.includes(form)),
        prefix,
      ).toBe(true);
    }
  });
});
