/**
 * docs/versions.md states the Kubernetes version each conformance suite is pinned at; the runner
 * takes it from test/helpers/suite-versions.ts. The two must agree, and every modelled version
 * must be a column of the version tables.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { KUBERNETES_VERSIONS } from '../src/core/model/version.ts'
import { PINNED_SUITES } from './helpers/suite-versions.ts'

const doc = readFileSync(join(import.meta.dirname, '..', 'docs', 'versions.md'), 'utf8')

describe('docs/versions.md', () => {
  it('lists exactly the pinned suites, at their versions', () => {
    const section = doc.slice(doc.indexOf('## Conformance suites'))
    const rows = [...section.matchAll(/^\| `test\/fixtures\/([^`]+)` \| (1\.\d+) \|/gm)].map((m) => ({ folder: m[1], version: m[2] }))
    expect(rows).toEqual(PINNED_SUITES.map((s) => ({ folder: s.folder, version: s.version })))
  })

  it('has a column per modelled version in every version table', () => {
    const header = `| | ${KUBERNETES_VERSIONS.join(' | ')} |`
    const tables = doc.split('\n').filter((l) => l.startsWith('| |') || l.startsWith('| change |'))
    expect(tables.length).toBeGreaterThanOrEqual(4)
    for (const t of tables) expect(t.replace(/^\| change \|/, '| |')).toBe(header)
  })
})
