/**
 * @module node/read-capped
 * Bounded reads. A size check after `readFile` comes too late: `plan /dev/zero` or `plan - </dev/zero`
 * would fill memory before any check ran, and a 1.5 GB file dies in V8's string limit. So every
 * read here stops at `maxBytes + 1`: a regular file whose size (fstat) is over the cap is refused
 * before a byte is read, and anything else (pipes, process substitution, character devices such
 * as /dev/zero, a file that grows while read) is read in chunks and refused as soon as it passes
 * the cap. Memory stays below about twice the cap whatever the input.
 */
import { fstatSync, type Stats } from 'node:fs'
import { open } from 'node:fs/promises'

/** Input over the byte cap; `code` is errno-style (`EFBIG`) so callers can word it. */
export class InputTooLargeError extends Error {
  override readonly name = 'InputTooLargeError'
  readonly code = 'EFBIG'
  constructor(
    /** The cap in bytes. */
    readonly limit: number,
    /** The size when known before reading (regular files), else undefined. */
    readonly size?: number,
  ) {
    super(size !== undefined ? `${size} bytes, more than the limit of ${limit} bytes` : `more than the limit of ${limit} bytes`)
  }
}

/** Read size for inputs of unknown length (pipes, devices). */
const CHUNK = 1024 * 1024

function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]?.length === length) return chunks[0]
  const out = new Uint8Array(length)
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.length
  }
  return out
}

/**
 * Reads a whole file, at most `maxBytes` of it.
 *
 * @throws InputTooLargeError when the file is (or turns out to be) larger than `maxBytes`
 * @throws the Node error of `open`/`read` (ENOENT, EACCES, EISDIR, ...)
 */
export async function readFileCapped(path: string, maxBytes: number): Promise<Uint8Array> {
  const fh = await open(path, 'r')
  try {
    const st = await fh.stat()
    if (st.isDirectory()) throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read`), { code: 'EISDIR' })
    if (st.isFile() && st.size > maxBytes) throw new InputTooLargeError(maxBytes, st.size)
    // A regular file is read into one buffer of its announced size (+1, to notice a file that
    // grows while it is read); anything else, and any growth, in fixed-size chunks, so a refused
    // read holds no more than the cap.
    const chunks: Uint8Array[] = []
    let length = 0
    let chunk = new Uint8Array(Math.min(st.isFile() ? st.size + 1 : CHUNK, maxBytes + 1))
    let filled = 0
    for (;;) {
      if (filled === chunk.length) {
        chunks.push(chunk)
        chunk = new Uint8Array(Math.min(CHUNK, maxBytes + 1 - length))
        filled = 0
      }
      const { bytesRead } = await fh.read(chunk, filled, chunk.length - filled, null)
      if (bytesRead === 0) break
      filled += bytesRead
      length += bytesRead
      if (length > maxBytes) throw new InputTooLargeError(maxBytes)
    }
    chunks.push(chunk.subarray(0, filled))
    return concat(chunks, length)
  } finally {
    await fh.close()
  }
}

/**
 * Reads a stream to its end, at most `maxBytes` of it; the stream is destroyed (and so stops
 * being read) as soon as it passes the cap.
 *
 * @throws InputTooLargeError when the stream carries more than `maxBytes`
 */
export async function readStreamCapped(stream: AsyncIterable<Uint8Array | string> & { destroy?(): void }, maxBytes: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  let length = 0
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk
    length += bytes.length
    if (length > maxBytes) {
      stream.destroy?.()
      throw new InputTooLargeError(maxBytes)
    }
    chunks.push(bytes)
  }
  return concat(chunks, length)
}

/**
 * Reads all of standard input, at most `maxBytes`. Standard input redirected from a regular file
 * (`< big.yaml`) is refused before reading when fstat already shows it too large.
 */
export async function readStdinCapped(maxBytes: number): Promise<Uint8Array> {
  let st: Stats | undefined
  try {
    st = fstatSync(0)
  } catch {
    st = undefined
  }
  if (st?.isFile() === true && st.size > maxBytes) throw new InputTooLargeError(maxBytes, st.size)
  return readStreamCapped(process.stdin, maxBytes)
}
