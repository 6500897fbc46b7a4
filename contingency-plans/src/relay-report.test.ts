import { describe, expect, it } from 'vitest';
import { RELAY_REPORT_THRESHOLD, relayReportProblem, withholdSmallCounts, type RelayTally } from './relay-report.ts';

const tally = (byLanguage: Record<string, number>, failed: Record<string, number> = {}): RelayTally => {
  const languages = [...new Set([...Object.keys(byLanguage), ...Object.keys(failed)])];
  const counts = Object.fromEntries(
    languages.map((language) => [language, { sent: byLanguage[language] ?? 0, failed: failed[language] ?? 0 }]),
  );
  const sum = (measure: 'sent' | 'failed') => Object.values(counts).reduce((total, count) => total + count[measure], 0);
  return { sent: sum('sent'), failed: sum('failed'), byLanguage: counts };
};

describe('relay reports', () => {
  it('publishes counts at or above the threshold, and zero, as they are', () => {
    const report = withholdSmallCounts(tally({ ne: 12, ar: 5 }));
    expect(report).toEqual({ sent: 17, failed: 0, byLanguage: { ne: { sent: 12, failed: 0 }, ar: { sent: 5, failed: 0 } } });
    expect(relayReportProblem(report)).toBeNull();
  });

  it('withholds a small count, and the total that would give it away', () => {
    // 12 Nepali and 2 Arabic speakers: published as is, 14 - 12 would say "2 Arabic speakers here".
    const report = withholdSmallCounts(tally({ ne: 12, ar: 2 }));
    expect(report.byLanguage.ar!.sent).toBeNull();
    expect(report.sent).toBeNull();
    expect(report.byLanguage.ne!.sent).toBe(12);
    expect(relayReportProblem(report)).toBeNull();
    // One small language alone: withheld, and so is the total.
    expect(withholdSmallCounts(tally({ ne: 1 }))).toEqual({ sent: null, failed: 0, byLanguage: { ne: { sent: null, failed: 0 } } });
    // Failures are counted the same way, on their own.
    const failures = withholdSmallCounts(tally({ ne: 20 }, { ne: 3 }));
    expect(failures).toEqual({ sent: 20, failed: null, byLanguage: { ne: { sent: 20, failed: null } } });
  });

  it('lets the server refuse a report that publishes a small count, or a total that gives one away', () => {
    for (const small of [1, RELAY_REPORT_THRESHOLD - 1]) {
      expect(relayReportProblem({ sent: small, failed: 0, byLanguage: { ne: { sent: small, failed: 0 } } })).toMatch(
        /body\.report\.sent: a count from 1 to 4 is withheld/,
      );
    }
    expect(relayReportProblem({ sent: 14, failed: 0, byLanguage: { ne: { sent: 12, failed: 0 }, ar: { sent: null, failed: 0 } } })).toMatch(
      /total is withheld/,
    );
    expect(relayReportProblem({ sent: 20, failed: 0, byLanguage: { ne: { sent: 12, failed: 0 }, ar: { sent: 5, failed: 0 } } })).toMatch(
      /add up to 17, not 20/,
    );
    expect(
      relayReportProblem({ sent: null, failed: 0, byLanguage: { ne: { sent: 12, failed: 0 }, ar: { sent: null, failed: 0 } } }),
    ).toBeNull();
  });
});
