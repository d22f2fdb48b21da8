/**
 * A small gzip writer (RFC 1952 around one RFC 1951 fixed-Huffman block, greedy LZ77) whose bytes
 * depend on the input only. Node's own zlib is not fit for user data that Pulumi diffs: its output
 * changes with the Node version, the OS (the header's OS byte) and the zlib build, so the same
 * program would show a user-data change, which stops or replaces the VM, from another machine.
 * Any gunzip (cloud-init's included) reads the result.
 */

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = CRC_TABLE[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];

const WINDOW = 32768;
const MIN_MATCH = 3;
const MAX_MATCH = 258;
/** How many earlier positions of the same 3-byte hash a match search looks at. */
const MAX_CHAIN = 128;
const HASH_BITS = 15;

/** Bits, least significant first, into bytes (deflate's bit order); at most 24 bits at a time. */
class BitWriter {
  private bytes: Uint8Array;
  private length = 0;
  /** Bits not yet written out, the first in the lowest bit. */
  private pending = 0;
  private pendingCount = 0;

  constructor(expectedBytes: number) {
    this.bytes = new Uint8Array(Math.max(64, expectedBytes));
  }

  /** `count` bits of `value`, least significant first (extra bits, block header). */
  bits(value: number, count: number): void {
    this.pending |= (value & ((1 << count) - 1)) << this.pendingCount;
    this.pendingCount += count;
    while (this.pendingCount >= 8) {
      this.byte(this.pending & 0xff);
      this.pending >>>= 8;
      this.pendingCount -= 8;
    }
  }

  /** A Huffman code of `length` bits, most significant first. */
  code(value: number, length: number): void {
    let reversed = 0;
    for (let i = 0; i < length; i++) reversed |= ((value >>> i) & 1) << (length - 1 - i);
    this.bits(reversed, length);
  }

  private byte(value: number): void {
    if (this.length === this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes[this.length++] = value;
  }

  finish(): Uint8Array {
    if (this.pendingCount > 0) this.byte(this.pending & 0xff);
    this.pending = 0;
    this.pendingCount = 0;
    return this.bytes.slice(0, this.length);
  }
}

/** The fixed literal/length code of `symbol` (RFC 1951 §3.2.6). */
function literalLength(out: BitWriter, symbol: number): void {
  if (symbol <= 143) out.code(0x30 + symbol, 8);
  else if (symbol <= 255) out.code(0x190 + symbol - 144, 9);
  else if (symbol <= 279) out.code(symbol - 256, 7);
  else out.code(0xc0 + symbol - 280, 8);
}

/** The largest index whose base is at most `value`. */
function slot(bases: readonly number[], value: number): number {
  let index = bases.length - 1;
  while (bases[index] > value) index--;
  return index;
}

function match(out: BitWriter, length: number, distance: number): void {
  const lengthSlot = slot(LENGTH_BASE, length);
  literalLength(out, 257 + lengthSlot);
  out.bits(length - LENGTH_BASE[lengthSlot], LENGTH_EXTRA[lengthSlot]);
  const distanceSlot = slot(DIST_BASE, distance);
  out.code(distanceSlot, 5);
  out.bits(distance - DIST_BASE[distanceSlot], DIST_EXTRA[distanceSlot]);
}

function hashAt(data: Uint8Array, i: number): number {
  return ((data[i] << 10) ^ (data[i + 1] << 5) ^ data[i + 2]) & ((1 << HASH_BITS) - 1);
}

/** Raw deflate: one final fixed-Huffman block. */
export function deflateFixed(data: Uint8Array): Uint8Array {
  const out = new BitWriter(data.length >> 1);
  out.bits(1, 1); // BFINAL
  out.bits(1, 2); // BTYPE 01: fixed Huffman codes
  const head = new Int32Array(1 << HASH_BITS).fill(-1);
  const previous = new Int32Array(data.length).fill(-1);
  const insert = (i: number) => {
    if (i + MIN_MATCH > data.length) return;
    const hash = hashAt(data, i);
    previous[i] = head[hash];
    head[hash] = i;
  };
  let i = 0;
  while (i < data.length) {
    let bestLength = 0;
    let bestDistance = 0;
    if (i + MIN_MATCH <= data.length) {
      const limit = Math.min(MAX_MATCH, data.length - i);
      let candidate = head[hashAt(data, i)];
      for (let chain = 0; candidate >= 0 && i - candidate <= WINDOW && chain < MAX_CHAIN; chain++) {
        // A candidate that differs at the best length so far cannot beat it: skip the byte-by-byte compare.
        if (data[candidate + bestLength] !== data[i + bestLength]) {
          candidate = previous[candidate];
          continue;
        }
        let length = 0;
        while (length < limit && data[candidate + length] === data[i + length]) length++;
        if (length > bestLength) {
          bestLength = length;
          bestDistance = i - candidate;
          if (length === limit) break;
        }
        candidate = previous[candidate];
      }
    }
    if (bestLength >= MIN_MATCH) {
      match(out, bestLength, bestDistance);
      for (let k = 0; k < bestLength; k++) insert(i + k);
      i += bestLength;
    } else {
      literalLength(out, data[i]);
      insert(i);
      i++;
    }
  }
  literalLength(out, 256); // end of block
  return out.finish();
}

function littleEndian32(value: number): number[] {
  return [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff];
}

/** gzip of `data`: no name, no time (0), OS byte 255 ("unknown"), so the bytes depend on `data` only. */
export function gzip(data: Uint8Array): Uint8Array {
  const header = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
  const body = deflateFixed(data);
  const trailer = [...littleEndian32(crc32(data)), ...littleEndian32(data.length >>> 0)];
  const result = new Uint8Array(header.length + body.length + trailer.length);
  result.set(header, 0);
  result.set(body, header.length);
  result.set(trailer, header.length + body.length);
  return result;
}
