/**
 * Replaces every known secret value in a line, so no log line or error of the
 * deploy command can echo one, even when Railway (or anything between) echoes
 * a request back re-encoded. For every value, and for every line of a
 * multi-line value, it replaces each form a server or a shell is known to
 * write it in:
 *
 * - the value itself;
 * - JSON-escaped, as JSON.stringify writes it inside a string, also with
 *   non-ASCII as \uXXXX (Python's default, lower- and upper-case hex) and with
 *   `<`, `>`, `&` as \u003c... (Go's default), and each of those escaped once
 *   more (a JSON string inside a JSON string, as in an echoed request body);
 * - base64 and base64url, also where the value sits inside a longer encoded
 *   text (`user:password` in a Basic header, a whole request body): the
 *   characters that only the value's bytes determine, at each of the three
 *   alignments;
 * - URL-encoded (encodeURIComponent, with `+` for spaces, and form encoding);
 * - shell-quoted: inside '...' (`'\''`), inside "..." and backslash-escaped.
 *
 * Forms are computed once, longest first, so a form containing another is
 * replaced whole. Not covered, by design: values and lines under 4
 * characters (replacing those would erase ordinary words), and a value
 * re-cased or otherwise transformed (upper-cased, Unicode-normalised,
 * truncated, split across two log lines).
 */
export function redactor(secrets: readonly string[]): (line: string) => string {
  const forms = [...new Set(secrets.flatMap(secretAndLines).flatMap(echoForms))]
    .filter((f) => f.length >= minimumLength)
    .sort((a, b) => b.length - a.length);
  return (line) => {
    let text = line;
    for (const form of forms) if (text.includes(form)) text = text.split(form).join(mark);
    return text;
  };
}

const mark = "[secret]";
const minimumLength = 4;

/** A value, and each line of it when it has several (a PEM, a JSON document): a log line may carry one line alone. */
export function secretAndLines(value: string): string[] {
  if (value.length < minimumLength) return [];
  const lines = value.includes("\n") ? value.split("\n").map((l) => l.replace(/\r$/, "")) : [];
  return [value, ...lines.filter((l) => l.length >= minimumLength)];
}

/** Every form of one value this redactor replaces (duplicates included; short ones too). */
export function echoForms(value: string): string[] {
  const json = jsonForms(value);
  return [
    value,
    ...json,
    ...json.map(jsonEscape),
    ...base64Forms(value),
    ...base64Forms(jsonEscape(value)),
    ...urlForms(value),
    ...shellForms(value),
  ];
}

/** As JSON.stringify writes the value inside a string, without the quotes. */
const jsonEscape = (value: string): string => JSON.stringify(value).slice(1, -1);

const hex4 = (c: string, upper: boolean): string => {
  const code = c.charCodeAt(0).toString(16).padStart(4, "0");
  return `\\u${upper ? code.toUpperCase() : code}`;
};

/** The JSON escapes servers write: JavaScript's, ASCII-only (lower- and upper-case hex), and Go's HTML-safe one. */
function jsonForms(value: string): string[] {
  const escaped = jsonEscape(value);
  const ascii = (upper: boolean): string => escaped.replace(/[\u0080-\uffff]/g, (c) => hex4(c, upper));
  const htmlSafe = ascii(false).replace(/[<>&]/g, (c) => hex4(c, false));
  return [escaped, ascii(false), ascii(true), htmlSafe];
}

/**
 * The value's base64 and base64url forms: the whole encoding (padded and not),
 * and, for a value at each of the 3 byte offsets inside a longer encoded text,
 * the characters that depend on the value's bytes alone.
 */
export function base64Forms(value: string): string[] {
  const bytes = Buffer.from(value, "utf8");
  const whole = bytes.toString("base64");
  const forms = [whole, whole.replace(/=+$/, "")];
  for (const offset of [0, 1, 2]) {
    const total = offset + bytes.length;
    // A character covers 6 bits: skip those holding bits of the bytes before, cut those holding bits of the bytes after.
    const start = Math.ceil((offset * 8) / 6);
    const end = Math.floor((total * 8) / 6);
    // Empty for a value too short to hold a whole character: left out with the other forms under 4 characters.
    forms.push(
      Buffer.concat([Buffer.alloc(offset), bytes])
        .toString("base64")
        .slice(start, end),
    );
  }
  return [...forms, ...forms.map((f) => f.replace(/\+/g, "-").replace(/\//g, "_"))];
}

/** encodeURIComponent, with `+` for spaces, and HTML form encoding (URLSearchParams); none for a lone surrogate, which no encoder writes. */
function urlForms(value: string): string[] {
  let component: string;
  try {
    component = encodeURIComponent(value);
  } catch {
    return [];
  }
  return [component, component.replace(/%20/g, "+"), new URLSearchParams({ v: value }).toString().slice(2)];
}

/** How a shell or a trace (`set -x`, printf %q) quotes the value: the text between the quotes. */
function shellForms(value: string): string[] {
  return [
    value.replace(/'/g, "'\\''"),
    value.replace(/'/g, `'"'"'`),
    value.replace(/["\\$`]/g, "\\$&"),
    value.replace(/[^A-Za-z0-9_\-.,:/@%+=^\n]/g, "\\$&"),
    value.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t"),
  ];
}
