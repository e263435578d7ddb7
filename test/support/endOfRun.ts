// Summaries a suite wants printed once the whole run is over (the version matrix's table), so they sit
// next to the closing line CI reads instead of in the middle of the log. rootHooks.ts prints them.
const summaries: (() => string)[] = [];

export function printAtEndOfRun(summary: () => string): void {
  summaries.push(summary);
}

export function endOfRunSummaries(): string[] {
  return summaries.splice(0).map((summary) => summary());
}
