// Making names comparable across scripts and spellings: fold to plain Latin letters, romanise
// Arabic-script and Devanagari/Bengali names roughly, and reduce a name to a sound key so that
// "Mohamed", "Muhammad" and "محمد" meet. Rough on purpose: tracing wants recall, a person checks.

/** Lower case, no diacritics, Latin letters and digits only, words separated by one space. */
export function foldLatin(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/æ/g, 'ae')
    .replace(/œ/g, 'oe')
    .replace(/[øǿ]/g, 'o')
    .replace(/[đð]/g, 'd')
    .replace(/ı/g, 'i')
    .replace(/ł/g, 'l')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const arabicLetters: Record<string, string> = {
  ا: 'a',
  أ: 'a',
  إ: 'i',
  آ: 'a',
  ٱ: 'a',
  ب: 'b',
  پ: 'p',
  ت: 't',
  ث: 'th',
  ٹ: 't',
  ج: 'j',
  چ: 'ch',
  ح: 'h',
  خ: 'kh',
  د: 'd',
  ڈ: 'd',
  ذ: 'dh',
  ر: 'r',
  ڑ: 'r',
  ز: 'z',
  ژ: 'zh',
  س: 's',
  ش: 'sh',
  ص: 's',
  ض: 'd',
  ط: 't',
  ظ: 'z',
  ع: '',
  غ: 'gh',
  ف: 'f',
  ق: 'q',
  ك: 'k',
  ک: 'k',
  گ: 'g',
  ل: 'l',
  م: 'm',
  ن: 'n',
  ں: 'n',
  ه: 'h',
  ہ: 'h',
  ھ: 'h',
  ة: 'a',
  و: 'u',
  ؤ: 'u',
  ي: 'i',
  ی: 'i',
  ى: 'a',
  ئ: 'i',
  ے: 'e',
  ء: '',
};

// Devanagari consonants carry an inherent "a", dropped before a vowel sign or a virama.
const devanagariConsonants: Record<string, string> = {
  क: 'k',
  ख: 'kh',
  ग: 'g',
  घ: 'gh',
  ङ: 'ng',
  च: 'ch',
  छ: 'chh',
  ज: 'j',
  झ: 'jh',
  ञ: 'ny',
  ट: 't',
  ठ: 'th',
  ड: 'd',
  ढ: 'dh',
  ण: 'n',
  त: 't',
  थ: 'th',
  द: 'd',
  ध: 'dh',
  न: 'n',
  प: 'p',
  फ: 'ph',
  ब: 'b',
  भ: 'bh',
  म: 'm',
  य: 'y',
  र: 'r',
  ल: 'l',
  व: 'v',
  श: 'sh',
  ष: 'sh',
  स: 's',
  ह: 'h',
  ळ: 'l',
  ड़: 'r',
  ढ़: 'rh',
  य़: 'y',
};
const devanagariVowels: Record<string, string> = {
  अ: 'a',
  आ: 'aa',
  इ: 'i',
  ई: 'ee',
  उ: 'u',
  ऊ: 'oo',
  ऋ: 'ri',
  ए: 'e',
  ऐ: 'ai',
  ओ: 'o',
  औ: 'au',
};
const devanagariSigns: Record<string, string> = {
  'ा': 'aa',
  'ि': 'i',
  'ी': 'ee',
  'ु': 'u',
  'ू': 'oo',
  'ृ': 'ri',
  'े': 'e',
  'ै': 'ai',
  'ो': 'o',
  'ौ': 'au',
  '्': '',
};
const nasals = new Set(['ं', 'ँ', 'ः']);

/** Bengali sits 0x80 above Devanagari letter for letter; map it across, then romanise as Devanagari. */
function bengaliToDevanagari(character: string): string {
  const code = character.codePointAt(0)!;
  return code >= 0x0980 && code <= 0x09ff ? String.fromCodePoint(code - 0x80) : character;
}

function romaniseIndic(text: string): string {
  let out = '';
  const characters = [...text.normalize('NFC')].map(bengaliToDevanagari);
  for (let index = 0; index < characters.length; index++) {
    const character = characters[index]!;
    const consonant = devanagariConsonants[character];
    if (consonant !== undefined) {
      const next = characters[index + 1];
      const followedBySign = next !== undefined && (next in devanagariSigns || next === '़');
      const atWordEnd = next === undefined || !/[\u0900-\u097f]/.test(next);
      out += consonant + (followedBySign || atWordEnd ? '' : 'a');
      continue;
    }
    if (character in devanagariSigns) out += devanagariSigns[character];
    else if (character in devanagariVowels) out += devanagariVowels[character];
    else if (nasals.has(character)) out += 'n';
    else if (character === '़') continue;
    else out += character;
  }
  return out;
}

/** Arabic-script (Arabic, Urdu, Persian) and Devanagari/Bengali to rough Latin; other text unchanged. */
export function romanise(text: string): string {
  let out = '';
  for (const character of text) out += arabicLetters[character] ?? character;
  return /[\u0900-\u09ff]/.test(out) ? romaniseIndic(out) : out;
}

/**
 * A sound key: the first letter, then consonants with look-alike spellings merged and repeats and
 * vowels dropped. mohamed, muhammad, mohammed → mhmd; youssef, yusuf → isf; hussein, hossain → hsn;
 * abdelrahman, abdurrahman → abdrhmn.
 */
export function soundKey(word: string): string {
  let text = foldLatin(word).replace(/\s+/g, '');
  if (!text) return '';
  text = text
    .replace(/^(al|el)(?=[a-z]{3})/, '')
    // The Arabic article inside the compound names that carry it, written before a "sun letter" as
    // that letter doubled: Abd al-Rahman, Abdulrahman, Abdurrahman; Nur al-Din, Nureddin, Nuruddin.
    // Only there: elsewhere a vowel and an l are part of the name (Hilda is not Huda).
    .replace(/^abd[aeiou]l?(?=[tdszrn])/, 'abd')
    .replace(/[aeiou]l?d?(?=d(?:i|ee)ne?$)/, '')
    .replace(/ph/g, 'f')
    .replace(/(k|g|t|d|s|z|c|j)h/g, '$1')
    .replace(/x/g, 'ks')
    .replace(/q/g, 'k')
    .replace(/c/g, 'k')
    .replace(/z/g, 's')
    .replace(/w/g, 'v')
    .replace(/y/g, 'i')
    .replace(/[eo]/g, 'a')
    .replace(/h(?=$)/, '');
  const first = /[aiu]/.test(text[0]!) ? 'a' : text[0]!;
  let key = first;
  for (const letter of text.slice(1)) {
    if ('aiu'.includes(letter)) continue;
    if (key[key.length - 1] !== letter) key += letter;
  }
  return key;
}

/** Damerau-Levenshtein (adjacent swaps count one) with an early exit beyond `limit`. */
export function editDistance(a: string, b: string, limit = 3): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    let best = Infinity;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = value;
      best = Math.min(best, value);
    }
    if (best > limit) return limit + 1;
  }
  return rows[a.length]![b.length]!;
}

/** Digits only: "+977 (980) 12-34" → "9779801234". */
export function phoneDigits(text: string): string {
  return text.replace(/\D+/g, '');
}
