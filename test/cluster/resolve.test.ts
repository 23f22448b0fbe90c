import { describe, expect, it } from 'vitest'
import { DEFAULT_CLUSTER_PROFILE, DEFAULT_KUBE_PROXY_CONFIGURATION } from '../../src/core/cluster/defaults.ts'
import { resolveCluster } from '../../src/core/cluster/resolve.ts'
import { inventory, kpc, node, profile } from './builders.ts'

describe('resolveCluster defaults', () => {
  it('uses the documented defaults and says so when no ClusterProfile or KubeProxyConfiguration is given', () => {
    const r = resolveCluster(inventory({ nodes: [node('a', ['10.0.0.1'])] }))
    expect(r.value.profile).toEqual(DEFAULT_CLUSTER_PROFILE)
    expect(r.value.kubeProxy).toEqual(DEFAULT_KUBE_PROXY_CONFIGURATION)
    expect(r.value.assumptions.join('\n')).toMatch(/No ClusterProfile given: service range 10\.96\.0\.0\/12/)
    expect(r.value.assumptions.join('\n')).toMatch(/No KubeProxyConfiguration given/)
    expect(r.issues).toEqual([])
  })

  it('takes the given profile and configuration without assumptions about them (only the version is stated)', () => {
    const p = profile({ serviceClusterIPRange: '10.0.0.0/16', kubernetesVersion: '1.33', kubernetesVersionDefaulted: false })
    const k = kpc({ clusterCIDR: '10.244.0.0/16' })
    const r = resolveCluster(inventory({ nodes: [node('a')], profile: p, kubeProxy: k }))
    expect(r.value.profile).toBe(p)
    expect(r.value.kubeProxy).toBe(k)
    expect(r.value.assumptions).toEqual(['Kubernetes 1.33, from the ClusterProfile.'])
  })

  it('states the default Kubernetes version, and lets the caller override the profile', () => {
    const r = resolveCluster(inventory({ nodes: [node('a')] }))
    expect(r.value.profile.kubernetesVersion).toBe('1.35')
    expect(r.value.assumptions[0]).toBe('Kubernetes 1.35 (the default; set kubernetesVersion in a ClusterProfile or --kubernetes-version to plan for 1.31, 1.32, 1.33, 1.34).')
    const p = profile({ kubernetesVersion: '1.34', kubernetesVersionDefaulted: false })
    const o = resolveCluster(inventory({ nodes: [node('a')], profile: p }), { kubernetesVersion: '1.32' })
    expect(o.value.profile.kubernetesVersion).toBe('1.32')
    expect(o.value.assumptions[0]).toBe("Kubernetes 1.32, as requested for this run instead of the ClusterProfile's 1.34.")
    const same = resolveCluster(inventory({ nodes: [node('a')] }), { kubernetesVersion: '1.31' })
    expect(same.value.profile).toMatchObject({ kubernetesVersion: '1.31' })
    expect(same.value.profile.kubernetesVersionDefaulted).toBeUndefined()
    expect(same.value.assumptions[0]).toBe('Kubernetes 1.31, as requested for this run.')
  })

  it('warns that modes other than iptables are not modelled', () => {
    const r = resolveCluster(inventory({ nodes: [node('a')], kubeProxy: kpc({ mode: 'ipvs' }) }))
    expect(r.issues).toMatchObject([{ code: 'cluster/proxy-mode', severity: 'warning' }])
  })
})

describe('resolveCluster node synthesis', () => {
  it('synthesises node-1..3 with kind-style IPs and /24 podCIDRs of 10.244.0.0/16 when nothing is known', () => {
    const r = resolveCluster(inventory())
    const nodes = r.value.nodes
    expect(nodes.map((n) => n.metadata.name)).toEqual(['node-1', 'node-2', 'node-3'])
    expect(nodes.every((n) => n.synthesised === true)).toBe(true)
    expect(nodes[1]?.addresses.filter((a) => a.type === 'InternalIP').map((a) => a.address)).toEqual(['172.18.0.3', 'fc00:f853:ccd:e793::3'])
    expect(nodes.map((n) => n.podCIDRs)).toEqual([
      ['10.244.0.0/24', 'fd00:10:244::/64'],
      ['10.244.1.0/24', 'fd00:10:244:1::/64'],
      ['10.244.2.0/24', 'fd00:10:244:2::/64'],
    ])
    expect(r.value.nodeName).toBe('node-1')
    expect(r.value.assumptions.join('\n')).toMatch(/synthesised 3 nodes: node-1 \(172\.18\.0\.2, fc00:f853:ccd:e793::2; podCIDRs 10\.244\.0\.0\/24/)
  })

  it('carves podCIDRs out of the clusterCIDR, per family, only for the families it names', () => {
    const r = resolveCluster(inventory({ kubeProxy: kpc({ clusterCIDR: '10.100.0.0/16' }) }))
    expect(r.value.nodes.map((n) => n.podCIDRs)).toEqual([['10.100.0.0/24'], ['10.100.1.0/24'], ['10.100.2.0/24']])
    const dual = resolveCluster(inventory({ kubeProxy: kpc({ clusterCIDR: 'fd00:1::/48,10.1.0.0/16' }) }))
    expect(dual.value.nodes[2]?.podCIDRs).toEqual(['10.1.2.0/24', 'fd00:1:0:2::/64'])
  })

  it('still fits every node when the pod network is narrower than a /24', () => {
    const r = resolveCluster(inventory({ kubeProxy: kpc({ clusterCIDR: '10.0.0.0/26' }) }))
    expect(r.value.nodes.map((n) => n.podCIDRs[0])).toEqual(['10.0.0.0/28', '10.0.0.16/28', '10.0.0.32/28'])
  })

  it('never renames a synthesised node: an unknown --node, ClusterProfile.node or hostnameOverride is an error naming the known nodes', () => {
    const byOption = resolveCluster(inventory(), { node: 'worker' })
    expect(byOption.value.nodes.map((n) => n.metadata.name)).toEqual(['node-1', 'node-2', 'node-3'])
    expect(byOption.value.nodeName).toBe('node-1')
    expect(byOption.issues).toMatchObject([{ code: 'cluster/unknown-node-option', severity: 'error', message: '--node "worker" names no Node (known: node-1, node-2, node-3).' }])
    const byProfile = resolveCluster(inventory({ profile: profile({ node: 'cp' }) }))
    expect(byProfile.issues).toMatchObject([{ code: 'cluster/unknown-node', severity: 'error', path: 'node' }])
    const byOverride = resolveCluster(inventory({ kubeProxy: kpc({ hostnameOverride: 'h' }) }))
    expect(byOverride.issues).toMatchObject([{ code: 'cluster/unknown-node', severity: 'error', path: 'hostnameOverride' }])
  })

  it('does not rename when the wanted node is one of the synthesised names', () => {
    const r = resolveCluster(inventory(), { node: 'node-2' })
    expect(r.value.nodes.map((n) => n.metadata.name)).toEqual(['node-1', 'node-2', 'node-3'])
    expect(r.value.nodeName).toBe('node-2')
    expect(r.issues).toEqual([])
  })
})

describe('resolveCluster node choice', () => {
  const nodes = [node('c'), node('a'), node('b')]

  it('sorts nodes by name and renders the first one by default', () => {
    const r = resolveCluster(inventory({ nodes }))
    expect(r.value.nodes.map((n) => n.metadata.name)).toEqual(['a', 'b', 'c'])
    expect(r.value.nodeName).toBe('a')
    expect(r.value.assumptions).not.toContain(expect.stringMatching(/synthesised/))
  })

  it('prefers --node, then ClusterProfile.node, then hostnameOverride', () => {
    const inv = inventory({ nodes, profile: profile({ node: 'b' }), kubeProxy: kpc({ hostnameOverride: 'c' }) })
    expect(resolveCluster(inv, { node: 'c' }).value.nodeName).toBe('c')
    expect(resolveCluster(inv).value.nodeName).toBe('b')
    expect(resolveCluster(inventory({ nodes, kubeProxy: kpc({ hostnameOverride: 'c' }) })).value.nodeName).toBe('c')
  })

  it('reports an unknown --node as an error and falls back to the next rule', () => {
    const r = resolveCluster(inventory({ nodes, profile: profile({ node: 'b' }) }), { node: 'zz' })
    expect(r.value.nodeName).toBe('b')
    expect(r.issues).toMatchObject([{ code: 'cluster/unknown-node-option', severity: 'error', message: '--node "zz" names no Node (known: a, b, c).' }])
  })

  it('reports an unknown ClusterProfile.node or hostnameOverride as an error', () => {
    const r = resolveCluster(inventory({ nodes, profile: profile({ node: 'x' }), kubeProxy: kpc({ hostnameOverride: 'y' }) }))
    expect(r.value.nodeName).toBe('a')
    expect(r.issues.map((i) => [i.severity, i.path])).toEqual([
      ['error', 'node'],
      ['error', 'hostnameOverride'],
    ])
  })

  it('treats a Node given on both sides as an update: the proposed one wins', () => {
    const old = node('a', ['10.0.0.1'], { origin: 'existing' })
    const updated = node('a', ['10.0.0.9'], { origin: 'proposed' })
    for (const order of [[old, updated], [updated, old]]) {
      const r = resolveCluster(inventory({ nodes: order }))
      expect(r.value.nodes).toHaveLength(1)
      expect(r.value.nodes[0]?.addresses[0]?.address).toBe('10.0.0.9')
    }
  })
})
