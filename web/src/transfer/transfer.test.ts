import { strToU8, zipSync } from 'fflate';
import { cellsOf, workbook } from '../../../tests/support/xlsx.ts';
import { HXL_PERSON_NAME, HXL_PERSON_NAME_LATIN } from '#model/hxl';
import { manifestHashtags } from '#plans';
import { describe, expect, it } from 'vitest';
import { demoRecords } from '#fixtures';
import { community as communitySchema } from '#model/records';
import { communityColumns, exportColumns, personColumns, toGeoJson, toHxlCsv } from './export.ts';
import { guessMapping, importRows, isoDate } from './mapping.ts';
import { parseCsv, parseXlsx } from './table.ts';

let counter = 0;
const newId = () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;
const context = { memberId: 'importer', at: '2011-03-01T08:00:00.000Z', newId, defaults: { status: 'stranded', siteType: 'other' } };

const spreadsheet = [
  'Site name,Latitude,Longitude,Number of people,Nationality,Needs,Status,Contact,Phone',
  'Brega dormitory,30.41,19.57,42,NP; IN,water food,Stranded,Hari Thapa,+977 980 000 0001',
  'No position camp,,,10,NP,water,stranded,,',
  'Bad needs site,30.5,19.6,12,BD,water teleportation,moving,,',
  '"Misrata, port",32.37,15.09,-3,EG,food,safe,,',
  'Sirte school,31.2,16.58,80,SD,shelter medical,sheltering,Osman Idris,0912345678',
].join('\n');

describe('spreadsheet import', () => {
  it('guesses the columns, imports good rows sealed-ready and refuses bad rows with reasons', () => {
    const parsed = parseCsv(spreadsheet);
    if (!parsed.ok) throw new Error(parsed.reason);
    const mapping = guessMapping(parsed.table, 'community');
    expect(mapping).toEqual([
      'name',
      'latitude',
      'longitude',
      'headcount',
      'nationalities',
      'needs',
      'status',
      'contactName',
      'contactPhone',
    ]);
    const result = importRows(parsed.table, mapping, 'community', context);
    expect(result.versions.map((version) => version.body.name)).toEqual(['Brega dormitory', 'Sirte school']);
    for (const version of result.versions) expect(communitySchema.safeParse(version.body).success).toBe(true);
    expect(result.versions[0]!.body).toMatchObject({
      nationalities: [{ code: 'NP' }, { code: 'IN' }],
      needs: ['water', 'food'],
      status: 'stranded',
    });
    expect(result.failures.map((failure) => failure.row)).toEqual([3, 4, 5]);
    expect(result.failures[0]!.reasons.join()).toMatch(/latitude and a longitude/);
    expect(result.failures[1]!.reasons.join()).toMatch(/teleportation/);
    expect(result.failures[2]!.reasons.join()).toMatch(/headcount/);
  });

  it("stores phones in E.164 read in the country of the row's place, and reports each one kept as written", () => {
    const parsed = parseCsv(spreadsheet);
    if (!parsed.ok) throw new Error(parsed.reason);
    // Inside Libya's box, Libya; elsewhere or nowhere, the country chosen for the import (Sudan here).
    const phoneCountry = (place: { lon: number; lat: number } | undefined) => (place && place.lat > 20 ? 'LY' : 'SD');
    const communities = importRows(parsed.table, guessMapping(parsed.table, 'community'), 'community', { ...context, phoneCountry });
    expect(communities.versions.map((version) => version.body.kind === 'community' && version.body.contact?.phone)).toEqual([
      '+9779800000001',
      '+218912345678',
    ]);
    expect(communities.notices).toEqual([]);
    const people = parseCsv(
      [
        'name,nationality,phone,family contact,family phone,community',
        'Sita,NP,091 234 5678,Ram,+977 984 1234567,Sirte school',
        'Hawa,SD,0912 345 678,,,',
        'Ali,EG,12 34,Omar,010 1234 5678,Sirte school',
      ].join('\n'),
    );
    if (!people.ok) throw new Error(people.reason);
    const result = importRows(people.table, guessMapping(people.table, 'person'), 'person', {
      ...context,
      phoneCountry,
      communities: communities.versions.map((version) => version.body as never),
    });
    expect(result.failures).toEqual([]);
    expect(
      result.versions.map((version) => version.body.kind === 'person' && [version.body.phone, version.body.familyContact?.phone]),
    ).toEqual([
      ['+218912345678', '+9779841234567'],
      ['+249912345678', undefined],
      ['12 34', '010 1234 5678'],
    ]);
    expect(result.notices).toEqual([
      { row: 4, field: 'phone', typed: '12 34', problem: 'too-short' },
      { row: 4, field: 'familyPhone', typed: '010 1234 5678', problem: 'too-long' },
    ]);
  });

  it('reads KoboToolbox exports: group paths, ; separators and _latitude columns', () => {
    const kobo = [
      'start;end;group_site/site_name;group_site/people;_location_latitude;_location_longitude;_location_precision;group_site/nationality',
      '2023-04-20;2023-04-20;Omdurman market;25;15.64;32.48;4.5;ER ET',
    ].join('\n');
    const parsed = parseCsv(kobo);
    if (!parsed.ok) throw new Error(parsed.reason);
    const mapping = guessMapping(parsed.table, 'community');
    expect(mapping.slice(2)).toEqual(['name', 'headcount', 'latitude', 'longitude', 'positionAccuracy', 'nationalities']);
    const result = importRows(parsed.table, mapping, 'community', context);
    expect(result.failures).toEqual([]);
    // The position keeps where it came from and the geopoint's accuracy in metres (issue 16).
    expect(result.versions[0]!.body).toMatchObject({
      location: { lat: 15.64, lon: 32.48, source: 'imported', accuracy: 4.5 },
      nationalities: [{ code: 'ER' }, { code: 'ET' }],
    });
  });

  it("reads an ODK geopoint's accuracy, and a position's accuracy back from this app's own export (its source is an import's)", () => {
    const odk = ['name,people,site,nationality', 'Derna port,12,32.7667 22.6389 5 3.9,EG'].join('\n');
    const parsed = parseCsv(odk);
    if (!parsed.ok) throw new Error(parsed.reason);
    const mapping = guessMapping(parsed.table, 'community');
    mapping[2] = 'geopoint';
    const [version] = importRows(parsed.table, mapping, 'community', context).versions;
    expect(version!.body.location).toEqual({ lat: 32.7667, lon: 22.6389, source: 'imported', accuracy: 3.9 });
    const [community] = demoRecords().communities;
    const gps = { ...community!, location: { lon: 20.0667, lat: 32.1167, source: 'gps' as const, accuracy: 12 } };
    const again = parseCsv(toHxlCsv([gps], communityColumns));
    if (!again.ok) throw new Error(again.reason);
    const back = importRows(again.table, guessMapping(again.table, 'community'), 'community', context);
    // A file's "gps" is the file's claim: the position is imported, with the accuracy it gave.
    expect(back.versions[0]!.body.location).toEqual({ ...gps.location, source: 'imported' });
  });

  it('reads people and keeps the refugee rule: own-consulate consent refused for a refugee', () => {
    const people = [
      'name,name latin,sex,nationality,dob,refugee,consent consulate,passport',
      'سلمى,Salma,F,SD,02/03/1990,no,yes,confiscated',
      'آدم,Adam,M,SD,1988-01-01,yes,yes,held',
    ].join('\n');
    const parsed = parseCsv(people);
    if (!parsed.ok) throw new Error(parsed.reason);
    const mapping = guessMapping(parsed.table, 'person');
    expect(mapping).toEqual(['name', 'nameLatin', 'sex', 'nationality', 'dateOfBirth', 'refugee', 'consent.ownConsulate', 'passport']);
    const result = importRows(parsed.table, mapping, 'person', context);
    expect(result.versions).toHaveLength(1);
    expect(result.versions[0]!.body).toMatchObject({
      name: 'سلمى',
      sex: 'female',
      dateOfBirth: '1990-03-02',
      consent: { ownConsulate: true },
    });
    expect(result.failures[0]!.reasons.join()).toMatch(/refugee/);
  });

  it('reads the first sheet of an XLSX workbook: shared and inline strings, rich text, gaps, a date cell', async () => {
    const rows = new Map([
      [
        1,
        `<c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c>${cellsOf(1, [null, null, null, null, 'nationality', 'seen'])}`,
      ],
      // 45992 is Excel's serial for 2025-12-01, a date because of its number format (style 1: format 14).
      [2, `<c r="A2" t="s"><v>4</v></c>${cellsOf(2, [null, 32.1, 20.07, 17, 'PH'])}<c r="F2" s="1"><v>45992</v></c>`],
      [4, cellsOf(4, ['Tom & Co', null, null, 3])],
    ]);
    const shared = [
      '<si><t>name</t></si>',
      '<si><t>lat</t></si>',
      '<si><t>lon</t></si>',
      '<si><r><t>people</t></r></si>',
      '<si><r><t>Benghazi</t></r><r><t xml:space="preserve"> clinic</t></r></si>',
    ];
    const parsed = await parseXlsx(workbook(rows, shared));
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.table.headers).toEqual(['name', 'lat', 'lon', 'people', 'nationality', 'seen']);
    expect(parsed.table.rows).toEqual([
      ['Benghazi clinic', '32.1', '20.07', '17', 'PH', '2025-12-01'],
      ['Tom & Co', '', '', '3', '', ''],
    ]);
    expect(parsed.table.rowNumbers).toEqual([2, 4]);
    expect((await parseXlsx(strToU8('not a zip'))).ok).toBe(false);
    expect((await parseXlsx(zipSync({ 'xl/worksheets/sheet1.xml': strToU8('<worksheet/>') }))).ok).toBe(false);
  });

  it('understands an HXL tag row and Excel date serials', () => {
    const parsed = parseCsv('a,b,c,d\n#loc+name,#geo+lat,#geo+lon,#affected\nX,1,2,3');
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.table.rows).toHaveLength(1);
    expect(guessMapping(parsed.table, 'community')).toEqual(['name', 'latitude', 'longitude', 'headcount']);
    expect(isoDate('32874')).toBe('1990-01-01');
  });
});

describe('export', () => {
  const { communities, persons } = demoRecords();

  it('writes CSV with an HXL tag row that reads back with the same columns', () => {
    const text = toHxlCsv(communities, communityColumns);
    const parsed = parseCsv(text);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.table.tags).toContain('#geo+lat');
    expect(parsed.table.rows).toHaveLength(communities.length);
    const result = importRows(parsed.table, guessMapping(parsed.table, 'community'), 'community', context);
    expect(result.failures).toEqual([]);
    expect(result.versions[0]!.body.name).toBe(communities[0]!.name);
    expect(toHxlCsv(persons, personColumns).split('\r\n')[1]).toContain('#indicator+consent+consulate');
  });

  it("tags a person's name as the manifests and the plans do (#beneficiary+name), and reads it, and older exports, back", () => {
    const parsed = parseCsv(toHxlCsv(persons.slice(0, 3), personColumns));
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.table.tags?.slice(0, 4)).toContain(HXL_PERSON_NAME);
    expect(manifestHashtags).toContain(HXL_PERSON_NAME);
    const mapping = guessMapping(parsed.table, 'person');
    expect(mapping[parsed.table.tags!.indexOf(HXL_PERSON_NAME)]).toBe('name');
    expect(mapping[parsed.table.tags!.indexOf(HXL_PERSON_NAME_LATIN)]).toBe('nameLatin');
    for (const older of ['#name', '#affected+name'])
      expect(guessMapping({ headers: ['Full name'], tags: [older] }, 'person')).toEqual(['name']);
  });

  it("writes phones in E.164 read in the country of each record's place (a person's own, else their community's), else as typed", () => {
    const [first, second] = communities;
    const phoneCountryOf = (place: { lon: number; lat: number } | undefined) => (place === undefined ? null : place.lon > 25 ? 'SD' : 'LY');
    const inLibya = { ...first!, location: { lon: 20.07, lat: 32.12 }, contact: { name: 'Hawa', phone: '092 555 0147' } };
    const inSudan = { ...second!, location: { lon: 32.53, lat: 15.6 }, contact: { name: 'Osman', phone: 'ask at the gate' } };
    const columns = exportColumns([inLibya, inSudan], phoneCountryOf);
    const rows = parseCsv(toHxlCsv([inLibya, inSudan], columns.communities));
    if (!rows.ok) throw new Error(rows.reason);
    const phone = rows.table.headers.indexOf('contact phone');
    expect(rows.table.rows.map((row) => row[phone])).toEqual(['+218925550147', 'ask at the gate']);
    const [person] = persons;
    const atCommunity = { ...person!, location: undefined, communityId: inSudan.id, phone: '0912 345 678', familyContact: undefined };
    const own = { ...person!, id: newId(), location: { lon: 13.19, lat: 32.89 }, phone: '0912 345 678', familyContact: undefined };
    const people = parseCsv(toHxlCsv([atCommunity, own], columns.persons));
    if (!people.ok) throw new Error(people.reason);
    const personPhone = people.table.headers.indexOf('phone');
    expect(people.table.rows.map((row) => row[personPhone])).toEqual(['+249912345678', '+218912345678']);
    // Without a country, only numbers written with their "+" are rewritten.
    expect(toHxlCsv([atCommunity], personColumns)).toContain(',0912 345 678,');
  });

  it('never writes a cell a spreadsheet would run as a formula, and keeps phone numbers', () => {
    const [community] = communities;
    const hostile = { ...community!, name: '=HYPERLINK("x")', placeName: '-cmd', contact: { name: 'Hawa', phone: '+218-92-555-01' } };
    const row = toHxlCsv([hostile], communityColumns).split('\r\n')[2]!;
    expect(row).toContain(`"'=HYPERLINK(""x"")"`);
    expect(row).toContain(",'-cmd,");
    // Too short to be read as a number, so written as typed: a signed number runs nothing and keeps no apostrophe.
    expect(row).toContain(',+218-92-555-01,');
  });

  it('writes RFC 7946 GeoJSON: longitude first', () => {
    const geojson = toGeoJson(communities);
    expect(geojson.features).toHaveLength(communities.length);
    expect(geojson.features[0]!.geometry.coordinates[0]).toBeCloseTo(communities[0]!.location.lon, 5);
  });
});
