// Result values instead of exceptions across layers, and the library's small set of named errors.

export type Result<Value, Failure = PlanLibraryError> = { ok: true; value: Value } | { ok: false; error: Failure };

export function ok<Value>(value: Value): { ok: true; value: Value } {
  return { ok: true, value };
}

export function fail<Failure>(error: Failure): { ok: false; error: Failure } {
  return { ok: false, error };
}

/** A geometry could not be used (invalid ring, buffer failed, wrong type). */
export interface GeometryError {
  name: 'GeometryError';
  message: string;
}

/** A document in another format (KML, CAP, GeoJSON, CSV) could not be read. */
export interface ConvertError {
  name: 'ConvertError';
  message: string;
  /** Where in the input, when known (line number, element path, feature index). */
  where?: string;
}

/** Options that make no sense (negative distance, threshold below 1...). */
export interface OptionsError {
  name: 'OptionsError';
  message: string;
}

export type PlanLibraryError = GeometryError | ConvertError | OptionsError;

export function geometryError(message: string): GeometryError {
  return { name: 'GeometryError', message };
}

export function convertError(message: string, where?: string): ConvertError {
  return where === undefined ? { name: 'ConvertError', message } : { name: 'ConvertError', message, where };
}

export function optionsError(message: string): OptionsError {
  return { name: 'OptionsError', message };
}
