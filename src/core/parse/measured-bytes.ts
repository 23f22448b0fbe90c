/**
 * @module parse/measured-bytes
 * The UTF-8 length the parse measured of a file, by the file object it was given: planDiff's
 * shared head parse (diff/shared-parse.ts) tells whether a head file is over the byte budget from
 * its base file's measure and the few pieces that differ, instead of scanning the head's 3 MB
 * again. Only lengths the parse computed anyway are kept (a file short enough that three bytes
 * per code unit stay within the budget is not measured).
 */
import type { SourceFile } from '../model/inventory.ts'

const measured = new WeakMap<SourceFile, number>()

/** Notes `file`'s UTF-8 length (`utf8Length` of its text), as the parse measured it. */
export function noteMeasuredBytes(file: SourceFile, bytes: number): void {
  measured.set(file, bytes)
}

/** `utf8Length(file.text)` when a parse of `file` measured it, else undefined. */
export function measuredBytes(file: SourceFile): number | undefined {
  return measured.get(file)
}
