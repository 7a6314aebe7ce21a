/**
 * Secret values that are hard to keep secret, and the search for every form
 * they can leak in (security review F-L9, section 3). An alphanumeric sentinel
 * found with `includes` misses a value that leaked escaped or encoded; these
 * values carry what breaks naive handling (shell metacharacters, newlines,
 * quotes and backslashes, non-ASCII, a 4 KB PEM, a JSON document), and the
 * search looks for each form a serializer, an encoder or a shell writes them in.
 *
 * API (shared with the real engine's state scan, test/engine/):
 *
 * - `valueClasses`: the six classes, `shell`, `newline`, `quotes`, `unicode`,
 *   `pem4k`, `json`.
 * - `leakValue(key, valueClass)`: the `LeakValue` `{ key, valueClass, mark,
 *   value }` of one secret key: a value of the class holding the key's marker
 *   (`leakMark(key, valueClass)`, 12 ASCII characters no real input holds).
 * - `classValues(keys, valueClass)`: every key's value of one class (one class per run);
 *   `rotatedValues(keys, turn)`: key i gets class (i + turn) mod 6, so six
 *   turns give every key every class.
 * - `leakForms(value, mark?)`: every form searched for, `{ form, text }`:
 *   `raw`; `json` (as JSON.stringify writes it inside a string), `json-ascii`
 *   (non-ASCII as \uXXXX), `json-twice` (a JSON string inside a JSON string);
 *   `base64` and `base64url` of the value and of its JSON form (whole, and
 *   where it sits inside a longer encoded text, a JSON document say: the
 *   characters its bytes alone determine, at each of the 3 alignments); `url` (encodeURIComponent) and `url-form` (URLSearchParams,
 *   `+` for spaces); `mark`, the marker alone; and for a multi-line value
 *   each `line` (trailing \r trimmed) and its `line-json` form. A line is
 *   searched when it holds the marker or is key material (16 or more base64
 *   characters, a PEM's body): the others (`second`, `}`, `"type":
 *   "service_account",`, a PEM's BEGIN line) are text any input may hold, and
 *   finding one proves nothing.
 * - `findLeaks(haystack, values, where?)`: every `Leak` `{ key, valueClass,
 *   form, where }` of those values in a text, or in a JSON-like value whose
 *   strings and keys are searched one by one (`where` is then the path, in
 *   the syntax of the recorder's secret paths: `environment.KEY`, `a[0].b`).
 *   A line several values share (the pem4k and json values of a worker share
 *   one PEM) is reported for each of them: the forms that hold the marker
 *   say which key it was.
 * - `describeLeaks(leaks)`: one line per leak, for an assertion's message.
 *
 * Not searched for: a value re-cased or Unicode-normalised, hashed, or split
 * across two strings; values under 4 characters (the deploy redactor leaves
 * those alone by design).
 */
import { createHash, createPrivateKey, generateKeyPairSync } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export const valueClasses = ["shell", "newline", "quotes", "unicode", "pem4k", "json"] as const;
export type ValueClass = (typeof valueClasses)[number];

export interface LeakValue {
  readonly key: string;
  readonly valueClass: ValueClass;
  /** Found alone, it proves part of the value leaked. */
  readonly mark: string;
  readonly value: string;
}

export type FormName =
  | "raw"
  | "json"
  | "json-ascii"
  | "json-twice"
  | "base64"
  | "base64url"
  | "url"
  | "url-form"
  | "mark"
  | "line"
  | "line-json";

export interface LeakForm {
  readonly form: FormName;
  readonly text: string;
}

export interface Leak {
  readonly key: string;
  readonly valueClass: ValueClass;
  readonly form: FormName;
  /** The surface, and inside a JSON-like haystack the path of the string that holds it. */
  readonly where: string;
}

const classTag: Readonly<Record<ValueClass, string>> = { shell: "SH", newline: "NL", quotes: "QU", unicode: "UN", pem4k: "PM", json: "JS" };

/** `LK<class><7 of the key's hash>Z`: one length for all, so no marker is part of another. */
export function leakMark(key: string, valueClass: ValueClass): string {
  const digest = createHash("sha256").update(key).digest("hex").slice(0, 7).toUpperCase();
  return `LK${classTag[valueClass]}${digest}Z`;
}

let pem: string | undefined;

/**
 * Where the key is kept between workers and runs: generating an RSA-5120 key
 * costs 3 to 6 s of CPU here, more than the leak tests themselves.
 */
const pemCache = join(__dirname, "..", "..", "node_modules", ".cache", "delivery-pipeline", "leak-pem4k.pem");

function cachedPem(): string | undefined {
  try {
    const text = readFileSync(pemCache, "utf8");
    createPrivateKey(text);
    return text;
  } catch {
    return undefined;
  }
}

function generatedPem(): string {
  const text = generateKeyPairSync("rsa", {
    modulusLength: 5120,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  }).privateKey;
  mkdirSync(dirname(pemCache), { recursive: true });
  // Written whole, then renamed: a worker reading it meanwhile sees no half-written key.
  const partial = `${pemCache}.${process.pid}`;
  writeFileSync(partial, text);
  renameSync(partial, pemCache);
  return text;
}

/**
 * A real PKCS#8 RSA-5120 private key (4,052 characters, 64-character lines),
 * generated with node:crypto once and kept (in the worker, and in
 * node_modules/.cache for the next worker and run): every value of the class shares it.
 */
export function pem4k(): string {
  pem ??= cachedPem() ?? generatedPem();
  return pem;
}

const pemEnd = "-----END PRIVATE KEY-----";

/** The PEM with the mark on its own line before `-----END`. */
function markedPem(mark: string, lines?: number): string {
  const all = pem4k().trimEnd().split("\n");
  const body = all.slice(1, -1);
  return [all[0], ...(lines === undefined ? body : body.slice(0, lines)), mark, pemEnd, ""].join("\n");
}

/** A Google service-account key file, as the console downloads it (2-space indent), holding part of the PEM. */
function serviceAccount(mark: string): string {
  const document = {
    type: "service_account",
    project_id: "acme-leak-test",
    private_key_id: `${mark.toLowerCase()}0123456789abcdef`,
    private_key: markedPem(mark, 6),
    client_email: `leak-${mark.toLowerCase()}@acme-leak-test.iam.gserviceaccount.com`,
    client_id: "104729104729104729",
    auth_uri: "https://accounts.google.com/o/oauth2/auth",
    token_uri: "https://oauth2.googleapis.com/token",
    note: `a "quoted" \\ ${mark}`,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** A value of the class with the mark in it (the review's shapes, section 3). */
export function classValue(valueClass: ValueClass, mark: string): string {
  switch (valueClass) {
    case "shell":
      return `x'"$(touch /tmp/pwn)\`id\`;|&<>*?~!#{}[] ${mark}`;
    case "newline":
      return `first-line-${mark}\nsecond\r\nthird-${mark}-line`;
    case "quotes":
      return `a"b'c\\d\\"e\\\\n ${mark} "end`;
    case "unicode":
      // Cyrillic, an emoji, a zero-width space, a right-to-left override, full-width letters, an accent. Composed (NFC):
      // GitHub's provider recomposes any other form, and the program refuses such a secret (normalizationProblems).
      return `ключ-🔑-\u200b-\u202e-ＭＡＲＫ-${mark}-\u00e9`;
    case "pem4k":
      return markedPem(mark);
    case "json":
      return serviceAccount(mark);
  }
}

export function leakValue(key: string, valueClass: ValueClass): LeakValue {
  const mark = leakMark(key, valueClass);
  return { key, valueClass, mark, value: classValue(valueClass, mark) };
}

/** Every key's value of one class. */
export function classValues(keys: readonly string[], valueClass: ValueClass): LeakValue[] {
  return keys.map((key) => leakValue(key, valueClass));
}

/** Key i gets class (i + turn) mod 6: in six turns every key meets every class. */
export function rotatedValues(keys: readonly string[], turn: number): LeakValue[] {
  return keys.map((key, i) => leakValue(key, valueClasses[(i + turn) % valueClasses.length] ?? "shell"));
}

const json = (text: string): string => JSON.stringify(text).slice(1, -1);
const jsonAscii = (text: string): string =>
  json(text).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

/** Whole, unpadded, and for each alignment k of 0..2 bytes into a longer text the characters the value's bytes alone set. */
function base64Texts(text: string): string[] {
  const bytes = Buffer.from(text, "utf8");
  const whole = bytes.toString("base64");
  const cores = [0, 1, 2].map((k) =>
    Buffer.concat([Buffer.alloc(k), bytes])
      .toString("base64")
      .slice(Math.ceil((k * 4) / 3), Math.floor(((k + bytes.length) * 4) / 3)),
  );
  return [whole, whole.replace(/=+$/, ""), ...cores].filter((t) => t.length >= 4);
}

const base64url = (text: string): string => text.replace(/\+/g, "-").replace(/\//g, "_");

/** The lines of a multi-line value only it holds: those with the mark, and key material (a PEM's body). */
function distinctiveLines(value: string, mark: string | undefined): string[] {
  if (!value.includes("\n")) return [];
  return value
    .split("\n")
    .map((line) => line.replace(/\r$/, ""))
    .filter((line) => (mark !== undefined && line.includes(mark)) || /^[A-Za-z0-9+/=]{16,}$/.test(line));
}

/** Every form of the value searched for, each text once (the first form that writes it names it). */
export function leakForms(value: string, mark?: string): LeakForm[] {
  const forms: LeakForm[] = [
    { form: "raw", text: value },
    { form: "json", text: json(value) },
    { form: "json-ascii", text: jsonAscii(value) },
    { form: "json-twice", text: json(json(value)) },
    // Of the value, and of its JSON form: what a JSON document holding it encodes.
    ...[value, json(value)].flatMap(base64Texts).map((text) => ({ form: "base64" as const, text })),
    ...[value, json(value)].flatMap(base64Texts).map((text) => ({ form: "base64url" as const, text: base64url(text) })),
    { form: "url", text: encodeURIComponent(value) },
    { form: "url-form", text: new URLSearchParams({ v: value }).toString().slice(2) },
    ...(mark === undefined ? [] : [{ form: "mark" as const, text: mark }]),
    ...distinctiveLines(value, mark).flatMap((line) => [
      { form: "line" as const, text: line },
      { form: "line-json" as const, text: json(line) },
    ]),
  ];
  const seen = new Set<string>();
  return forms.filter((f) => !seen.has(f.text) && seen.add(f.text));
}

/** A value's forms, split by whether they hold the mark: a string without the mark cannot hold those. */
interface Needles {
  readonly value: LeakValue;
  readonly withMark: readonly LeakForm[];
  readonly withoutMark: readonly LeakForm[];
}

const needlesCache = new Map<string, Needles>();

function needlesOf(value: LeakValue): Needles {
  const id = `${value.key}\u0000${value.mark}\u0000${value.value}`;
  let needles = needlesCache.get(id);
  if (needles === undefined) {
    const forms = leakForms(value.value, value.mark);
    needles = {
      value,
      withMark: forms.filter((f) => f.text.includes(value.mark)),
      withoutMark: forms.filter((f) => !f.text.includes(value.mark)),
    };
    needlesCache.set(id, needles);
  }
  return needles;
}

/** One search: the forms with a mark by value; those without by text, each searched once however many values share it. */
interface Search {
  readonly marked: readonly Needles[];
  readonly unmarked: ReadonlyMap<string, { readonly form: FormName; readonly values: LeakValue[] }>;
}

function searchOf(values: readonly LeakValue[]): Search {
  const marked = values.map(needlesOf);
  const unmarked = new Map<string, { form: FormName; values: LeakValue[] }>();
  for (const { value, withoutMark } of marked) {
    for (const f of withoutMark) {
      const entry = unmarked.get(f.text);
      if (entry === undefined) unmarked.set(f.text, { form: f.form, values: [value] });
      else entry.values.push(value);
    }
  }
  return { marked, unmarked };
}

function searchText(text: string, search: Search, where: string, found: Leak[]): void {
  for (const { value, withMark } of search.marked) {
    if (!text.includes(value.mark)) continue;
    for (const f of withMark) {
      if (text.includes(f.text)) found.push({ key: value.key, valueClass: value.valueClass, form: f.form, where });
    }
  }
  for (const [needle, { form, values }] of search.unmarked) {
    if (text.includes(needle)) for (const v of values) found.push({ key: v.key, valueClass: v.valueClass, form, where });
  }
}

function searchValue(haystack: unknown, search: Search, path: string, found: Leak[]): void {
  if (typeof haystack === "string") {
    searchText(haystack, search, path, found);
  } else if (Array.isArray(haystack)) {
    haystack.forEach((item, i) => {
      searchValue(item, search, `${path}[${i}]`, found);
    });
  } else if (typeof haystack === "object" && haystack !== null) {
    for (const [k, v] of Object.entries(haystack)) {
      const child = path === "" ? k : `${path}.${k}`;
      searchText(k, search, child, found);
      searchValue(v, search, child, found);
    }
  }
}

/** Every form of every value found in the haystack (a text, or a JSON-like value searched string by string). */
export function findLeaks(haystack: unknown, values: readonly LeakValue[], where = ""): Leak[] {
  const found: Leak[] = [];
  searchValue(haystack, searchOf(values), where, found);
  return found;
}

export function describeLeaks(leaks: readonly Leak[]): string {
  return leaks.map((l) => `${l.key} (${l.valueClass}) as ${l.form} in ${l.where === "" ? "the text" : l.where}`).join("\n");
}
