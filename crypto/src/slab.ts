// Small byte arrays handed out as views of a shared slab instead of each its own ArrayBuffer. An
// ArrayBuffer is an allocation outside the JS heap; for records of about 1 KB it costs as much as
// the cipher (Node: glibc's per-thread cache stops at 1,032 bytes; Chromium: about as much as
// sealing the record). A view keeps its whole slab alive while it is held, and a structured clone
// of a view (IndexedDB, postMessage) carries the whole slab: callers encode or slice() what they keep.

export interface Slab {
  /** `length` zeroed bytes: a view of the current slab, or a buffer of their own when larger than `largest`. */
  take(length: number): Uint8Array;
  /** Zeroes the current slab and starts a new one on the next take. */
  wipe(): void;
}

export function createSlab(size: number, largest: number): Slab {
  let slab = new Uint8Array(0);
  let used = 0;
  return {
    take(length) {
      if (length > largest) return new Uint8Array(length);
      if (used + length > slab.length) {
        slab = new Uint8Array(size);
        used = 0;
      }
      const out = slab.subarray(used, used + length);
      used += length;
      return out;
    },
    wipe() {
      slab.fill(0);
      slab = new Uint8Array(0);
      used = 0;
    },
  };
}
