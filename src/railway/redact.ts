/** Replaces every known secret value in a line, so no log line or error can echo one. */
export function redactor(secrets: readonly string[]): (line: string) => string {
  // Longest first, so a secret containing another is replaced whole; short values would erase ordinary words.
  const values = [...new Set(secrets)].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  return (line) => values.reduce((text, value) => text.split(value).join("[secret]"), line);
}
