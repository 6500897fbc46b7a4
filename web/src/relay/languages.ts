// The languages a relayed message can be written in: the app's own four first, then languages many
// migrants in the region read. Names and writing direction come from web/src/i18n (languageLabel,
// directionOf), in the language the officer picked.

export const MESSAGE_LANGUAGES = ['ar', 'en', 'fr', 'es', 'ne', 'bn', 'hi', 'ur', 'am', 'ti', 'so', 'tl', 'sw'] as const;
