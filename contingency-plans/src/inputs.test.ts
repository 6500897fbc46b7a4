import { describe, expect, it } from 'vitest';
import { apportionNationalities, communityPointFromRecord, scaleBreakdown } from './inputs.ts';

describe('inputs', () => {
  it('splits a headcount across nationalities: known counts first, the rest evenly, adding up exactly', () => {
    expect(Object.fromEntries(apportionNationalities(10, [{ code: 'NP', count: 7 }, { code: 'BD' }]))).toEqual({ NP: 7, BD: 3 });
    expect(Object.fromEntries(apportionNationalities(10, [{ code: 'NP' }, { code: 'BD' }, { code: 'IN' }]))).toEqual({
      NP: 4,
      BD: 3,
      IN: 3,
    });
    expect(Object.fromEntries(apportionNationalities(5, [{ code: 'NP', count: 9 }]))).toEqual({ NP: 5 });
    expect(
      Object.fromEntries(
        apportionNationalities(12, [
          { code: 'NP', count: 2 },
          { code: 'BD', count: 3 },
        ]),
      ),
    ).toEqual({ NP: 6, BD: 6 });
    expect(Object.fromEntries(apportionNationalities(4, []))).toEqual({ unknown: 4 });
    expect(
      Object.fromEntries(
        scaleBreakdown(
          new Map([
            ['NP', 40],
            ['BD', 20],
          ]),
          10,
        ),
      ),
    ).toEqual({ NP: 7, BD: 3 });
  });

  it('flattens a web community record', () => {
    const point = communityPointFromRecord({
      id: 'c',
      location: { lon: 22.6, lat: 32.7 },
      headcount: { total: 40 },
      nationalities: [{ code: 'NP' }],
      needs: ['water'],
      vulnerabilities: ['children'],
    });
    expect(point).toEqual({
      id: 'c',
      lon: 22.6,
      lat: 32.7,
      headcount: 40,
      nationalities: [{ code: 'NP' }],
      needs: ['water'],
      vulnerabilities: ['children'],
    });
  });
});
