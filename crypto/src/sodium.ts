// The one place libsodium is loaded. Modules that the Worker imports must never import this file.
import sodium from 'libsodium-wrappers-sumo';

let initialised = false;

interface RawHeap {
  HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(address: number): void;
}

/**
 * libsodium-wrappers copies every argument (secret keys, plaintexts, shared secrets) into buffers it
 * mallocs in the WebAssembly heap, and frees them without zeroing: the secrets stay readable in
 * freed heap memory until reused. We wrap the module's _malloc/_free so every buffer the wrapper
 * frees is zeroed first. (Our hot path, aead.ts, does not malloc per call and scrubs itself.)
 */
function zeroOnFree(raw: RawHeap): void {
  const marker = raw as RawHeap & { bufferZeroOnFree?: true };
  if (marker.bufferZeroOnFree) return;
  const sizes = new Map<number, number>();
  const malloc = raw._malloc.bind(raw);
  const free = raw._free.bind(raw);
  raw._malloc = (size: number) => {
    const address = malloc(size);
    if (address) sizes.set(address, size);
    return address;
  };
  raw._free = (address: number) => {
    const size = sizes.get(address);
    if (size !== undefined) {
      raw.HEAPU8.fill(0, address, address + size);
      sizes.delete(address);
    }
    free(address);
  };
  marker.bufferZeroOnFree = true;
}

/** Initialises libsodium (WebAssembly); every synchronous function of this package needs it first. */
export async function ready(): Promise<void> {
  await sodium.ready;
  const raw = (sodium as unknown as { libsodium?: RawHeap }).libsodium;
  if (raw && typeof raw._malloc === 'function' && typeof raw._free === 'function') zeroOnFree(raw);
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
