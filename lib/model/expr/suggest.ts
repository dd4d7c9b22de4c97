/**
 * "did you mean …" for a misspelt name: the closest candidate within a small
 * edit distance. Bounded so that a hostile document cannot make it quadratic:
 * only names up to SUGGEST_LIMITS.nameLength are compared, against the first
 * SUGGEST_LIMITS.candidates candidates (in the order given, so the choice is
 * deterministic), and at most SUGGEST_LIMITS.perDocument suggestions are made
 * inside one `withSuggestionBudget` (one document's validation).
 */
export const SUGGEST_LIMITS = { nameLength: 64, candidates: 200, perDocument: 100 } as const;

let comparisons = 0;
let remaining = Infinity;

/** How many edit-distance comparisons this module has made since the process started (tests assert bounded work with it). */
export function suggestionComparisons(): number {
  return comparisons;
}

/** Runs `fn` with at most `SUGGEST_LIMITS.perDocument` suggestions available to it (nested budgets restore the outer one). */
export function withSuggestionBudget<T>(fn: () => T): T {
  const outer = remaining;
  remaining = Math.min(outer, SUGGEST_LIMITS.perDocument);
  try {
    return fn();
  } finally {
    remaining = outer;
  }
}

export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  if (remaining <= 0 || word.length > SUGGEST_LIMITS.nameLength) return undefined;
  remaining--;
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  let seen = 0;
  for (const candidate of candidates) {
    if (seen++ >= SUGGEST_LIMITS.candidates) break;
    // The length difference is a lower bound of the distance: skip what cannot win without comparing.
    if (candidate.length > SUGGEST_LIMITS.nameLength || Math.abs(candidate.length - word.length) >= bestDistance) continue;
    comparisons++;
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

export function didYouMean(word: string, candidates: Iterable<string>): string {
  const best = suggest(word, candidates);
  return best ? `; did you mean '${best}'?` : '';
}

/** Candidates from several sources, read lazily (only as many as a suggestion looks at). */
export function* chain(...sources: Array<Iterable<string>>): Iterable<string> {
  for (const source of sources) yield* source;
}

// Lower-casing may lengthen a string (U+0130 becomes two code units): room for that.
const row = new Uint16Array(4 * SUGGEST_LIMITS.nameLength + 1);

function editDistance(a: string, b: string): number {
  for (let j = 0; j <= b.length; j++) row[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}
