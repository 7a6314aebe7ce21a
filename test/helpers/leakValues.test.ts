// The leak search finds each form it names, in a text and inside a JSON-like value, and nothing in ordinary text.
import { describe, expect, it } from "vitest";
import { findLeaks, leakForms, leakMark, leakValue, rotatedValues, valueClasses, type FormName } from "./leakValues";

const json = (text: string): string => JSON.stringify(text).slice(1, -1);

describe("leak values", () => {
  it("give each key of each class its own marker, of one length, inside its value", () => {
    const keys = ["railwayToken", "anthropicApiKey", "deliveryAppPrivateKey"];
    const marks = valueClasses.flatMap((c) => keys.map((k) => leakMark(k, c)));
    expect(new Set(marks).size).toBe(marks.length);
    expect(new Set(marks.map((m) => m.length))).toEqual(new Set([12]));
    for (const c of valueClasses) for (const k of keys) expect(leakValue(k, c).value).toContain(leakMark(k, c));
  });

  it("pem4k is a real PKCS#8 key of about 4 KB with the mark before -----END; json holds part of it", () => {
    const pem = leakValue("k", "pem4k");
    expect(pem.value).toMatch(
      /^-----BEGIN PRIVATE KEY-----\n([A-Za-z0-9+/=]{64}\n)+[A-Za-z0-9+/=]+\nLKPM[0-9A-F]{7}Z\n-----END PRIVATE KEY-----\n$/,
    );
    expect(pem.value.length).toBeGreaterThan(4000);
    const document = JSON.parse(leakValue("k", "json").value) as { type: string; private_key: string };
    expect(document.type).toBe("service_account");
    expect(pem.value.startsWith(document.private_key.split("\n").slice(0, 3).join("\n"))).toBe(true);
  });

  it("rotate: in six turns every key meets every class", () => {
    const keys = ["a", "b", "c", "d", "e", "f", "g"];
    const met = valueClasses.flatMap((_, turn) => rotatedValues(keys, turn).map((v) => `${v.key}:${v.valueClass}`));
    expect(new Set(met).size).toBe(keys.length * valueClasses.length);
  });
});

describe("findLeaks", () => {
  const value = leakValue("someKey", "newline");
  const v = value.value;
  const b64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");
  const cases: readonly [FormName, string][] = [
    ["raw", v],
    ["json", JSON.stringify({ v })],
    ["json-twice", JSON.stringify({ d: JSON.stringify({ v }) })],
    ["base64", b64(v)],
    ["base64", b64(`user:${v}`)],
    ["url", `?v=${encodeURIComponent(v)}`],
    ["mark", `only ${value.mark} survived`],
    ["line", `third-${value.mark}-line alone`],
  ];

  it.each(cases)("finds the %s form in %j", (form, haystack) => {
    expect(findLeaks(haystack, [value]).map((l) => l.form)).toContain(form);
  });

  it("finds non-ASCII escaped as \\uXXXX, and URL form encoding", () => {
    const unicode = leakValue("someKey", "unicode");
    const ascii = json(unicode.value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
    expect(findLeaks(`{"v":"${ascii}"}`, [unicode]).map((l) => l.form)).toContain("json-ascii");
    const shell = leakValue("someKey", "shell");
    expect(findLeaks(new URLSearchParams({ v: shell.value }).toString(), [shell]).map((l) => l.form)).toContain("url-form");
    // The shell value's encoding holds + or /, where base64url differs.
    expect(findLeaks(Buffer.from(`ab${shell.value}`).toString("base64url"), [shell]).map((l) => l.form)).toContain("base64url");
  });

  it("names the path of each string of a JSON-like value, and searches keys too", () => {
    const haystack = { environment: { SERVICE_VARIABLES: JSON.stringify({ K: v }) }, list: ["x", { [value.mark]: 1 }] };
    expect(findLeaks(haystack, [value], "inputs").map((l) => `${l.where} ${l.form}`)).toEqual(
      expect.arrayContaining(["inputs.environment.SERVICE_VARIABLES json", "inputs.list[1]." + value.mark + " mark"]),
    );
  });

  it("finds nothing in ordinary text: lines without the mark that any input may hold are not searched", () => {
    const haystack = 'second\n{\n  "type": "service_account",\n-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----';
    const values = valueClasses.map((c) => leakValue("someKey", c));
    expect(findLeaks(haystack, values)).toEqual([]);
    // Forms that write a text another form wrote are searched once: "plain" is its own JSON and URL form.
    expect(leakForms("plain").map((f) => f.form)).toEqual(["raw", "base64", "base64", "base64", "base64", "base64"]);
  });
});
