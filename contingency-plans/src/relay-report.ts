// What a CSO tells a requester after relaying its message: how many went out and failed, in all and
// by language. Relays reach people inside an approved area, so an exact small count says "two
// Nepali speakers live here". Like summaries (summary.ts), a count under the threshold is withheld
// (null), and a total is withheld whenever one of its language counts is, or the withheld one would
// be the total minus the others (issue 15, finding 6). The CSO's device withholds; the server
// refuses a report that does not.

/** Counts from 1 to RELAY_REPORT_THRESHOLD - 1 are never published. */
export const RELAY_REPORT_THRESHOLD = 5;

/** A published count, or null: withheld (small, or hidden so that a small one cannot be worked out). */
export type ReportedCount = number | null;

export interface RelayCounts<Count = number> {
  sent: Count;
  failed: Count;
}

export interface RelayReportOf<Count = number> extends RelayCounts<Count> {
  byLanguage: Record<string, RelayCounts<Count>>;
}

/** Exact counts, as the CSO's device knows them; never leave the device. */
export type RelayTally = RelayReportOf<number>;
/** What is sent to the server and shown to the requester. */
export type PublishedRelayReport = RelayReportOf<ReportedCount>;

const measures = ['sent', 'failed'] as const;

const withhold = (count: number): ReportedCount => (count > 0 && count < RELAY_REPORT_THRESHOLD ? null : count);

/** The report to publish from exact counts: small counts withheld, and the totals they would give away. */
export function withholdSmallCounts(tally: RelayTally): PublishedRelayReport {
  const byLanguage = Object.fromEntries(
    Object.entries(tally.byLanguage).map(([language, counts]) => [
      language,
      { sent: withhold(counts.sent), failed: withhold(counts.failed) },
    ]),
  );
  const report: PublishedRelayReport = { sent: withhold(tally.sent), failed: withhold(tally.failed), byLanguage };
  for (const measure of measures) if (Object.values(byLanguage).some((counts) => counts[measure] === null)) report[measure] = null;
  return report;
}

/** Why a report would give a small count away, or null when it does not (the server's check). */
export function relayReportProblem(report: PublishedRelayReport): string | null {
  const entries: [string, ReportedCount][] = [
    ['sent', report.sent],
    ['failed', report.failed],
    ...Object.entries(report.byLanguage).flatMap(([language, counts]): [string, ReportedCount][] => [
      [`byLanguage.${language}.sent`, counts.sent],
      [`byLanguage.${language}.failed`, counts.failed],
    ]),
  ];
  for (const [where, count] of entries) {
    if (count !== null && count > 0 && count < RELAY_REPORT_THRESHOLD)
      return `body.report.${where}: a count from 1 to ${RELAY_REPORT_THRESHOLD - 1} is withheld (null), not published`;
  }
  for (const measure of measures) {
    const languages = Object.values(report.byLanguage).map((counts) => counts[measure]);
    const total = report[measure];
    if (total === null) continue;
    if (languages.includes(null))
      return `body.report.${measure}: the total is withheld (null) when a language count is, or it would give that count away`;
    const sum = (languages as number[]).reduce((a, b) => a + b, 0);
    if (languages.length > 0 && sum !== total) return `body.report.${measure}: the languages add up to ${sum}, not ${total}`;
  }
  return null;
}
