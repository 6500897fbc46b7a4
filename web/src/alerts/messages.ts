// Text of the alert, relay and tracing screens: in the shared language files (web/src/i18n) under
// 'alerts.*', so the screens follow the language picker like the rest of the app.
import { t } from '../i18n/index.ts';
import type { MessageKey } from '../i18n/en.ts';

type Unprefixed<Key> = Key extends `alerts.${infer Rest}` ? Rest : never;
export type AlertMessageKey = Unprefixed<MessageKey>;

export function m(key: AlertMessageKey, params: Record<string, string | number> = {}): string {
  return t(`alerts.${key}`, params);
}
