// Text of the alert, relay and tracing screens: in the shared language files (web/src/i18n) under
// 'alerts.*', so the screens follow the language picker like the rest of the app.
import { scoped, type ScopedKey } from '../i18n/index.ts';

export type AlertMessageKey = ScopedKey<'alerts.'>;

/** The text of `key` (under 'alerts.') in the chosen language, with its arguments filled in. */
export const m = scoped('alerts.');
