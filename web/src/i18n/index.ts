// Text lookup. A language is one file exporting a Messages object; English is the fallback.
import { en, type MessageKey, type Messages } from './en.ts';

const languages: Record<string, { messages: Messages; direction: 'ltr' | 'rtl' }> = {
  en: { messages: en, direction: 'ltr' },
};

let current = languages['en']!;

export function setLanguage(code: string) {
  current = languages[code] ?? languages['en']!;
  document.documentElement.lang = code in languages ? code : 'en';
  document.documentElement.dir = current.direction;
}

export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = current.messages[key] ?? en[key];
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

export type { MessageKey };
