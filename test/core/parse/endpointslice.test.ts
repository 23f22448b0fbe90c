import { describe, expect, it } from 'vitest'
import { lines, parseText, where } from './helpers.ts'

describe('EndpointSlice', () => {
  it('keeps nil and empty port names apart, and unset conditions unset', () => {
    const r = parseText(
      lines(
        'apiVersion: discovery.k8s.io/v1',
        'kind: EndpointSlice',
        'metadata:',
        '  name: web-abc',
        '  namespace: shop',
        '  labels: {kubernetes.io/service-name: web}',
        'addressType: IPv4',
        'endpoints:',
        '- addresses: [10.0.1.5]',
        '  conditions: {ready: true, serving: true, terminating: false}',
        '  nodeName: node-a',
        '  zone: z1',
        '  hints: {forZones: [{name: z1}], forNodes: [{name: node-a}]}',
        '  targetRef: {kind: Pod, namespace: shop, name: web-1}',
        '- addresses: [10.0.1.6]',
        'ports:',
        '- {name: "", port: 8080, protocol: TCP}',
        '- {name: metrics, port: 9090, protocol: TCP, appProtocol: http}',
        '- {port: 7070}',
      ),
    )
    expect(r.issues).toEqual([])
    const s = r.value.endpointSlices[0]!
    expect(s.ref).toEqual({ kind: 'EndpointSlice', namespace: 'shop', name: 'web-abc' })
    expect(s.metadata.labels['kubernetes.io/service-name']).toBe('web')
    expect(s.addressType).toBe('IPv4')
    expect(s.endpoints).toEqual([
      {
        addresses: ['10.0.1.5'],
        conditions: { ready: true, serving: true, terminating: false },
        nodeName: 'node-a',
        zone: 'z1',
        hints: { forZones: [{ name: 'z1' }], forNodes: [{ name: 'node-a' }] },
        targetRef: { kind: 'Pod', namespace: 'shop', name: 'web-1' },
      },
      { addresses: ['10.0.1.6'], conditions: {} },
    ])
    expect(s.ports).toEqual([
      { name: '', port: 8080, protocol: 'TCP' },
      { name: 'metrics', port: 9090, protocol: 'TCP', appProtocol: 'http' },
      { port: 7070 },
    ])
    expect('name' in s.ports[2]!).toBe(false)
  })

  it('requires a supported addressType', () => {
    const base = ['apiVersion: discovery.k8s.io/v1', 'kind: EndpointSlice', 'metadata: {name: s}']
    const missing = parseText(lines(...base))
    expect(missing.value.endpointSlices).toEqual([])
    expect(missing.issues[0]).toMatchObject({ code: 'manifest/missing-field', path: 'addressType' })
    const wrong = parseText(lines(...base, 'addressType: IPv5'))
    expect(where(wrong.issues)).toEqual(['manifest/unsupported-value@4'])
    expect(wrong.issues[0]!.message).toBe(
      'EndpointSlice "s" in namespace "default": addressType: Unsupported value: "IPv5": supported values: "IPv4", "IPv6", "FQDN"',
    )
  })

  it('keeps a slice whose port is 0 (kube-proxy ignores only that port)', () => {
    const r = parseText(
      lines('apiVersion: discovery.k8s.io/v1', 'kind: EndpointSlice', 'metadata: {name: s}', 'addressType: IPv4', 'endpoints: [{addresses: [10.0.0.1]}]', 'ports: [{name: a, port: 0, protocol: TCP}]'),
    )
    expect(r.issues).toEqual([])
    expect(r.value.endpointSlices[0]?.ports).toEqual([{ name: 'a', port: 0, protocol: 'TCP' }])
  })

  it('rejects wrong condition types and out-of-range ports', () => {
    const r = parseText(
      lines(
        'apiVersion: discovery.k8s.io/v1',
        'kind: EndpointSlice',
        'metadata: {name: s}',
        'addressType: IPv6',
        'endpoints:',
        '- addresses: ["fd00::1"]',
        '  conditions: {ready: "True"}',
        'ports:',
        '- {name: a, port: 65536}',
        '- {name: b, protocol: TCPP}',
      ),
    )
    expect(r.value.endpointSlices).toEqual([])
    expect(where(r.issues)).toEqual(['manifest/invalid-field@7', 'manifest/invalid-field@9', 'manifest/unsupported-value@10'])
    expect(r.issues.map((i) => i.path)).toEqual(['endpoints[0].conditions.ready', 'ports[0].port', 'ports[1].protocol'])
  })
})
