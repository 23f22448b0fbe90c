/**
 * Issue 11 point 5 through the CLI: a node name that is no Node, given or synthesised, is never
 * papered over by renaming node-1. `--node` is a usage error (exit 2 for plan and trace, 1 for
 * diff, its error code); ClusterProfile.node / hostnameOverride are error issues (exit 1).
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/run-cli.ts'
import { planJson, tmpTree } from './helpers.ts'

const ex = join(import.meta.dirname, '..', '..', 'examples', 'meu-namespace')
const KNOWN = '(known: node-1, node-2, node-3)'

describe('an unknown node name', () => {
  it('is a usage error for plan with synthesised nodes (exit 2, nothing planned)', async () => {
    const r = await runCli(['plan', ex, '--node', 'nope', '-o', 'json'])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain(`kube-whatif: --node "nope" names no Node ${KNOWN}`)
  })

  it('is a usage error for trace (exit 2)', async () => {
    const r = await runCli(['trace', ex, '--node', 'nope', '--from', '10.0.0.1', '--to', '10.96.0.100:27017'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`--node "nope" names no Node ${KNOWN}`)
  })

  it('is an error for diff (exit 1, its error code)', async () => {
    const r = await runCli(['diff', '--base', ex, '--head', ex, '--node', 'nope'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`--node "nope" names no Node ${KNOWN}`)
  })

  it('still accepts a synthesised name', async () => {
    const { run, plan } = await planJson([ex, '--node', 'node-3'])
    expect(run.code).toBe(0)
    expect(plan.node).toBe('node-3')
  })

  it.each([
    ['ClusterProfile node', 'apiVersion: kube-whatif.dev/v1alpha1\nkind: ClusterProfile\nmetadata: {name: p}\nnode: cp-1\n', 'ClusterProfile node "cp-1"'],
    ['hostnameOverride', 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nhostnameOverride: cp-1\n', 'KubeProxyConfiguration hostnameOverride "cp-1"'],
  ])('is an error issue when %s names no Node (exit 1, node-1 keeps its name)', async (_what, facts, subject) => {
    const { run, plan } = await planJson([ex, '--cluster', tmpTree({ 'facts.yaml': facts })])
    expect(run.code).toBe(1)
    expect(plan.node).toBe('node-1')
    expect(plan.cluster.nodes.map((n) => n.name)).toEqual(['node-1', 'node-2', 'node-3'])
    expect(plan.issues).toContainEqual(expect.objectContaining({ code: 'cluster/unknown-node', severity: 'error', message: `${subject} names no Node ${KNOWN}.` }))
  })
})
