import { describe, expect, it } from 'vitest'
import { splitDocuments } from '../../../src/core/parse/split.ts'

const pieces = (text: string) => splitDocuments(text).map((c) => text.slice(c.start, c.end))

describe('splitDocuments', () => {
  it('cuts at column-0 --- lines and keeps every character', () => {
    const text = 'a: 1\n---\nb: 2\n--- \nc: 3'
    expect(pieces(text)).toEqual(['a: 1\n', '---\nb: 2\n', '--- \nc: 3'])
  })

  it('keeps a leading --- and directives with their document', () => {
    expect(pieces('%YAML 1.1\n# c\n---\na: 1\n')).toEqual(['%YAML 1.1\n# c\n---\na: 1\n'])
    expect(pieces('---\na: 1\n')).toEqual(['---\na: 1\n'])
  })

  it('does not cut at indented or longer dash runs', () => {
    expect(pieces('a: |\n  ---\n  x\nb: ----\n----\n')).toHaveLength(1)
  })

  it('closes a chunk after a ... end marker', () => {
    expect(pieces('a: 1\n...\n%YAML 1.1\n---\nb: 2\n')).toEqual(['a: 1\n...\n', '%YAML 1.1\n---\nb: 2\n'])
  })

  it('treats CRLF line ends like LF', () => {
    expect(pieces('a: 1\r\n---\r\nb: 2\r\n')).toEqual(['a: 1\r\n', '---\r\nb: 2\r\n'])
  })

  it('returns one empty chunk for empty text', () => {
    expect(splitDocuments('')).toEqual([{ start: 0, end: 0 }])
  })
})
