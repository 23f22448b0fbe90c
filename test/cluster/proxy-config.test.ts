import { describe, expect, it } from 'vitest'
import { proxyConfigFor } from '../../src/core/cluster/proxy-config.ts'
import { resolveCluster } from '../../src/core/cluster/resolve.ts'
import type { ClusterProfile, KubeProxyConfiguration } from '../../src/core/model/cluster.ts'
import type { Node } from '../../src/core/model/k8s.ts'
import { inventory, kpc, node, profile } from './builders.ts'

const N = node('n1', ['192.168.0.2', '2001:db8::1', 'ExternalIP=203.0.113.7', 'Hostname=n1'], {
  podCIDRs: ['10.244.3.0/24', 'fd00:10:244:3::/64'],
  labels: { 'topology.kubernetes.io/zone': 'zone-a' },
})

function cfg(k: KubeProxyConfiguration, family: 'IPv4' | 'IPv6' = 'IPv4', nodes: Node[] = [N], p?: ClusterProfile) {
  const facts = resolveCluster(inventory({ nodes, kubeProxy: k, ...(p ? { profile: p } : {}) })).value
  return proxyConfigFor(facts, family)
}

describe('proxyConfigFor: local detector', () => {
  it('ClusterCIDR uses the first CIDR of the family, printed as the network', () => {
    const k = kpc({ clusterCIDR: '10.244.0.5/16,10.9.0.0/16,fd00:10::7/64' })
    expect(cfg(k).value.localDetector).toEqual({ mode: 'ClusterCIDR', cidr: '10.244.0.0/16' })
    expect(cfg(k, 'IPv6').value.localDetector).toEqual({ mode: 'ClusterCIDR', cidr: 'fd00:10::/64' })
  })

  it('treats detectLocalMode "" as ClusterCIDR', () => {
    expect(cfg(kpc({ detectLocalMode: '', clusterCIDR: '10.0.0.0/8' })).value.localDetector).toEqual({ mode: 'ClusterCIDR', cidr: '10.0.0.0/8' })
  })

  it('ClusterCIDR with no CIDR of the family (or none at all) is a no-op detector', () => {
    expect(cfg(kpc({ clusterCIDR: '' })).value.localDetector).toEqual({ mode: 'NoOp' })
    expect(cfg(kpc({ clusterCIDR: '10.0.0.0/8' }), 'IPv6').value.localDetector).toEqual({ mode: 'NoOp' })
  })

  it('reports an invalid clusterCIDR entry and skips it', () => {
    const r = cfg(kpc({ clusterCIDR: 'nope,10.1.0.0/16' }))
    expect(r.value.localDetector).toEqual({ mode: 'ClusterCIDR', cidr: '10.1.0.0/16' })
    expect(r.issues).toMatchObject([{ code: 'cluster/invalid-config', severity: 'error', path: 'clusterCIDR' }])
  })

  it('NodeCIDR uses the node podCIDR of the family', () => {
    expect(cfg(kpc({ detectLocalMode: 'NodeCIDR' })).value.localDetector).toEqual({ mode: 'NodeCIDR', cidr: '10.244.3.0/24' })
    expect(cfg(kpc({ detectLocalMode: 'NodeCIDR' }), 'IPv6').value.localDetector).toEqual({ mode: 'NodeCIDR', cidr: 'fd00:10:244:3::/64' })
  })

  it('NodeCIDR without a podCIDR of the family warns and renders without a detector', () => {
    const r = cfg(kpc({ detectLocalMode: 'NodeCIDR' }), 'IPv4', [node('n1', ['10.0.0.1'])])
    expect(r.value.localDetector).toEqual({ mode: 'NoOp' })
    expect(r.issues).toMatchObject([{ code: 'cluster/no-pod-cidr', severity: 'warning' }])
  })

  it('BridgeInterface and InterfaceNamePrefix take their names from detectLocal', () => {
    expect(cfg(kpc({ detectLocalMode: 'BridgeInterface', detectLocal: { bridgeInterface: 'cbr0' } })).value.localDetector).toEqual({
      mode: 'BridgeInterface',
      interface: 'cbr0',
    })
    expect(cfg(kpc({ detectLocalMode: 'InterfaceNamePrefix', detectLocal: { interfaceNamePrefix: 'veth' } })).value.localDetector).toEqual({
      mode: 'InterfaceNamePrefix',
      prefix: 'veth',
    })
  })

  it('reports a missing bridge interface or prefix as an error', () => {
    for (const mode of ['BridgeInterface', 'InterfaceNamePrefix'] as const) {
      const r = cfg(kpc({ detectLocalMode: mode }))
      expect(r.value.localDetector).toEqual({ mode: 'NoOp' })
      expect(r.issues[0]).toMatchObject({ code: 'cluster/invalid-config', severity: 'error' })
    }
  })
})

describe('proxyConfigFor: masquerade', () => {
  it.each([
    [14, 0x4000],
    [0, 1],
    [31, 2147483648],
  ])('masqueradeBit %i gives mark %i', (bit, mark) => {
    expect(cfg(kpc({ iptables: { masqueradeBit: bit } })).value.masqueradeMark).toBe(mark)
  })

  it('rejects a masqueradeBit outside [0, 31] and uses 14', () => {
    const r = cfg(kpc({ iptables: { masqueradeBit: 40 } }))
    expect(r.value.masqueradeMark).toBe(0x4000)
    expect(r.issues).toMatchObject([{ path: 'iptables.masqueradeBit', severity: 'error' }])
  })

  it('passes masqueradeAll through', () => {
    expect(cfg(kpc({ iptables: { masqueradeAll: true } })).value.masqueradeAll).toBe(true)
    expect(cfg(kpc()).value.masqueradeAll).toBe(false)
  })
})

describe('proxyConfigFor: NodePorts', () => {
  it('keeps localhostNodePorts for IPv4 with match-all nodePortAddresses, forces it off for IPv6', () => {
    expect(cfg(kpc()).value.localhostNodePorts).toBe(true)
    expect(cfg(kpc(), 'IPv6').value.localhostNodePorts).toBe(false)
    expect(cfg(kpc({ iptables: { localhostNodePorts: false } })).value.localhostNodePorts).toBe(false)
  })

  it('forces localhostNodePorts off when nodePortAddresses contains no IPv4 loopback', () => {
    expect(cfg(kpc({ nodePortAddresses: ['192.168.0.0/16'] })).value.localhostNodePorts).toBe(false)
    expect(cfg(kpc({ nodePortAddresses: ['127.0.0.0/8', '192.168.0.0/16'] })).value.localhostNodePorts).toBe(true)
    expect(cfg(kpc({ nodePortAddresses: ['127.0.0.1/32'] })).value.localhostNodePorts).toBe(true)
    // An IPv6-only list leaves the IPv4 family matching everything, loopback included.
    expect(cfg(kpc({ nodePortAddresses: ['2001:db8::/64'] })).value.localhostNodePorts).toBe(true)
  })

  it('filters nodePortAddresses to the family, in network form; none or a /0 means match all', () => {
    const k = kpc({ nodePortAddresses: ['192.168.0.5/24', '2001:db8::1/64'] })
    expect(cfg(k).value.nodePortAddresses).toEqual(['192.168.0.0/24'])
    expect(cfg(k, 'IPv6').value.nodePortAddresses).toEqual(['2001:db8::/64'])
    expect(cfg(kpc({ nodePortAddresses: ['10.0.0.0/8'] }), 'IPv6').value.nodePortAddresses).toEqual([])
    expect(cfg(kpc({ nodePortAddresses: ['0.0.0.0/0', '10.0.0.0/8'] })).value.nodePortAddresses).toEqual([])
  })

  it('replaces "primary" with the node IP of each family as a host route', () => {
    const k = kpc({ nodePortAddresses: ['primary'] })
    expect(cfg(k).value.nodePortAddresses).toEqual(['192.168.0.2/32'])
    expect(cfg(k, 'IPv6').value.nodePortAddresses).toEqual(['2001:db8::1/128'])
    expect(cfg(k).value.localhostNodePorts).toBe(false)
    // No IPv6 address on the node: the IPv6 family has no CIDR left, i.e. matches all.
    expect(cfg(k, 'IPv6', [node('n1', ['10.1.1.1'])]).value.nodePortAddresses).toEqual([])
  })

  it('reports "primary" mixed with CIDRs and invalid CIDRs', () => {
    const r = cfg(kpc({ nodePortAddresses: ['primary', '10.0.0.0/8', 'bogus'] }))
    expect(r.value.nodePortAddresses).toEqual(['10.0.0.0/8'])
    expect(r.issues.map((i) => i.path)).toEqual(['nodePortAddresses', 'nodePortAddresses[1]'])
  })
})

describe('proxyConfigFor: node facts and host', () => {
  it('resolves node name, IPs per family, all IPs and the zone label', () => {
    const v4 = cfg(kpc()).value
    expect(v4.nodeName).toBe('n1')
    expect(v4.nodeIP).toBe('192.168.0.2')
    expect(v4.nodeIPs).toEqual(['192.168.0.2', '2001:db8::1', '203.0.113.7'])
    expect(v4.nodeZone).toBe('zone-a')
    expect(cfg(kpc(), 'IPv6').value.nodeIP).toBe('2001:db8::1')
  })

  it('prefers InternalIP, then ExternalIP, then any address of the family; canonicalises', () => {
    const n = node('n1', ['Hostname=n1', 'ExternalIP=203.0.113.7', 'InternalIP=010.000.000.001'])
    expect(cfg(kpc(), 'IPv4', [n]).value.nodeIP).toBe('10.0.0.1')
    expect(cfg(kpc(), 'IPv4', [node('n1', ['ExternalIP=203.0.113.7'])]).value.nodeIP).toBe('203.0.113.7')
    expect(cfg(kpc(), 'IPv4', [node('n1', ['Other=198.51.100.1'])]).value.nodeIP).toBe('198.51.100.1')
    expect(cfg(kpc(), 'IPv6', [node('n1', ['10.0.0.1'])]).value).not.toHaveProperty('nodeIP')
  })

  it('maps host capabilities, tcpBeLiberal and feature gates', () => {
    const p = profile({ hostCapabilities: { iptablesRandomFully: false, nfacct: false } })
    const k = kpc({ conntrack: { tcpBeLiberal: true }, featureGates: { PreferSameTrafficDistribution: true } })
    const v = cfg(k, 'IPv4', [N], p).value
    expect(v.iptablesHasRandomFully).toBe(false)
    expect(v.nfacct).toEqual({ ctStateInvalidDroppedPkts: false, localhostNpsAcceptedPkts: false })
    expect(v.conntrackTCPLiberal).toBe(true)
    expect(v.featureGates).toEqual({ PreferSameTrafficDistribution: true })
    const d = cfg(kpc()).value
    expect(d.iptablesHasRandomFully).toBe(true)
    expect(d.nfacct).toEqual({ ctStateInvalidDroppedPkts: true, localhostNpsAcceptedPkts: true })
    expect(d.conntrackTCPLiberal).toBe(false)
  })

  it('renders for synthesised nodes too', () => {
    const facts = resolveCluster(inventory()).value
    const v = proxyConfigFor(facts, 'IPv4').value
    expect(v.nodeName).toBe('node-1')
    expect(v.nodeIP).toBe('172.18.0.2')
  })
})
