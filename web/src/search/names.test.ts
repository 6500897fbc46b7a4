// Names as people write them (issue 16): a table of ways one person's name is written, from five
// naming traditions, each found both ways by search and by tracing; and names that must stay apart.
import { describe, expect, it } from 'vitest';
import type { Person } from '#model/records';
import { person } from '../activation/test-records.ts';
import { buildTracingIndex, traceEnquiry } from '../tracing/match.ts';
import { buildSearchIndex, search } from './index.ts';
import { matchNames, nameTokens, queryTokens } from './names.ts';

type Tradition = 'Arabic' | 'Habesha' | 'Somali' | 'South Asian' | 'West African';

/** [written in the record, written by whoever asks, tradition]. */
const sameName: [string, string, Tradition][] = [
  ['Abdel Rahman Musa', 'Abdelrahman Musa', 'Arabic'],
  ['Abd al-Rahman Musa', 'Abdelrahman Musa', 'Arabic'],
  ['Abdurrahman Musa', 'Abdul Rahman Musa', 'Arabic'],
  ['Abdalrahman Idris', 'Abd al Rahman Idris', 'Arabic'],
  ['Mohammed Salem', 'Muhammad Salem', 'Arabic'],
  ['Mohamed Salem', 'Muhammad Salim', 'Arabic'],
  ['Nour el-Din Hamdi', 'Nureddin Hamdi', 'Arabic'],
  ['Nur ad-Din Hamdi', 'Nuruddin Hamdi', 'Arabic'],
  ['Salah al-Din Omar', 'Salahuddin Omar', 'Arabic'],
  ['Youssef Khaled', 'Yusuf Khalid', 'Arabic'],
  ['Hussein Zakaria', 'Husayn Sakaria', 'Arabic'],
  ['Abu Bakr Saleh', 'Abubakar Saleh', 'Arabic'],
  ['Ahmed bin Ali Hassan', 'Ahmed Ali Hassan', 'Arabic'],
  ['Abdel Aziz Fathi', 'Abdulaziz Fathi', 'Arabic'],
  ['Gebre Selassie Tesfaye', 'Gebreselassie Tesfaye', 'Habesha'],
  ['Tesfaye Gebreselassie', 'Gebre Selassie Tesfaye', 'Habesha'],
  ['Ghebremariam Haile', 'Gebre Mariam Haile', 'Habesha'],
  ['Wolde Mariam Yohannes', 'Weldemariam Yohanes', 'Habesha'],
  ['Hailemariam Desta', 'Haile Mariam Desta', 'Habesha'],
  ['Tesfamichael Berhe', 'Tesfa Mikael Berhe', 'Habesha'],
  ['Habte Giorgis Kidane', 'Habtegiyorgis Kidane', 'Habesha'],
  ['Tekle Haimanot Abraha', 'Teklehaimanot Abreha', 'Habesha'],
  ['Abdi Rahman Warsame', 'Abdirahman Warsama', 'Somali'],
  ['Abdullahi Hirsi', 'Abdillahi Hersi', 'Somali'],
  ['Mohamud Farah', 'Mahmoud Farah', 'Somali'],
  ['Abdiqadir Jama', 'Abdikadir Jama', 'Somali'],
  ['Fadumo Yusuf', 'Faduma Yousuf', 'Somali'],
  ['Hawo Abdi Nur', 'Hawa Abdinur', 'Somali'],
  ['Mohammad Rafique Chowdhury', 'Muhammad Rafiq Choudhury', 'South Asian'],
  ['Lakshmi Shrestha', 'Laxmi Srestha', 'South Asian'],
  ['Ram Bahadur Gurung', 'Rambahadur Gurung', 'South Asian'],
  ['Krishna Bahadur Tamang', 'Krishna Bahadoor Tamang', 'South Asian'],
  ['Abdul Karim Mia', 'Abdulkarim Miah', 'South Asian'],
  ['Rafiqul Islam', 'Rofiqul Islam', 'South Asian'],
  ['Habibur Rahman', 'Habibur Rehman', 'South Asian'],
  ['Ousmane Diallo', 'Usman Dialo', 'West African'],
  ['Oumar Traore', 'Umar Traoré', 'West African'],
  ['Souleymane Kouyate', 'Sulaiman Kuyate', 'West African'],
  ['Idrissa Sow', 'Idris Sow', 'West African'],
  ['Boubacar Keita', 'Boubakar Keïta', 'West African'],
  ['Aïssatou Bah', 'Aissatu Bah', 'West African'],
  ['Mamadou Ba', 'Mamadu Ba', 'West African'],
  ['Ibrahima Ould Cheikh', 'Ibrahim Cheikh', 'West African'],
];

/** Different people: a record and an enquiry that must not meet as the same name. */
const otherName: [string, string][] = [
  ['Abdelrahman Musa', 'Abdelaziz Musa'],
  ['Hailemariam Desta', 'Woldemariam Desta'],
  ['Sita Gurung', 'Gita Tamang'],
  ['Mohamed Salem', 'Mahmoud Farah'],
  ['Fatima Bah', 'Aissatou Diallo'],
  ['Ousmane Diallo', 'Oumar Traore'],
  // An l before t, d, s, z, r or n is part of these names, not an article.
  ['Kulsum Ahmed', 'Kassim Ahmed'],
  ['Hilda Bah', 'Huda Bah'],
  ['Nelson Obi', 'Nissan Obi'],
  ['Wilson Okafor', 'Wassan Okafor'],
  ['Soltan Farah', 'Sutton Farah'],
  ['Baldev Singh', 'Badve Singh'],
  ['Gulnara Aliyeva', 'Ganara Aliyeva'],
];

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const records: Person[] = sameName.map(([written], index) => person(id(index + 1), undefined, 'SD', {}, { name: written, history: [] }));

describe('names as people write them', () => {
  it('holds at least 40 pairs from five traditions', () => {
    expect(sameName.length).toBeGreaterThanOrEqual(40);
    expect(new Set(sameName.map(([, , tradition]) => tradition)).size).toBe(5);
  });

  const searchIndex = buildSearchIndex(records);
  const tracingIndex = buildTracingIndex(records);

  it.each(sameName.map(([written, asked, tradition], index) => [tradition, written, asked, index] as const))(
    '%s: "%s" and "%s" meet, each way, in search and in tracing',
    (_tradition, written, asked, index) => {
      const wanted = id(index + 1);
      expect(search(searchIndex, asked).map((hit) => hit.id)).toContain(wanted);
      const traced = traceEnquiry(tracingIndex, { name: asked }, 50).find((candidate) => candidate.id === wanted);
      expect(traced?.nameWords.matched).toBe(traced?.nameWords.of);
      // And the other way round: the record written as asked, the enquiry as the record wrote it.
      const reverse = matchNames(queryTokens(written), nameTokens(asked));
      expect(reverse.matched).toBe(reverse.of);
      expect(reverse.strong).toBe(true);
    },
  );

  it.each(otherName)('keeps "%s" and "%s" apart', (written, asked) => {
    const match = matchNames(queryTokens(asked), nameTokens(written));
    expect(match.matched === match.of && match.strong).toBe(false);
  });

  it('tells how each word met: written together, by sound, by a spelling slip', () => {
    const [together, sound] = matchNames(queryTokens('Abdel Rahman Mohammed'), nameTokens('Abdelrahman Muhammad')).pairings;
    expect(together).toMatchObject({ query: 'abdel rahman', record: 'Abdelrahman', way: 'joined' });
    expect(sound).toMatchObject({ query: 'mohammed', record: 'Muhammad', way: 'sound' });
    const apart = matchNames(queryTokens('Gebreselassie'), nameTokens('Gebre Selassie')).pairings;
    expect(apart).toEqual([{ query: 'gebreselassie', record: 'Gebre Selassie', way: 'joined', score: 4 }]);
  });

  it('needs a "son of" word only at the start or the end of a query, where it is a name (Ben, Ag)', () => {
    const index = buildSearchIndex([person(id(201), undefined, 'SD', {}, { name: 'Sarah Smith', history: [] })]);
    expect(search(index, 'Ben Smith')).toEqual([]);
    expect(search(index, 'bin ag')).toEqual([]);
    expect(search(index, 'Sarah bint Smith').map((hit) => hit.id)).toEqual([id(201)]);
    expect(matchNames(queryTokens('Ben Smith'), nameTokens('Sarah Smith')).matched).toBe(1);
  });

  it('ranks the name as written above a sound-alike and a spelling slip', () => {
    const index = buildSearchIndex([
      person(id(101), undefined, 'SD', {}, { name: 'Youssef Adam', history: [] }),
      person(id(102), undefined, 'SD', {}, { name: 'Yusuf Adam', history: [] }),
      person(id(103), undefined, 'SD', {}, { name: 'Youssof Adam', history: [] }),
    ]);
    expect(search(index, 'Youssef Adam').map((hit) => hit.id)[0]).toBe(id(101));
  });
});
