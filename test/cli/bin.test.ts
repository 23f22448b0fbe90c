/**
 * The real entry point, spawned as a user (or `npx kube-whatif`) runs it: Node 20 + the tsx
 * loader registered by bin/kube-whatif.js.
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..', '..')
const bin = join(root, 'bin', 'kube-whatif.js')

function run(args: readonly string[], input?: string) {
  return spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', input, timeout: 60_000 })
}

describe('bin/kube-whatif.js', () => {
  it('prints the help', () => {
    const r = run(['--help'])
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^Usage: kube-whatif <command>/)
  })

  it('plans an example', () => {
    const r = run(['plan', 'examples/meu-namespace', '-o', 'iptables-restore'])
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^\*filter\n/)
    expect(r.stdout).toMatch(/-A KUBE-SERVICES -m comment --comment "meu-namespace\/meu-service:mongodb cluster IP" -m tcp -p tcp -d 10\.96\.0\.100 --dport 27017 -j KUBE-SVC-/)
  })

  it('reads stdin and exits 2 without a stack trace for a missing file', () => {
    const ok = run(['plan', '-', '-o', 'json'], 'apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {clusterIP: 10.96.0.9, ports: [{port: 80}]}\n')
    expect(ok.status).toBe(0)
    expect(JSON.parse(ok.stdout)).toMatchObject({ schemaVersion: 1, services: [{ name: 'a' }] })
    const missing = run(['plan', 'does/not/exist.yaml'])
    expect(missing.status).toBe(2)
    expect(missing.stderr).toBe("kube-whatif: cannot read 'does/not/exist.yaml': no such file or directory\n")
  })
})
