// README.md holds generated tables between two HTML comments; this swaps one table for its current text.

export type Markers = readonly [start: string, end: string];

/** The README with the text between `markers` (markers included) replaced by `section`. */
export function replaceReadmeSection(readme: string, markers: Markers, section: string): string {
  const start = readme.indexOf(markers[0]);
  const end = readme.indexOf(markers[1]);
  if (start < 0 || end < 0) throw new Error(`README.md lacks the markers ${markers[0]} … ${markers[1]}`);
  return readme.slice(0, start) + section + readme.slice(end + markers[1].length);
}
