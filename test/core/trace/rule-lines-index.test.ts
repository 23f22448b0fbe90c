/** trace/rule-lines.ts `indexText`: the in-place reading of a plain payload equals the general one. */
import { describe, expect, it } from 'vitest'
import { indexText, indexTextGeneral } from '../../../src/core/trace/rule-lines.ts'
import { planFromSources, printRestore } from '../../../src/core/index.ts'
import { rng } from '../../helpers/seeded-rng.ts'

const asObject = (m: Map<string, unknown>): unknown => [...m.entries()]

describe('indexText', () => {
  it('reads generated lines of plain and unusual spelling as the general reading does', () => {
    const r = rng(16)
    const plain = ['-A', '-A ', '-A  ', ' -A ', '-AX ', '*nat', ' *filter ', '*', 'KUBE-SVC-X', 'KUBE-SEP-Y', ' ', '  ', '-j', 'DNAT', '"a b"', '-m comment --comment x', ':KUBE-X - [0:0]', 'COMMIT', '']
    const unusual = [...plain, '\t', '\r', '\u2028', '\u00a0']
    let checked = 0
    let inPlace = 0
    for (let n = 0; n < 4000; n++) {
      const lines: string[] = []
      // Most texts plain (read in place), some with other whitespace (read the general way).
      const parts = r() < 0.8 ? plain : unusual
      const count = Math.floor(r() * 8)
      for (let i = 0; i < count; i++) {
        let line = ''
        const k = Math.floor(r() * 6)
        for (let j = 0; j < k; j++) line += parts[Math.floor(r() * parts.length)] as string
        lines.push(line)
      }
      const text = lines.join('\n') + (r() < 0.5 ? '\n' : '')
      expect(asObject(indexText(text)), JSON.stringify(text)).toEqual(asObject(indexTextGeneral(text)))
      checked++
      if (!/[^\x20-\x7e\n]/.test(text)) inPlace++
    }
    expect(checked).toBe(4000)
    expect(inPlace).toBeGreaterThan(2500)
  })

  it('reads a planned payload as the general reading does', () => {
    const text = [
      'apiVersion: v1', 'kind: Service', 'metadata: {name: web, namespace: default}', 'spec:', '  clusterIP: 10.96.0.20', '  type: NodePort', '  selector: {app: web}', '  ports: [{port: 80, name: http}]', '---',
      'apiVersion: discovery.k8s.io/v1', 'kind: EndpointSlice', 'metadata: {name: web-1, namespace: default, labels: {kubernetes.io/service-name: web}}', 'addressType: IPv4', 'ports: [{port: 8080, name: http, protocol: TCP}]',
      'endpoints: [{addresses: [10.244.0.5], conditions: {ready: true}}, {addresses: [10.244.1.5], conditions: {ready: true}}]', '',
    ].join('\n')
    const plan = planFromSources({ files: [{ path: 'web.yaml', text, origin: 'existing' }] }).value
    const payload = printRestore(plan.ruleset)
    const idx = indexText(payload)
    expect(asObject(idx)).toEqual(asObject(indexTextGeneral(payload)))
    expect([...idx.keys()].some((k) => k.startsWith('nat/KUBE-SEP-'))).toBe(true)
  })
})
