// The data model shared by the web client, the fixtures and the pure libraries: record schemas and
// their migrations, the forms' field lists, the merge rule for offline edits, and the one CSV
// writer and reader, phone numbers in E.164. Pure: no DOM, no network, no storage.
export * from './records.ts';
export * from './forms.ts';
export * from './merge.ts';
export * from './migrate.ts';
export * from './csv.ts';
export * from './hxl.ts';
export * from './phone.ts';
