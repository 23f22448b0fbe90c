import { describe, expect, it } from 'vitest'
import { parseProbesFile, resolveEndpoint, resolveProbes, splitHostPort, type ProbeContext } from '../../../src/core/trace/probe.ts'
import type { Node, Pod } from '../../../src/core/model/k8s.ts'

const span = { file: 'm.yaml', line: 1, column: 1 }
const meta = (kind: string, namespace: string, name: string) => ({
  ref: { kind, namespace, name },
  metadata: { name, namespace, labels: {}, annotations: {} },
  source: span,
  locate: () => span,
  origin: 'proposed' as const,
  raw: {},
})

function pod(ns: string, name: string, ips: string[], extra: Partial<Pod> = {}): Pod {
  return { ...meta('Pod', ns, name), kind: 'Pod', podIPs: ips, terminating: false, containerPorts: [], hostNetwork: false, nodeName: 'n1', ...extra }
}
function node(name: string, addresses: [string, string][]): Node {
  return { ...meta('Node', '', name), kind: 'Node', podCIDRs: [], addresses: addresses.map(([type, address]) => ({ type, address })) }
}

const ctx: ProbeContext = {
  node: 'n1',
  ipFamily: 'IPv4',
  nodeIPs: ['192.168.0.1', 'fd00::1'],
  pods: [
    pod('shop', 'web-0', ['10.244.1.5', 'fd00:244::5']),
    pod('default', 'solo', ['10.244.1.6']),
    pod('shop', 'v6only', ['fd00:244::7']),
    pod('kube-system', 'agent', [], { hostNetwork: true, nodeName: 'n2' }),
  ],
  nodes: [node('n1', [['Hostname', 'n1'], ['ExternalIP', '203.0.113.1'], ['InternalIP', '192.168.0.1']]), node('n2', [['InternalIP', '192.168.0.2']])],
}

describe('resolveEndpoint', () => {
  it.each([
    ['pod:shop/web-0', '10.244.1.5'],
    ['pod:solo', '10.244.1.6'], // namespace defaults to "default"
    ['pod:kube-system/agent', '192.168.0.2'], // host network → its node's address
    ['node:n1', '192.168.0.1'], // InternalIP preferred over ExternalIP
    ['node:n2', '192.168.0.2'],
    ['10.0.0.010', '10.0.0.10'], // ParseIPSloppy: leading zeros are decimal
  ])('%s → %s', (text, ip) => {
    expect(resolveEndpoint(text, ctx)).toEqual({ ip })
  })

  it.each([
    ['pod:shop/nope', /no Pod shop\/nope/],
    ['node:n9', /no Node n9/],
    ['pod:shop/v6only', /no IPv4 address/],
    ['fd00::9', /is IPv6 but the traced ruleset is IPv4/],
    ['web', /not an IP address/],
  ])('%s is unresolvable', (text, why) => {
    expect(resolveEndpoint(text, ctx)).toMatch(why)
  })

  it('picks the address of the traced family', () => {
    expect(resolveEndpoint('pod:shop/web-0', { ...ctx, ipFamily: 'IPv6' })).toEqual({ ip: 'fd00:244::5' })
  })
})

describe('splitHostPort', () => {
  it.each([
    ['10.0.0.1:80', { host: '10.0.0.1', port: 80 }],
    ['[fd00::1]:443', { host: 'fd00::1', port: 443 }],
    ['node:n1:30080', { host: 'node:n1', port: 30080 }],
    ['pod:shop/web-0:8080', { host: 'pod:shop/web-0', port: 8080 }],
  ])('%s', (to, want) => expect(splitHostPort(to)).toEqual(want))

  it.each(['10.0.0.1', 'fd00::1:80', '10.0.0.1:0', '10.0.0.1:70000', ':80', '[fd00::1]'])('rejects %s', (to) => {
    expect(splitHostPort(to)).toBeUndefined()
  })
})

describe('resolveProbes', () => {
  it('resolves in order, marks node-sourced probes local, and reports unresolved ones as issues', () => {
    const r = resolveProbes(
      [
        { name: 'a', from: 'pod:shop/web-0', to: '10.96.0.10:80' },
        { name: 'b', from: 'pod:shop/missing', to: '10.96.0.10:80' },
        { name: 'c', from: 'node:n1', to: 'node:n1:30080', protocol: 'UDP' },
        { from: '127.0.0.1', to: '10.96.0.10:80' },
        { name: 'e', from: '10.0.0.1', to: '10.96.0.10', protocol: 'tcp' },
        { name: 'f', from: '10.0.0.1', to: '10.96.0.10:80', protocol: 'icmp' },
      ],
      ctx,
      [span, { ...span, line: 4 }],
    )
    expect(r.value.map((p) => [p.name, p.sourceIP, p.destIP, p.destPort, p.protocol, p.local])).toEqual([
      ['a', '10.244.1.5', '10.96.0.10', 80, 'tcp', false],
      ['c', '192.168.0.1', '192.168.0.1', 30080, 'udp', true],
      ['127.0.0.1 → 10.96.0.10:80', '127.0.0.1', '10.96.0.10', 80, 'tcp', true],
    ])
    expect(r.issues.map((i) => [i.code, i.severity, i.path])).toEqual([
      ['trace/probe-unresolved', 'error', 'probes[1] (b)'],
      ['trace/probe-unresolved', 'error', 'probes[4] (e)'],
      ['trace/probe-unresolved', 'error', 'probes[5] (f)'],
    ])
    expect(r.issues[0]?.source?.line).toBe(4)
  })

  it('warns when the destination is another node than the traced one', () => {
    const r = resolveProbes([{ from: '203.0.113.9', to: 'node:n2:30080' }], ctx)
    expect(r.value).toHaveLength(1)
    expect(r.issues.map((i) => [i.code, i.severity])).toEqual([['trace/other-node', 'warning']])
  })
})

describe('parseProbesFile', () => {
  it('reads a YAML list in order with the line of each probe', () => {
    const text = '# probes\n- name: web\n  from: pod:shop/web-0\n  to: 10.96.0.10:80\n- {name: dns, from: 10.0.0.1, to: "10.96.0.10:53", protocol: UDP}\n'
    const r = parseProbesFile('p.yaml', text)
    expect(r.issues).toEqual([])
    expect(r.value.specs).toEqual([
      { name: 'web', from: 'pod:shop/web-0', to: '10.96.0.10:80' },
      { name: 'dns', from: '10.0.0.1', to: '10.96.0.10:53', protocol: 'UDP' },
    ])
    expect(r.value.sources.map((s) => s?.line)).toEqual([2, 5])
  })

  it('reads JSON and the {probes: [...]} form', () => {
    const json = parseProbesFile('p.json', '[{"from": "10.0.0.1", "to": "10.96.0.1:443"}]')
    expect(json.value.specs).toEqual([{ from: '10.0.0.1', to: '10.96.0.1:443' }])
    const wrapped = parseProbesFile('p.yaml', 'kind: probes\nprobes:\n- from: 10.0.0.1\n  to: 10.96.0.1:443\n- from: 10.0.0.2\n  to: 10.96.0.1:443\n')
    expect(wrapped.value.specs.map((s) => s.from)).toEqual(['10.0.0.1', '10.0.0.2'])
    expect(wrapped.value.sources.map((s) => s?.line)).toEqual([3, 5])
  })

  it('turns bad input into issues with file and line, never a crash', () => {
    const syntax = parseProbesFile('p.yaml', '- from: [unclosed\n')
    expect(syntax.issues.map((i) => [i.code, i.source?.file])).toEqual([['trace/probes-syntax', 'p.yaml']])
    const notList = parseProbesFile('p.yaml', 'from: 10.0.0.1\n')
    expect(notList.issues[0]?.message).toMatch(/must hold a list/)
    const badItem = parseProbesFile('p.yaml', '- from: 10.0.0.1\n  to: 10.96.0.1:80\n- just a string\n- from: 10.0.0.3\n')
    expect(badItem.value.specs).toHaveLength(1)
    expect(badItem.issues.map((i) => [i.path, i.source?.line])).toEqual([
      ['probes[1]', 3],
      ['probes[2]', 4],
    ])
    expect(parseProbesFile('p.yaml', '').issues).toHaveLength(1)
  })
})
