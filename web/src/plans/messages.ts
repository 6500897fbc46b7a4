// Text of the planning screens: the shared i18n files hold it under `plans.` (English, French,
// Spanish, Arabic), so the plan screens follow the language picker like every other screen.
import { t, type MessageKey } from '../i18n/index.ts';

type PlanKey<Key> = Key extends `plans.${infer Rest}` ? Rest : never;
export type PlanMessageKey = PlanKey<MessageKey>;

/** The plan text of `key` in the chosen language, with its `{placeholders}` filled in. */
export function m(key: PlanMessageKey, params: Record<string, string | number> = {}): string {
  return t(`plans.${key}`, params);
}
