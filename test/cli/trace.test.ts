import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/run-cli.ts'
import { caseFactsFile, CONFORMANCE_DIR } from '../helpers/case-facts.ts'

const root = join(import.meta.dirname, '..', '..')
const multiNode = join(root, 'examples', 'multi-node')
const tracePacket = join(CONFORMANCE_DIR, 'trace-packet', 'input.iptables')

function tmpFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kube-whatif-trace-'))
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

interface TraceJson {
  probe: { name: string; sourceIP: string; destIP: string; destPort: number; protocol: string; local: boolean }
  output: string
  masquerade: boolean
  outcomes: { probability: number; verdict: string; dnat?: string; masquerade: boolean; path: { line?: number; text: string }[] }[]
  notes: string[]
}

describe('kube-whatif trace', () => {
  it('prints help', async () => {
    const r = await runCli(['trace', '--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^Usage: kube-whatif trace/)
    expect(r.stdout).toMatch(/--probes FILE/)
  })

  it.each([
    [['trace', multiNode, '--from', '10.0.0.1'], /give --from and --to, or --probes FILE/],
    [['trace', '--from', '10.0.0.1', '--to', '10.96.0.1:80'], /no input/],
    [['trace', multiNode, '--from', '1.1.1.1', '--to', '10.96.0.1:80', '--probes', 'x.yaml'], /cannot be combined/],
    [['trace', multiNode, '--from', '1.1.1.1', '--to', '10.96.0.1:80', '--protocol', 'icmp'], /invalid value 'icmp' for --protocol/],
    [['trace', multiNode, '--from', '1.1.1.1', '--to', '10.96.0.1:80', '-o', 'yaml'], /invalid value 'yaml' for -o/],
    [['trace', multiNode, '--node-ip', '1.1.1.1', '--from', '1.1.1.1', '--to', '10.96.0.1:80'], /--node-ip needs --rules/],
    [['trace', '--rules', tracePacket, '--node-ip', 'nope', '--from', '1.1.1.1', '--to', '10.96.0.1:80'], /not an IP address/],
    [['trace', '--rules', '/nonexistent/rules', '--from', '1.1.1.1', '--to', '10.96.0.1:80'], /cannot read/],
  ])('usage error: %j', async (argv, message) => {
    const r = await runCli(argv)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stdout).toBe('')
  })

  it('traces one probe to JSON with output, masquerade and outcomes', async () => {
    const r = await runCli(['trace', multiNode, '--from', '203.0.113.9', '--to', '10.96.0.50:443', '-o', 'json'])
    expect(r.code).toBe(0)
    const t = JSON.parse(r.stdout) as TraceJson
    expect(t.output).toBe('10.244.1.15:8443, 10.244.3.15:8443')
    expect(t.masquerade).toBe(true)
    expect(t.outcomes.map((o) => [o.verdict, o.dnat, o.probability, o.masquerade])).toEqual([
      ['DNAT', '10.244.1.15:8443', 0.5, true],
      ['DNAT', '10.244.3.15:8443', 0.5, true],
    ])
  })

  it('traces a probes file in file order, resolving pod: and node:, and reports unresolved probes', async () => {
    const probes = tmpFile(
      'probes.yaml',
      [
        '- name: pod to ingress',
        '  from: pod:shop/ingress-a',
        '  to: 10.96.0.50:443',
        '- name: missing pod',
        '  from: pod:shop/ghost',
        '  to: 10.96.0.50:443',
        '- name: node to api',
        '  from: node:worker-1',
        '  to: 10.96.0.60:80',
        '  protocol: TCP',
        '- name: udp nothing',
        '  from: 10.244.2.9',
        '  to: 10.96.0.50:443',
        '  protocol: udp',
        '',
      ].join('\n'),
    )
    const r = await runCli(['trace', multiNode, '--probes', probes, '-o', 'json'])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(new RegExp(`${probes}:4: error: Probe source: no Pod shop/ghost`))
    const traces = JSON.parse(r.stdout) as TraceJson[]
    expect(traces.map((t) => [t.probe.name, t.probe.sourceIP, t.probe.local])).toEqual([
      ['pod to ingress', '10.244.1.15', false],
      ['node to api', '192.168.10.11', true],
      ['udp nothing', '10.244.2.9', false],
    ])
    expect(traces[1]?.notes[0]).toMatch(/nat OUTPUT/)
    expect(traces[2]?.output).toBe('')
    expect(traces[2]?.outcomes.map((o) => o.verdict)).toEqual(['none'])
  })

  it('an unresolvable single probe is an issue and exit 1, not a crash', async () => {
    const r = await runCli(['trace', multiNode, '--from', 'node:nowhere', '--to', '10.96.0.50:443', '-o', 'json'])
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/error: Probe source: no Node nowhere in the plan/)
  })

  it('a probes file that is not YAML is an issue with its line', async () => {
    const probes = tmpFile('bad.yaml', '- from: 10.0.0.1\n  to: [\n')
    const r = await runCli(['trace', multiNode, '--probes', probes])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/bad\.yaml:\d+: error: Probes file is not valid YAML or JSON/)
  })

  it('prints readable text with the rule lines of the restore payload', async () => {
    const r = await runCli(['trace', multiNode, '--from', '198.18.0.1', '--to', '198.51.100.10:80'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/kube-proxy tracer: output "DROP", masquerade false/)
    expect(r.stdout).toMatch(/1 \(100%\)\s+DROP/)
    expect(r.stdout).toMatch(/decided by line \d+: -A KUBE-PROXY-FIREWALL .* -j DROP/)
    const plan = await runCli(['plan', multiNode, '-o', 'iptables-restore'])
    const lines = plan.stdout.split('\n')
    const m = /decided by line (\d+): (.*)/.exec(r.stdout)
    expect(lines[Number(m?.[1]) - 1]).toBe(m?.[2])
  })

  it('--rules traces a ruleset file (trace-packet) with its own line numbers', async () => {
    const r = await runCli(['trace', '--rules', tracePacket, '--node-ip', '192.168.0.2', '--from', '10.0.0.2', '--to', '172.30.0.46:80', '-o', 'json'])
    expect(r.code).toBe(0)
    const t = JSON.parse(r.stdout) as TraceJson
    expect(t.output).toBe('REJECT')
    expect(t.outcomes[0]?.path.at(-1)).toMatchObject({ line: 18, text: '-A KUBE-SERVICES -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.46 --dport 80 -j REJECT' })
  })

  it('--rules without node addresses warns that only loopback is LOCAL', async () => {
    const r = await runCli(['trace', '--rules', tracePacket, '--from', '10.0.0.2', '--to', '172.30.0.41:80', '-o', 'json'])
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/warning: No node addresses given/)
  })

  it('IPv6: [ip]:port destinations with --ip-family IPv6', async () => {
    const c = 'node-ports-ipv6-localhost-nodeports-enabled'
    const r = await runCli([
      'trace', '--cluster', join(CONFORMANCE_DIR, c, 'input.yaml'), '--cluster', caseFactsFile(c), '--ip-family', 'IPv6',
      '--from', 'fd00:10::2', '--to', '[2001:db8::1]:3001', '-o', 'json',
    ])
    expect(r.code).toBe(0)
    const t = JSON.parse(r.stdout) as TraceJson
    expect(t.probe.destIP).toBe('2001:db8::1')
    expect(t.outcomes.map((o) => o.dnat)).toEqual(['[fd00:10:180::1]:80', '[fd00:10:180::2:1]:80'])
    expect(t.outcomes.map((o) => o.probability)).toEqual([0.5, 0.5])
  })

  it.each(['svc:shop/ingress:443', 'shop/ingress:443', 'svc:shop/ingress:https', 'shop/ingress:https'])('--to %s traces to the Service port by name', async (to) => {
    const byIP = await runCli(['trace', multiNode, '--from', '203.0.113.9', '--to', '10.96.0.50:443', '-o', 'json'])
    const r = await runCli(['trace', multiNode, '--from', '203.0.113.9', '--to', to, '-o', 'json'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const t = JSON.parse(r.stdout) as TraceJson
    expect([t.probe.destIP, t.probe.destPort, t.probe.protocol]).toEqual(['10.96.0.50', 443, 'tcp'])
    expect(t.outcomes).toEqual((JSON.parse(byIP.stdout) as TraceJson).outcomes)
  })

  it('a Service destination takes the port\'s protocol, and explains what is wrong', async () => {
    const dns = tmpFile(
      'dns.yaml',
      'apiVersion: v1\nkind: Service\nmetadata: {name: dns, namespace: kube-system}\nspec:\n  clusterIP: 10.96.0.10\n  ports: [{name: dns, port: 53, protocol: UDP}]\n',
    )
    const r = await runCli(['trace', dns, '--from', '10.244.0.5', '--to', 'svc:kube-system/dns:dns', '-o', 'json'])
    expect((JSON.parse(r.stdout) as TraceJson).probe).toMatchObject({ destIP: '10.96.0.10', destPort: 53, protocol: 'udp' })
    const noPort = await runCli(['trace', dns, '--from', '10.244.0.5', '--to', 'kube-system/dns:http'])
    expect(noPort.code).toBe(1)
    expect(noPort.stderr).toMatch(/Probe destination: Service kube-system\/dns has no port http \(ports: dns 53\)/)
    const noSvc = await runCli(['trace', dns, '--from', '10.244.0.5', '--to', 'svc:web:80'])
    expect(noSvc.stderr).toMatch(/no Service default\/web in the plan/)
  })

  it('an unreadable destination lists every accepted form', async () => {
    const r = await runCli(['trace', multiNode, '--from', '203.0.113.9', '--to', 'ingress'])
    expect(r.code).toBe(1)
    for (const form of ['IP:PORT', '[IPv6]:PORT', 'pod:NS/NAME:PORT', 'node:NAME:PORT', 'svc:NS/NAME:PORT', 'NS/NAME:PORT']) expect(r.stderr).toContain(form)
  })
})
