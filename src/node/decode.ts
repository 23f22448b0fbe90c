/**
 * @module node/decode
 * Bytes of a manifest file → text, strictly. Node's `readFile(p, 'utf8')` silently turns invalid
 * bytes into U+FFFD, so a Latin-1 file would plan with mangled names and confusing validation
 * messages; kubectl (go-yaml's reader, yaml_parser_update_buffer) refuses such input instead
 * ("invalid leading UTF-8 octet"). Like go-yaml we accept UTF-8 (BOM kept; the parser skips it)
 * and UTF-16 with a byte-order mark (what Windows PowerShell's `>` writes), and name the first
 * bad byte by line and column.
 */
import { isUtf8 } from 'node:buffer'

/** An input that is not text in a supported encoding; `code` mirrors errno style for callers. */
export class EncodingError extends Error {
  override readonly name = 'EncodingError'
  readonly code = 'EILSEQ'
}

/** Byte offset of the first invalid UTF-8 sequence (RFC 3629 §4 well-formedness), or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0
  while (i < bytes.length) {
    const b = bytes[i] as number
    if (b < 0x80) {
      i++
      continue
    }
    let n: number
    let lo = 0x80
    let hi = 0xbf
    if (b >= 0xc2 && b <= 0xdf) n = 1
    else if (b >= 0xe0 && b <= 0xef) {
      n = 2
      if (b === 0xe0) lo = 0xa0 // no overlong forms
      if (b === 0xed) hi = 0x9f // no surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      n = 3
      if (b === 0xf0) lo = 0x90
      if (b === 0xf4) hi = 0x8f // nothing above U+10FFFF
    } else return i
    for (let k = 1; k <= n; k++) {
      const c = bytes[i + k]
      if (c === undefined || c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i
    }
    i += n + 1
  }
  return -1
}

/** 1-based line and column (in bytes) of `offset`. */
function position(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1
  let start = 0
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++
      start = i + 1
    }
  }
  return { line, column: offset - start + 1 }
}

/**
 * Decodes a manifest file's bytes. UTF-16LE/BE need their BOM (as in go-yaml); everything else
 * must be UTF-8.
 *
 * @throws EncodingError naming the line and column of the first byte that is not UTF-8
 */
export function decodeManifestBytes(bytes: Uint8Array): string {
  const utf16 = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : undefined
  if (utf16 !== undefined) {
    try {
      return new TextDecoder(utf16, { fatal: true }).decode(bytes)
    } catch {
      throw new EncodingError(`not valid ${utf16.toUpperCase()} text (it starts with a ${utf16.toUpperCase()} byte-order mark)`)
    }
  }
  // Node's native validator (the same RFC 3629 well-formedness) answers for the whole file at
  // memory speed; the byte-by-byte scan runs only to name the first bad byte of a file that fails
  // (it was 1.4% of a 10k-Service export's plan).
  if (isUtf8(bytes)) return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)
  const bad = firstInvalidUtf8(bytes)
  if (bad < 0) return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)
  const { line, column } = position(bytes, bad)
  const hex = (bytes[bad] as number).toString(16).padStart(2, '0')
  throw new EncodingError(`not UTF-8 text: invalid byte 0x${hex} at line ${line}, column ${column} (save the file as UTF-8)`)
}
