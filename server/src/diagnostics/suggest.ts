// "Did you mean …": the closest known name by edit distance, only when it is close enough to be a typo.

/** Damerau–Levenshtein distance (optimal string alignment): a swapped pair of letters costs 1. */
export function editDistance(a: string, b: string): number {
  // Three rolling rows: the transposition looks two rows back.
  let before = new Uint16Array(b.length + 1);
  let previous = Uint16Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Uint16Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, before[j - 2] + 1);
      current[j] = best;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length];
}

/** Normalise the differences that are never intended: case, `-` vs `_`, spaces. */
const normalise = (name: string): string => name.toLowerCase().replace(/[-_\s]/g, '');

/**
 * The candidate closest to `name`, or undefined when none is plausibly meant. A candidate equal up to case
 * and separators always wins; otherwise the distance must be at most a third of the name's length (min 1, max 3).
 */
export function suggest(name: string, candidates: readonly string[]): string | undefined {
  // The same typo tends to repeat across aliases: remember answers per candidate list.
  let cache = cached.get(candidates);
  if (!cache || cache.size > 2000) cached.set(candidates, (cache = new Map()));
  if (!cache.has(name)) cache.set(name, closest(name, candidates));
  return cache.get(name);
}

const cached = new WeakMap<readonly string[], Map<string, string | undefined>>();

function closest(name: string, candidates: readonly string[]): string | undefined {
  const wanted = normalise(name);
  const limit = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const normalised = normalise(candidate);
    if (normalised === wanted) return candidate;
    const distance = editDistance(wanted, normalised);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** " Did you mean 'x'?" or '' for a message. */
export function didYouMean(suggestion: string | undefined): string {
  return suggestion === undefined ? '' : ` Did you mean '${suggestion}'?`;
}
