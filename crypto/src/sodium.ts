// The one place libsodium is loaded. Modules that the Worker imports must never import this file.
import sodium from 'libsodium-wrappers-sumo';

let initialised = false;

/** Initialises libsodium (WebAssembly); every synchronous function of this package needs it first. */
export async function ready(): Promise<void> {
  await sodium.ready;
  initialised = true;
}

/** The libsodium API, or a clear error when `ready()` was not awaited. */
export function lib(): typeof sodium {
  if (!initialised) throw new Error('crypto: await ready() before using the crypto functions');
  return sodium;
}

/** Wipes a secret buffer in place (libsodium sodium_memzero). */
export function wipe(...buffers: (Uint8Array | undefined)[]): void {
  for (const buffer of buffers) if (buffer) lib().memzero(buffer);
}
