// Reading back JSON this Worker stored in a D1 text column.
import type { z } from '@hono/zod-openapi';

/**
 * A value this Worker validated with `schema` and stored with JSON.stringify, read back with the
 * type of what was written: the schema's output. It is not validated again (answers are not checked
 * at run time, and a row stored under an older, looser schema must still be served).
 */
export function readStored<Schema extends z.ZodType>(_schema: Schema, text: string): z.output<Schema> {
  return JSON.parse(text);
}
