// Text of the activation screens: in the shared language files (web/src/i18n) under 'activation.*',
// so the screens follow the language picker like the rest of the app.
import { t } from '../i18n/index.ts';
import type { MessageKey } from '../i18n/en.ts';

type Unprefixed<Key> = Key extends `activation.${infer Rest}` ? Rest : never;
export type ActivationMessageKey = Unprefixed<MessageKey>;

export function m(key: ActivationMessageKey, params: Record<string, string | number> = {}): string {
  return t(`activation.${key}`, params);
}
