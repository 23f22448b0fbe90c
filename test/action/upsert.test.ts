import { describe, expect, it } from 'vitest'
import { commentMarker } from '../../src/core/report/marker.ts'
import { findPrevious, sameAuthor, upsertComment } from '../../src/action/upsert.ts'
import { FakeCommentStore } from './fakes.ts'

const body = (target: string, text: string): string => `${commentMarker(target)}\n${text}`

describe('upsertComment', () => {
  it('creates, then updates the same comment, then skips an identical body', async () => {
    const store = new FakeCommentStore()
    const r1 = await upsertComment(store, body('', 'one'), '', { createIfMissing: true })
    expect(r1).toEqual({ kind: 'created', id: 100 })
    const r2 = await upsertComment(store, body('', 'two'), '', { createIfMissing: true })
    expect(r2).toEqual({ kind: 'updated', id: 100 })
    const r3 = await upsertComment(store, body('', 'two'), '', { createIfMissing: true })
    expect(r3).toEqual({ kind: 'unchanged', id: 100 })
    expect(store.writes).toBe(2)
    expect(store.dump()).toEqual(['100 github-actions[bot]: <!-- kube-whatif:v1 target= -->'])
  })

  it('keeps targets apart and ignores look-alike comments by other authors', async () => {
    const store = new FakeCommentStore()
    store.comments.push({ id: 1, author: 'mallory', body: body('prod', 'fake') })
    await upsertComment(store, body('prod', 'real'), 'prod', { createIfMissing: true })
    await upsertComment(store, body('staging', 'real'), 'staging', { createIfMissing: true })
    expect(store.comments.map((c) => [c.id, c.author, c.body.split('\n')[1]])).toEqual([
      [1, 'mallory', 'fake'],
      [100, 'github-actions[bot]', 'real'],
      [101, 'github-actions[bot]', 'real'],
    ])
  })

  it('does not create when told not to, but still updates an existing comment', async () => {
    const store = new FakeCommentStore()
    expect(await upsertComment(store, body('', 'x'), '', { createIfMissing: false })).toEqual({ kind: 'skipped' })
    expect(store.writes).toBe(0)
    await upsertComment(store, body('', 'x'), '', { createIfMissing: true })
    expect(await upsertComment(store, body('', 'no changes'), '', { createIfMissing: false })).toEqual({ kind: 'updated', id: 100 })
  })

  it('turns a 403 on write into a forbidden result instead of throwing', async () => {
    const store = new FakeCommentStore('github-actions[bot]', true)
    const r = await upsertComment(store, body('', 'x'), '', { createIfMissing: true })
    expect(r.kind).toBe('forbidden')
  })

  it('matches logins with or without the [bot] suffix and picks the newest of several', () => {
    expect(sameAuthor('github-actions[bot]', 'github-actions')).toBe(true)
    expect(sameAuthor('octocat', 'github-actions')).toBe(false)
    const mine = [
      { id: 5, author: 'github-actions[bot]', body: body('', 'old') },
      { id: 9, author: 'github-actions[bot]', body: body('', 'new') },
    ]
    expect(findPrevious(mine, '', 'github-actions')?.id).toBe(9)
    // Without a known viewer only bot comments are trusted.
    expect(findPrevious([{ id: 3, author: 'octocat', body: body('', 'x') }], '', undefined)).toBeUndefined()
  })
})
