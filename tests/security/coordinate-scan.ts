// The coordinate scan: looks for a person's or community's position in stored bytes, closer than
// about 1 km, however it was written down.
//
// - As text: any decimal rendering that agrees with the latitude or longitude to 2 decimals
//   (truncated or rounded), at any further precision: "31.13", "31.1396", "31.13962000".
//   A match must not follow a digit, a dot, or two digits and a colon, so the seconds of a
//   timestamp ("09:41:31.139Z") are not one, while JSON ("lat":31.13962) is.
// - As IEEE-754 bytes: the float64 of the value and of its roundings to 2..7 decimals, little- and
//   big-endian; float32 as (lon, lat) or (lat, lon) pairs, the way geometry is stored, exact and
//   rounded. A lone float32 is 4 bytes: in megabytes of ciphertext it matches by chance, so the scan
//   does not look for it (an 8-byte needle matches random bytes about once in 10^19 positions).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface Position {
  lon: number;
  lat: number;
}

export interface CoordinateHit {
  source: string;
  offset: number;
  /** What was found: "text 31.1396", "float64-le 31.14", "float32-be (lon, lat)". */
  form: string;
  value: number;
}

const roundTo = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;
const truncateTo = (value: number, decimals: number) => Math.trunc(value * 10 ** decimals) / 10 ** decimals;
const precisions = [2, 3, 4, 5, 6, 7];

function float64Bytes(value: number, littleEndian: boolean): Buffer {
  const bytes = Buffer.alloc(8);
  if (littleEndian) bytes.writeDoubleLE(value);
  else bytes.writeDoubleBE(value);
  return bytes;
}

function float32PairBytes(first: number, second: number, littleEndian: boolean): Buffer {
  const bytes = Buffer.alloc(8);
  if (littleEndian) {
    bytes.writeFloatLE(first, 0);
    bytes.writeFloatLE(second, 4);
  } else {
    bytes.writeFloatBE(first, 0);
    bytes.writeFloatBE(second, 4);
  }
  return bytes;
}

export interface CoordinateNeedles {
  /** One regular expression for every text rendering, and which value each 2-decimal prefix belongs to. */
  text: RegExp;
  prefixes: Map<string, number>;
  /** 8-byte needles (read as big-endian unsigned integers) to what they encode. */
  binary: Map<bigint, { form: string; value: number }>;
}

export function coordinateNeedles(positions: Position[]): CoordinateNeedles {
  const prefixes = new Map<string, number>();
  const binary = new Map<bigint, { form: string; value: number }>();
  for (const position of positions) {
    for (const value of [position.lon, position.lat]) {
      for (const near of [truncateTo(value, 2), roundTo(value, 2)]) prefixes.set(near.toFixed(2), value);
      for (const candidate of new Set([value, ...precisions.map((decimals) => roundTo(value, decimals))])) {
        for (const littleEndian of [true, false]) {
          binary.set(float64Bytes(candidate, littleEndian).readBigUInt64BE(0), {
            form: `float64-${littleEndian ? 'le' : 'be'} ${candidate}`,
            value,
          });
        }
      }
    }
    for (const decimals of [undefined, ...precisions]) {
      const lon = decimals === undefined ? position.lon : roundTo(position.lon, decimals);
      const lat = decimals === undefined ? position.lat : roundTo(position.lat, decimals);
      for (const littleEndian of [true, false]) {
        const endian = littleEndian ? 'le' : 'be';
        binary.set(float32PairBytes(lon, lat, littleEndian).readBigUInt64BE(0), {
          form: `float32-${endian} (lon, lat) ${lon},${lat}`,
          value: position.lat,
        });
        binary.set(float32PairBytes(lat, lon, littleEndian).readBigUInt64BE(0), {
          form: `float32-${endian} (lat, lon) ${lat},${lon}`,
          value: position.lat,
        });
      }
    }
  }
  const escaped = [...prefixes.keys()].map((prefix) => prefix.replace(/[.-]/g, (character) => `\\${character}`));
  const text = new RegExp(`(?<![0-9.])(?<![0-9]{2}:)(${escaped.join('|')})[0-9]*`, 'g');
  return { text, prefixes, binary };
}

/** Every coordinate found in a buffer, as text or as float bytes. */
export function scanBuffer(content: Buffer, source: string, needles: CoordinateNeedles): CoordinateHit[] {
  const hits: CoordinateHit[] = [];
  if (needles.prefixes.size > 0) {
    for (const match of content.toString('latin1').matchAll(needles.text)) {
      hits.push({ source, offset: match.index, form: `text ${match[0]}`, value: needles.prefixes.get(match[1]!)! });
    }
  }
  // One pass of 8-byte windows against the set of needles.
  for (let offset = 0; offset + 8 <= content.length; offset++) {
    const found = needles.binary.get(content.readBigUInt64BE(offset));
    if (found) hits.push({ source, offset, form: found.form, value: found.value });
  }
  return hits;
}

function filesUnder(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const full = path.join(directory, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

export function scanForCoordinates(directory: string, positions: Position[]): { files: number; bytes: number; hits: CoordinateHit[] } {
  const needles = coordinateNeedles(positions);
  const files = filesUnder(directory);
  let bytes = 0;
  const hits: CoordinateHit[] = [];
  for (const file of files) {
    const content = readFileSync(file);
    bytes += content.length;
    hits.push(...scanBuffer(content, file, needles));
  }
  return { files: files.length, bytes, hits };
}
