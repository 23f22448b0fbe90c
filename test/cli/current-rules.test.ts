/**
 * `--current-rules FILE` through the CLI: a full sync from the node's iptables-save output
 * declares and deletes the service chains no longer needed (proxier.go syncProxyRules' stale
 * chain cleanup), the save/list forms and traces show the rules after the sync, `diff` syncs the
 * base from the file and the head from what the base leaves, and bad files get file:line errors.
 * (test/kernel/current-rules.test.ts proves the payloads against real iptables.)
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/run-cli.ts'

const root = join(import.meta.dirname, '..', '..')
const meu = join(root, 'examples', 'meu-namespace')
const dir = mkdtempSync(join(tmpdir(), 'kube-whatif-current-'))
const file = (name: string, text: string): string => {
  const p = join(dir, name)
  writeFileSync(p, text)
  return p
}
const only = (name: string): string => join(meu, name)

async function out(argv: string[], code = 0): Promise<string> {
  const r = await runCli(argv)
  expect(r.code, r.stderr).toBe(code)
  return r.stdout
}

const serviceChains = (text: string): string[] => [...text.matchAll(/^:(KUBE-(?:SVC|SVL|EXT|FW|SEP)-\S+) /gm)].map((m) => m[1] as string)

describe('plan --current-rules', async () => {
  // The node after syncing both Services of the example; the head keeps only web.yaml's.
  const before = await out(['plan', meu, '-o', 'iptables-save'])
  const state = file('node-1.save', before)
  const kept = await out(['plan', only('web.yaml'), '-o', 'iptables-restore'])
  const gone = serviceChains(before).filter((c) => !serviceChains(kept).includes(c)).sort()

  it('declares each stale service chain after the others and deletes it before the KUBE-NODEPORTS tail rule', async () => {
    expect(gone.length).toBeGreaterThan(0)
    const payload = await out(['plan', only('web.yaml'), '--current-rules', state, '-o', 'iptables-restore'])
    const nat = payload.slice(payload.indexOf('*nat\n'))
    const lines = nat.split('\n')
    const decls = lines.filter((l) => l.startsWith(':')).map((l) => l.slice(1).split(' ')[0])
    // kube-proxy writes the stale declarations after every chain of this sync.
    expect(decls.slice(-gone.length)).toEqual(gone)
    const x = lines.flatMap((l, i) => (l.startsWith('-X ') ? [i] : []))
    expect(x.map((i) => lines[i])).toEqual(gone.map((c) => `-X ${c}`))
    // After every service rule, immediately before the nodeports tail rule.
    expect(lines[(x.at(-1) as number) + 1]).toMatch(/^-A KUBE-SERVICES .*kubernetes service nodeports.* -j KUBE-NODEPORTS$/)
    expect(lines.slice(0, x[0]).every((l) => !l.includes('kubernetes service nodeports'))).toBe(true)
    // Everything else is the fresh payload.
    expect(payload.split('\n').filter((l) => !l.startsWith('-X ') && !gone.some((c) => l === `:${c} - [0:0]`))).toEqual(kept.split('\n'))
  })

  it('a node without stale chains gets the fresh payload byte for byte', async () => {
    expect(await out(['plan', meu, '--current-rules', state, '-o', 'iptables-restore'])).toBe(await out(['plan', meu, '-o', 'iptables-restore']))
  })

  it('shows the state after the sync in iptables-save / iptables-list, and says what it assumed', async () => {
    for (const format of ['iptables-save', 'iptables-list']) {
      expect(await out(['plan', only('web.yaml'), '--current-rules', state, '-o', format])).toBe(await out(['plan', only('web.yaml'), '-o', format]))
    }
    const json = JSON.parse(await out(['plan', only('web.yaml'), '--current-rules', state, '-o', 'json'])) as { assumptions: string[]; iptablesRestore: string }
    expect(json.assumptions.join('\n')).toContain(`deletes (-X) the ${gone.length} service chains it holds that are no longer needed, in byte order of their names`)
    expect(json.iptablesRestore).toContain(`-X ${gone[0]}`)
  })

  it('reads iptables-save -c counters, and keeps chains and built-in rules that are not kube-proxy\'s', async () => {
    const counted = before.replace(/^-A /gm, '[12:720] -A ').replace('*nat\n:PREROUTING ACCEPT [0:0]\n', '*nat\n:PREROUTING ACCEPT [0:0]\n:MY-CHAIN - [0:0]\n')
    const withForeign = counted.replace(/^(\[12:720\] -A PREROUTING .*)$/m, '$1\n-A PREROUTING -p tcp -m tcp --dport 27017 -j MY-CHAIN\n-A MY-CHAIN -j DROP')
    const f = file('foreign.save', withForeign)
    const save = await out(['plan', only('web.yaml'), '--current-rules', f, '-o', 'iptables-save'])
    expect(save).toMatch(/^-A MY-CHAIN -j DROP$/m)
    expect(save).toMatch(/^-A PREROUTING -p tcp -m tcp --dport 27017 -j MY-CHAIN$/m)
    for (const c of gone) expect(save).not.toContain(c)
  })

  it('trace meets the rules after the sync (a rule the node already had comes first)', async () => {
    const svc = JSON.parse(await out(['plan', meu, '-o', 'json'])) as { servicePorts: { spn: string; clusterIP: string; port: number }[] }
    const mongo = svc.servicePorts.find((p) => p.port === 27017) as { clusterIP: string; port: number }
    const to = `${mongo.clusterIP}:${mongo.port}`
    const blocked = file(
      'blocked.save',
      before.replace('*nat\n:PREROUTING ACCEPT [0:0]\n', '*nat\n:PREROUTING ACCEPT [0:0]\n:MY-CHAIN - [0:0]\n').replace(/^(-A PREROUTING .*)$/m, `-A PREROUTING -d ${mongo.clusterIP}/32 -j MY-CHAIN\n$1\n-A MY-CHAIN -j DROP`),
    )
    const plain = JSON.parse(await out(['trace', meu, '--from', '203.0.113.7', '--to', to, '-o', 'json'])) as { outcomes: { verdict: string }[]; notes: string[] }
    expect(plain.outcomes.map((o) => o.verdict)).not.toContain('DROP')
    const after = JSON.parse(await out(['trace', meu, '--current-rules', blocked, '--from', '203.0.113.7', '--to', to, '-o', 'json'])) as { outcomes: { verdict: string }[]; notes: string[] }
    expect(after.outcomes.map((o) => o.verdict)).toEqual(['DROP'])
    expect(after.notes.join('\n')).toContain(`after the sync from ${blocked}`)
  })

  it('reports a sync the kernel would refuse: a chain the sync keeps still jumps to a stale chain', async () => {
    const target = gone[0] as string
    const text = before.replace('*nat\n:PREROUTING ACCEPT [0:0]\n', '*nat\n:PREROUTING ACCEPT [0:0]\n:MY-CHAIN - [0:0]\n').replace(/^COMMIT$/m, `-A MY-CHAIN -j ${target}\nCOMMIT`)
    const f = file('in-use.save', text)
    const line = text.split('\n').indexOf(`-A MY-CHAIN -j ${target}`) + 1
    const r = await runCli(['plan', only('web.yaml'), '--current-rules', f, '-o', 'iptables-restore'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`${f}:${line}: error: kube-proxy's sync from ${f} fails: chain MY-CHAIN still jumps to the stale ${target}, so "-X ${target}" is refused`)
  })

  it('bad text gets file:line errors and the plan is still printed (exit 1)', async () => {
    const bad = file('bad.save', '*nat\n:KUBE-SVC-AAAA - [0:0]\n-A KUBE-SVC-AAAA -j KUBE-SEP-B\nthis is not iptables\n')
    const r = await runCli(['plan', only('web.yaml'), '--current-rules', bad, '-o', 'iptables-restore'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`${bad}:4: error: cannot parse line "this is not iptables"`)
    expect(r.stderr).toMatch(/bad\.save:\d+: error: missing COMMIT/)
    expect(r.stdout).toContain('-X KUBE-SVC-AAAA')
  })

  it('refuses a file of the other family or without a nat table, naming the file', async () => {
    const v6 = await out(['plan', meu, '--ip-family', 'IPv6', '-o', 'iptables-save'])
    const v6file = file('v6.save', v6.replace(/^-A KUBE-SERVICES .*$/m, (l) => `${l}\n-A KUBE-SERVICES -d fd00::1/128 -j RETURN`))
    const r = await runCli(['plan', meu, '--current-rules', v6file, '-o', 'iptables-restore'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`${v6file}:1: error: ${v6file} holds IPv6 rules (ip6tables-save output) but the IPv4 kube-proxy is rendered`)
    const filterOnly = file('filter.save', '*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n')
    const f = await runCli(['plan', meu, '--current-rules', filterOnly, '-o', 'json'])
    expect(f.code).toBe(1)
    expect(f.stderr).toContain('has no *nat table')
  })

  it('usage errors: a directory, or together with trace --rules', async () => {
    const d = await runCli(['plan', meu, '--current-rules', dir])
    expect(d.code).toBe(2)
    expect(d.stderr).toContain('--current-rules')
    const t = await runCli(['trace', meu, '--rules', state, '--current-rules', state, '--from', '1.1.1.1', '--to', '10.96.0.1:80'])
    expect(t.code).toBe(2)
  })
})

describe('diff --current-rules', async () => {
  const before = await out(['plan', meu, '-o', 'iptables-save'])
  const state = file('diff-node.save', before)
  const headDir = mkdtempSync(join(tmpdir(), 'kube-whatif-current-head-'))
  writeFileSync(join(headDir, 'web.yaml'), '')

  it('the base syncs from the file, the head from what the base leaves: its payload deletes the chains it drops', async () => {
    const r = await runCli(['diff', '--base', meu, '--head', only('web.yaml'), '--current-rules', state, '-o', 'json'])
    expect(r.code, r.stderr).toBe(2)
    const d = JSON.parse(r.stdout) as { nodesCompared: string[]; rules: { unified: string }[] }
    expect(d.nodesCompared).toEqual(['node-1'])
    const unified = d.rules[0]?.unified ?? ''
    const kept = await out(['plan', only('web.yaml'), '-o', 'iptables-restore'])
    const gone = serviceChains(before).filter((c) => !serviceChains(kept).includes(c))
    for (const c of gone) expect(unified).toMatch(new RegExp(`^\\+-X ${c}$`, 'm'))
    // The base's sync from the file (the same Services) deletes nothing.
    expect(unified).not.toMatch(/^--X /m)
  })
})
