/**
 * nftables mode through the CLI (issue 15): how the mode is chosen (KubeProxyConfiguration.mode,
 * --proxy-mode, -o nft / nft-list), what plan JSON and text say, diff in nftables mode, and the
 * migration view `diff --base-proxy-mode iptables --head-proxy-mode nftables`.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/run-cli.ts'

const ROOT = join(import.meta.dirname, '..', '..')
const MULTI = join(ROOT, 'examples', 'multi-node')
const SHOP = join(ROOT, 'test', 'fixtures', 'scenarios', 'shop-pr')

/** examples/multi-node with its KubeProxyConfiguration switched to `mode: nftables`. */
function multiNodeInNftablesMode(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kube-whatif-nft-mode-'))
  for (const f of ['cluster.yaml', 'api-loadbalancer.yaml', 'ingress-nodeport.yaml']) {
    const text = readFileSync(join(MULTI, f), 'utf8')
    writeFileSync(join(dir, f), f === 'cluster.yaml' ? text.replace(/^mode: iptables$/m, 'mode: nftables') : text)
  }
  return dir
}

describe('plan', () => {
  it('takes nftables mode from KubeProxyConfiguration.mode', async () => {
    const r = await runCli(['plan', multiNodeInNftablesMode(), '-o', 'json'])
    expect(r.code, r.stderr).toBe(0)
    const doc = JSON.parse(r.stdout) as { proxyMode: string; nftables: string | null; iptablesRestore: string | null }
    expect(doc.proxyMode).toBe('nftables')
    expect(doc.iptablesRestore).toBeNull()
    expect(doc.nftables).toMatch(/^add table ip kube-proxy \{ comment "rules for kube-proxy" ; \}\n/)
    expect(doc.nftables).toContain('add element ip kube-proxy service-nodeports { tcp . 31080 : goto external-WEZGB4Y6-shop/api/tcp/http }')
    // No KubeProxyConfiguration warning for a mode that is modelled.
    expect(r.stderr).not.toMatch(/not modelled/)
  })

  it('--proxy-mode wins over the facts; -o nft implies nftables; a format of the other mode is a usage error', async () => {
    const viaFlag = await runCli(['plan', MULTI, '--proxy-mode', 'nftables', '-o', 'json'])
    expect((JSON.parse(viaFlag.stdout) as { proxyMode: string }).proxyMode).toBe('nftables')
    const back = await runCli(['plan', multiNodeInNftablesMode(), '--proxy-mode', 'iptables', '-o', 'json'])
    const doc = JSON.parse(back.stdout) as { proxyMode: string; nftables: string | null; iptablesRestore: string }
    expect([doc.proxyMode, doc.nftables]).toEqual(['iptables', null])
    expect(doc.iptablesRestore).toMatch(/^\*filter/)
    const nft = await runCli(['plan', MULTI, '-o', 'nft'])
    expect(nft.code, nft.stderr).toBe(0)
    expect(nft.stdout).toContain('add rule ip kube-proxy masquerading mark and 0x00004000 == 0 return')
    const list = await runCli(['plan', MULTI, '-o', 'nft-list'])
    expect(list.stdout).toMatch(/^table ip kube-proxy \{\n\tcomment "rules for kube-proxy"\n/)
    const clash = await runCli(['plan', MULTI, '--proxy-mode', 'iptables', '-o', 'nft'])
    expect(clash.code).toBe(2)
    expect(clash.stderr).toMatch(/-o nft shows nftables rules, but --proxy-mode is iptables/)
    const bad = await runCli(['plan', MULTI, '--proxy-mode', 'ipvs'])
    expect(bad.code).toBe(2)
  })

  it('follows the Kubernetes version: v1.33 has the older base chains and a port match in the ClusterIP masquerade rule', async () => {
    const old = await runCli(['plan', MULTI, '--kubernetes-version', '1.33', '-o', 'nft'])
    expect(old.stdout).toContain('add chain ip kube-proxy filter-prerouting { type filter hook prerouting priority -110 ; }')
    expect(old.stdout).toContain('add rule ip kube-proxy filter-output-post-dnat ct state new jump cluster-ips-check')
    expect(old.stdout).toMatch(/ip daddr 10\.96\.0\.60 tcp dport 80 ip saddr != 10\.244\.0\.0\/16 jump mark-for-masquerade/)
    const now = await runCli(['plan', MULTI, '--kubernetes-version', '1.35', '-o', 'nft'])
    expect(now.stdout).toContain('add chain ip kube-proxy filter-prerouting-pre-dnat { type filter hook prerouting priority -110 ; }')
    expect(now.stdout).toMatch(/ip daddr 10\.96\.0\.60 ip saddr != 10\.244\.0\.0\/16 jump mark-for-masquerade/)
    const json = JSON.parse((await runCli(['plan', MULTI, '--kubernetes-version', '1.33', '-o', 'json', '--proxy-mode', 'nftables'])).stdout) as { assumptions: string[] }
    expect(json.assumptions.some((a) => a.includes('as kube-proxy v1.30-v1.33 writes it'))).toBe(true)
  })

  it('renders the ip6 table for --ip-family IPv6', async () => {
    const r = await runCli(['plan', join(ROOT, 'examples', 'workloads'), '--ip-family', 'IPv6', '-o', 'nft'])
    expect(r.stdout.split('\n')[0]).toBe('add table ip6 kube-proxy { comment "rules for kube-proxy" ; }')
    expect(r.stdout).toContain('ip6 daddr != ::1 meta l4proto . th dport vmap @no-endpoint-nodeports')
  })

  it('the text plan names the mode and each port’s map elements', async () => {
    const r = await runCli(['plan', MULTI, '--proxy-mode', 'nftables'])
    expect(r.stdout).toMatch(/^Plan for node worker-1 \(IPv4, nftables mode\)/)
    expect(r.stdout).toContain('nft elements  service-ips { 10.96.0.60 . tcp . 80 : goto service-WEZGB4Y6-shop/api/tcp/http }')
    expect(r.stdout).toContain('firewall-ips { 198.51.100.10 . tcp . 80 : goto firewall-WEZGB4Y6-shop/api/tcp/http }')
  })
})

describe('trace in nftables mode', () => {
  it('gives outcomes with exact odds and rule lines of -o nft', async () => {
    const plan = await runCli(['plan', MULTI, '--proxy-mode', 'nftables', '-o', 'nft'])
    const r = await runCli(['trace', MULTI, '--proxy-mode', 'nftables', '--from', '10.244.1.99', '--to', '10.96.0.60:80', '-o', 'json'])
    expect(r.code, r.stderr).toBe(0)
    const t = JSON.parse(r.stdout) as { output: string; outcomes: { fraction: string; dnat: string; path: { line: number; text: string }[] }[] }
    expect(t.output).toBe('10.244.1.20:8080, 10.244.2.20:8080, 10.244.3.20:8080')
    expect(t.outcomes.map((o) => [o.fraction, o.dnat])).toEqual([
      ['1/3', '10.244.1.20:8080'],
      ['1/3', '10.244.2.20:8080'],
      ['1/3', '10.244.3.20:8080'],
    ])
    const lines = plan.stdout.split('\n')
    for (const step of t.outcomes[0]?.path ?? []) expect(lines[step.line - 1]).toBe(step.text)
  })
})

describe('diff', () => {
  it('compares nftables rulesets when both sides are in nftables mode', async () => {
    const r = await runCli(['diff', '--cluster', join(SHOP, 'cluster'), '--base', join(SHOP, 'base'), '--head', join(SHOP, 'head'), '--proxy-mode', 'nftables', '-o', 'json'])
    const d = JSON.parse(r.stdout) as { proxyMode: { base: string; head: string }; rules: { proxyMode: string; tables: { table: string }[]; unified: string }[]; migration?: unknown }
    expect(d.proxyMode).toEqual({ base: 'nftables', head: 'nftables' })
    expect(d.migration).toBeUndefined()
    expect(d.rules.length).toBeGreaterThan(0)
    expect(d.rules[0]?.proxyMode).toBe('nftables')
    expect(d.rules[0]?.tables.map((t) => t.table)).toEqual(['ip kube-proxy'])
    expect(d.rules[0]?.unified).toMatch(/^--- base\/nft\n\+\+\+ head\/nft\n/)
    expect(d.rules[0]?.unified).toMatch(/^[+-]add (rule|element|chain) ip kube-proxy /m)
    const md = await runCli(['diff', '--cluster', join(SHOP, 'cluster'), '--base', join(SHOP, 'base'), '--head', join(SHOP, 'head'), '--proxy-mode', 'nftables', '-o', 'markdown'])
    expect(md.stdout).toContain('<details><summary>nftables rules diff')
  })

  it('migration view on examples/multi-node: localhost NodePorts and NodePort addresses per NodePort service port', async () => {
    const argv = ['diff', '--base', MULTI, '--head', MULTI, '--base-proxy-mode', 'iptables', '--head-proxy-mode', 'nftables']
    const r = await runCli([...argv, '-o', 'json'])
    const d = JSON.parse(r.stdout) as { proxyMode: { base: string; head: string }; migration: { servicePort: string; difference: string; iptables: string; nftables: string }[] }
    expect(d.proxyMode).toEqual({ base: 'iptables', head: 'nftables' })
    for (const sp of ['shop/api:http/TCP', 'shop/ingress:https/TCP']) {
      const of = d.migration.filter((m) => m.servicePort === sp).map((m) => m.difference)
      expect(of).toEqual(expect.arrayContaining(['localhost NodePorts', 'NodePort addresses', 'other ports of the ClusterIP']))
    }
    const localhost = d.migration.find((m) => m.servicePort === 'shop/api:http/TCP' && m.difference === 'localhost NodePorts')
    expect(localhost?.iptables).toMatch(/nodePortAddresses \(192\.168\.10\.0\/24\) covers no loopback address/)
    expect(localhost?.nftables).toMatch(/never served/)
    const addresses = d.migration.find((m) => m.servicePort === 'shop/api:http/TCP' && m.difference === 'NodePort addresses')
    expect(addresses?.nftables).toMatch(/^192\.168\.10\.11:31080: .*nodeport-ips/)
    expect(d.migration.find((m) => m.difference === 'loadBalancerSourceRanges')?.servicePort).toBe('shop/api:http/TCP')
    expect(d.migration.filter((m) => m.servicePort === '*').map((m) => m.difference)).toEqual(['unallocated ClusterIPs', 'conntrack INVALID packets'])
    const md = await runCli([...argv, '-o', 'markdown'])
    expect(md.stdout).toMatch(/Migration iptables → nftables: \d+ differences/)
    expect(md.stdout).toContain('| `shop/api:http/TCP` | localhost NodePorts |')
    const text = await runCli(argv)
    expect(text.stdout).toContain('shop/ingress:https/TCP · NodePort addresses')
  })

  it('without nodePortAddresses the NodePort addresses differ in substance (loopback)', async () => {
    const r = await runCli(['diff', '--base', join(ROOT, 'examples', 'workloads'), '--head', join(ROOT, 'examples', 'workloads'), '--base-proxy-mode', 'iptables', '--head-proxy-mode', 'nftables', '-o', 'json'])
    const d = JSON.parse(r.stdout) as { migration: { difference: string; iptables: string; nftables: string }[] }
    const a = d.migration.find((m) => m.difference === 'NodePort addresses')
    expect(a?.iptables).toMatch(/every local address of the node \(-m addrtype --dst-type LOCAL\), 127\.0\.0\.1 included/)
    expect(a?.nftables).toMatch(/except loopback/)
    expect(d.migration.find((m) => m.difference === 'localhost NodePorts')?.iptables).toMatch(/^127\.0\.0\.1:\d+ reaches the Service/)
  })
})
