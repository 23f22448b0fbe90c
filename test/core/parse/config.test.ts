import { describe, expect, it } from 'vitest'
import { lines, parseText, where } from './helpers.ts'

describe('KubeProxyConfiguration', () => {
  it('applies kube-proxy defaults', () => {
    const r = parseText(lines('apiVersion: kubeproxy.config.k8s.io/v1alpha1', 'kind: KubeProxyConfiguration'))
    expect(r.issues).toEqual([])
    expect(r.value.kubeProxyConfiguration).toEqual({
      mode: 'iptables',
      clusterCIDR: '',
      detectLocalMode: 'ClusterCIDR',
      detectLocal: {},
      nodePortAddresses: [],
      iptables: { masqueradeAll: false, masqueradeBit: 14, localhostNodePorts: true },
      conntrack: { tcpBeLiberal: false },
      featureGates: {},
    })
  })

  it('reads every honoured field', () => {
    const r = parseText(
      lines(
        'apiVersion: kubeproxy.config.k8s.io/v1alpha1',
        'kind: KubeProxyConfiguration',
        'mode: nftables',
        'clusterCIDR: 10.244.0.0/16,fd00:10::/56',
        'detectLocalMode: InterfaceNamePrefix',
        'detectLocal: {bridgeInterface: cbr0, interfaceNamePrefix: veth}',
        'hostnameOverride: node-a',
        'nodePortAddresses: [192.168.0.0/16, primary]',
        'iptables: {masqueradeAll: true, masqueradeBit: 15, localhostNodePorts: false}',
        'conntrack: {tcpBeLiberal: true}',
        'featureGates: {PreferSameTrafficDistribution: true, Foo: false}',
      ),
    )
    expect(r.issues).toEqual([])
    expect(r.value.kubeProxyConfiguration).toEqual({
      mode: 'nftables',
      clusterCIDR: '10.244.0.0/16,fd00:10::/56',
      detectLocalMode: 'InterfaceNamePrefix',
      detectLocal: { bridgeInterface: 'cbr0', interfaceNamePrefix: 'veth' },
      hostnameOverride: 'node-a',
      nodePortAddresses: ['192.168.0.0/16', 'primary'],
      iptables: { masqueradeAll: true, masqueradeBit: 15, localhostNodePorts: false },
      conntrack: { tcpBeLiberal: true },
      featureGates: { PreferSameTrafficDistribution: true, Foo: false },
    })
  })

  it('v1alpha2 defaults localhostNodePorts to false; linux.masqueradeAll and linux.conntrack are read', () => {
    const v2 = (...body: string[]) =>
      parseText(lines('apiVersion: kubeproxy.config.k8s.io/v1alpha2', 'kind: KubeProxyConfiguration', ...body)).value.kubeProxyConfiguration!
    expect(v2().iptables.localhostNodePorts).toBe(false)
    expect(v2('iptables: {localhostNodePorts: true}').iptables.localhostNodePorts).toBe(true)
    const linux = v2('linux: {masqueradeAll: true, conntrack: {tcpBeLiberal: true}}')
    expect(linux.iptables.masqueradeAll).toBe(true)
    expect(linux.conntrack.tcpBeLiberal).toBe(true)
  })

  it('accepts the v1alpha2 spellings: top-level masqueradeAll and detectLocal.clusterCIDRs', () => {
    const c = parseText(
      lines(
        'apiVersion: kubeproxy.config.k8s.io/v1alpha2',
        'kind: KubeProxyConfiguration',
        'masqueradeAll: true',
        'detectLocal: {clusterCIDRs: [10.244.0.0/16, "fd00::/56"]}',
      ),
    ).value.kubeProxyConfiguration!
    expect(c.iptables.masqueradeAll).toBe(true)
    expect(c.clusterCIDR).toBe('10.244.0.0/16,fd00::/56')
  })

  it('rejects bad values and keeps the last valid configuration with a warning for repeats', () => {
    const bad = lines('apiVersion: kubeproxy.config.k8s.io/v1alpha1', 'kind: KubeProxyConfiguration', 'iptables: {masqueradeBit: 32}', 'detectLocalMode: Magic')
    const good = (mode: string) => lines('apiVersion: kubeproxy.config.k8s.io/v1alpha1', 'kind: KubeProxyConfiguration', `mode: ${mode}`)
    const r = parseText([good('iptables'), bad, good('nftables')].join('---\n'))
    expect(r.value.kubeProxyConfiguration?.mode).toBe('nftables')
    expect(where(r.issues)).toEqual(['manifest/unsupported-value@8', 'manifest/invalid-field@7', 'manifest/duplicate@10'])
    expect(r.issues[1]!.message).toBe('KubeProxyConfiguration: iptables.masqueradeBit: Invalid value: 32: must be between 0 and 31, inclusive')
    expect(r.issues[2]!.severity).toBe('warning')
  })
})

describe('ClusterProfile', () => {
  it('applies defaults', () => {
    const r = parseText(lines('apiVersion: kube-whatif.dev/v1alpha1', 'kind: ClusterProfile'))
    expect(r.value.clusterProfile).toEqual({
      kubernetesVersion: '1.35',
      kubernetesVersionDefaulted: true,
      serviceClusterIPRange: '10.96.0.0/12',
      serviceNodePortRange: '30000-32767',
      hostCapabilities: { iptablesRandomFully: true, nfacct: true },
    })
  })

  it('reads fields from spec or the top level, spec winning', () => {
    const top = parseText(
      lines(
        'apiVersion: kube-whatif.dev/v1alpha1',
        'kind: ClusterProfile',
        'serviceClusterIPRange: 10.0.0.0/16,fd00::/108',
        'node: node-b',
        'kubernetesVersion: 1.32',
        'hostCapabilities: {nfacct: false}',
      ),
    ).value.clusterProfile
    expect(top).toEqual({
      kubernetesVersion: '1.32',
      serviceClusterIPRange: '10.0.0.0/16,fd00::/108',
      serviceNodePortRange: '30000-32767',
      node: 'node-b',
      hostCapabilities: { iptablesRandomFully: true, nfacct: false },
    })
    const spec = parseText(
      lines(
        'apiVersion: kube-whatif.dev/v1alpha1',
        'kind: ClusterProfile',
        'metadata: {name: prod}',
        'serviceNodePortRange: 1-2',
        'spec:',
        '  serviceNodePortRange: 20000-22767',
        '  hostCapabilities: {iptablesRandomFully: false}',
      ),
    ).value.clusterProfile
    expect(spec?.serviceNodePortRange).toBe('20000-22767')
    expect(spec?.hostCapabilities).toEqual({ iptablesRandomFully: false, nfacct: true })
  })

  it('reads kubernetesVersion as 1.34, "v1.34" or "1.34.2"; another version is an error naming the supported ones, planned at 1.35', () => {
    const v = (text: string) => parseText(lines('apiVersion: kube-whatif.dev/v1alpha1', 'kind: ClusterProfile', 'spec:', `  kubernetesVersion: ${text}`))
    expect(v('"v1.34"').value.clusterProfile?.kubernetesVersion).toBe('1.34')
    expect(v('1.33.7').value.clusterProfile?.kubernetesVersion).toBe('1.33')
    expect(v('1.31').value.clusterProfile?.kubernetesVersion).toBe('1.31')
    expect(v('1.30').issues[0]?.message).toBe(
      'ClusterProfile: spec.kubernetesVersion: Unsupported value: 1.3 (a YAML number; quote the version, e.g. "1.34"): Kubernetes version not modelled (supported: 1.31, 1.32, 1.33, 1.34, 1.35); planned as 1.35',
    )
    const bad = v('"1.30"')
    expect(bad.value.clusterProfile).toMatchObject({ kubernetesVersion: '1.35', kubernetesVersionDefaulted: true, serviceClusterIPRange: '10.96.0.0/12' })
    expect(bad.issues).toMatchObject([
      {
        code: 'cluster/unsupported-version',
        severity: 'error',
        path: 'spec.kubernetesVersion',
        source: { line: 4 },
        message: 'ClusterProfile: spec.kubernetesVersion: Unsupported value: "1.30": Kubernetes version not modelled (supported: 1.31, 1.32, 1.33, 1.34, 1.35); planned as 1.35',
      },
    ])
  })

  it('rejects wrong types with the field path', () => {
    const r = parseText(lines('apiVersion: kube-whatif.dev/v1alpha1', 'kind: ClusterProfile', 'spec:', '  hostCapabilities: {nfacct: "no"}'))
    expect(r.value.clusterProfile).toBeUndefined()
    expect(r.issues[0]).toMatchObject({ path: 'spec.hostCapabilities.nfacct', source: { line: 4 } })
  })
})
