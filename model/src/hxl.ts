// HXL hashtags (Humanitarian Exchange Language, hxlstandard.org) the project writes for the same
// thing in every table: the CSV export, the evacuation manifests and the plans' tables. HXL's core
// hashtags describe places and counts; for one person the closest core hashtag is #beneficiary
// ("a person or group meant to benefit from aid"), with the +name attribute.
export const HXL_PERSON_NAME = '#beneficiary+name';
/** The name written in Latin letters (a passport's spelling). */
export const HXL_PERSON_NAME_LATIN = '#beneficiary+name+latin';
