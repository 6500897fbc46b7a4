// Text of the activation screens: in the shared language files (web/src/i18n) under 'activation.*',
// so the screens follow the language picker like the rest of the app.
import { scoped, type ScopedKey } from '../i18n/index.ts';

export type ActivationMessageKey = ScopedKey<'activation.'>;

/** The text of `key` (under 'activation.') in the chosen language, with its arguments filled in. */
export const m = scoped('activation.');
