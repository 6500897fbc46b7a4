// Text of the planning screens: the shared i18n files hold it under `plans.` (English, French,
// Spanish, Arabic), so the plan screens follow the language picker like every other screen.
import { scoped, type ScopedKey } from '../i18n/index.ts';

export type PlanMessageKey = ScopedKey<'plans.'>;

/** The text of `key` (under 'plans.') in the chosen language, with its arguments filled in. */
export const m = scoped('plans.');
