/** "Did you mean": the candidate nearest to a mistyped key, if it is near enough to be a typo. */

export function editDistance(a: string, b: string): number {
  // Each UTF-16 unit lowercased once (unit by unit: "İ" lowercases to two units), not once per pair compared.
  const left = Array.from({ length: a.length }, (_, i) => a.charAt(i).toLowerCase());
  const right = Array.from({ length: b.length }, (_, j) => b.charAt(j).toLowerCase());
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0] ?? 0;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j] ?? 0;
      const cost = left[i - 1] === right[j - 1] ? 0 : 1;
      previous[j] = Math.min(above + 1, (previous[j - 1] ?? 0) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return previous[b.length] ?? 0;
}

export function closest(key: string, candidates: readonly string[]): string | undefined {
  // A third of the length: catches swapped, missing and wrong-case letters, not unrelated words.
  const nearEnough = Math.max(2, Math.floor(key.length / 3));
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    // The distance is at least the difference in length: a candidate that cannot be near enough is not measured.
    if (Math.abs(candidate.length - key.length) > nearEnough) continue;
    const distance = editDistance(key, candidate);
    if (best === undefined || distance < best.distance) best = { candidate, distance };
  }
  return best !== undefined && best.distance <= nearEnough ? best.candidate : undefined;
}
