// Random bytes from the platform CSPRNG (crypto.getRandomValues: Node 22, browsers, Workers).
// libsodium.js's randombytes_buf calls the same source but costs ~80 µs a call through the wrapper.

const MAX_PER_CALL = 65536;

export function randomBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let offset = 0; offset < length; offset += MAX_PER_CALL) {
    globalThis.crypto.getRandomValues(out.subarray(offset, Math.min(length, offset + MAX_PER_CALL)));
  }
  return out;
}

/**
 * A pool of CSPRNG bytes drawn 64 KiB at a time, handed out once each (never twice), so that sealing
 * many records costs one getRandomValues call per ~800 records. `wipe` zeroes what is left.
 */
export class RandomPool {
  private buffer = new Uint8Array(MAX_PER_CALL);
  private offset = MAX_PER_CALL;

  /** Copies `length` fresh bytes into `target` at `targetOffset`. */
  fill(target: Uint8Array, targetOffset: number, length: number): void {
    if (length > MAX_PER_CALL) throw new RangeError('RandomPool: request too large');
    if (this.offset + length > this.buffer.length) {
      globalThis.crypto.getRandomValues(this.buffer);
      this.offset = 0;
    }
    const slice = this.buffer.subarray(this.offset, this.offset + length);
    target.set(slice, targetOffset);
    slice.fill(0);
    this.offset += length;
  }

  take(length: number): Uint8Array {
    const out = new Uint8Array(length);
    this.fill(out, 0, length);
    return out;
  }

  wipe(): void {
    this.buffer.fill(0);
    this.offset = this.buffer.length;
  }
}
