import { describe, expect, it } from 'vitest';
import { readCoordinates } from './coordinates.ts';

const near = (reading: ReturnType<typeof readCoordinates>, lat: number, lon: number) => {
  expect(reading.ok).toBe(true);
  if (!reading.ok) return;
  expect(reading.lat).toBeCloseTo(lat, 4);
  expect(reading.lon).toBeCloseTo(lon, 4);
};

describe('typed coordinates', () => {
  it('reads decimal degrees, latitude first', () => {
    near(readCoordinates('32.1167, 20.0667'), 32.1167, 20.0667);
    near(readCoordinates('32.1167 20.0667'), 32.1167, 20.0667);
    near(readCoordinates('15.6; 32.53'), 15.6, 32.53);
    // One decimal is a decimal, not minutes: 15.6 is 15.6°, not 15°6'.
    near(readCoordinates('-12.5, 130.8'), -12.5, 130.8);
    // Decimal commas, as French and Arabic keyboards write them.
    near(readCoordinates('32,1167 20,0667'), 32.1167, 20.0667);
    near(readCoordinates('32,1167; -20,0667'), 32.1167, -20.0667);
  });

  it('reads degrees, minutes and seconds with the marks people type or paste', () => {
    near(readCoordinates(`32°07'00"N 20°04'00"E`), 32 + 7 / 60, 20 + 4 / 60);
    near(readCoordinates('32°07′00″N, 20°04′00″E'), 32 + 7 / 60, 20 + 4 / 60);
    near(readCoordinates("N32°07.0' E020°04.0'"), 32 + 7 / 60, 20 + 4 / 60);
    near(readCoordinates("32° 07' N 20° 04' E"), 32 + 7 / 60, 20 + 4 / 60);
    near(readCoordinates('15d36S, 32d32W'), -(15 + 36 / 60), -(32 + 32 / 60));
    // Longitude first is read as such when the hemispheres say so.
    near(readCoordinates(`20°04'E 32°07'N`), 32 + 7 / 60, 20 + 4 / 60);
  });

  it('says why it cannot read a position', () => {
    expect(readCoordinates('  ')).toEqual({ ok: false, problem: 'empty' });
    expect(readCoordinates('32.1')).toEqual({ ok: false, problem: 'two-parts' });
    expect(readCoordinates('1, 2, 3')).toEqual({ ok: false, problem: 'two-parts' });
    expect(readCoordinates('Benghazi port, 20')).toEqual({ ok: false, problem: 'unreadable' });
    expect(readCoordinates('95, 20')).toEqual({ ok: false, problem: 'unreadable' });
    expect(readCoordinates('32N, 20N')).toEqual({ ok: false, problem: 'unreadable' });
  });
});
