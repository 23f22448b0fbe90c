/** KEP-3070 / KEP-3668 band formulas, usable windows, and the apiserver's range flag checks. */
import { describe, expect, it } from 'vitest'
import { ipStaticBandSize, portStaticBandSize } from '../../../src/core/apiserver/allocate/bands.ts'
import { ClusterIPAllocator } from '../../../src/core/apiserver/allocate/cluster-ip.ts'
import { NodePortAllocator } from '../../../src/core/apiserver/allocate/node-port.ts'
import { ipRangeOf, parseNodePortRange, parseServiceCIDRs, portRangeOf } from '../../../src/core/apiserver/allocate/ranges.ts'
import { parseCIDRSloppy } from '../../../src/core/net/ip.ts'

const range = (c: string): ReturnType<typeof ipRangeOf> => {
  const p = parseCIDRSloppy(c)
  if (p === undefined) throw new Error(c)
  return ipRangeOf(p)
}
const report = (c: string): ReturnType<ClusterIPAllocator['report']> => new ClusterIPAllocator(range(c)).report()

describe('ClusterIP static band (KEP-3070)', () => {
  it('follows clamp(cidrSize/16, 16, 256), none at or below 16 addresses', () => {
    expect(ipStaticBandSize(4, 'IPv4')).toBe(0) // /28
    expect(ipStaticBandSize(3, 'IPv4')).toBe(0) // /29
    expect(ipStaticBandSize(5, 'IPv4')).toBe(16) // /27
    expect(ipStaticBandSize(8, 'IPv4')).toBe(16) // /24
    expect(ipStaticBandSize(10, 'IPv4')).toBe(64) // /22
    expect(ipStaticBandSize(12, 'IPv4')).toBe(256) // /20
    expect(ipStaticBandSize(20, 'IPv4')).toBe(256) // /12 caps
    expect(ipStaticBandSize(10, 'IPv6')).toBe(64) // /118
    expect(ipStaticBandSize(64, 'IPv6')).toBe(256)
  })
  it('reports the band and range like the documentation tables', () => {
    expect(report('10.96.0.0/12')).toEqual({
      kind: 'service-cidr',
      range: '10.96.0.0/12',
      size: 1048574,
      staticBand: { first: '10.96.0.1', last: '10.96.1.0', size: 256 },
      used: 0,
      free: 1048574,
    })
    expect(report('10.0.0.0/24').staticBand).toEqual({ first: '10.0.0.1', last: '10.0.0.16', size: 16 })
    expect(report('10.0.0.0/27').staticBand).toEqual({ first: '10.0.0.1', last: '10.0.0.16', size: 16 })
    expect(report('10.0.0.0/28').staticBand).toEqual({ first: '', last: '', size: 0 })
    expect(report('fd00:10:96::/112').staticBand).toEqual({ first: 'fd00:10:96::1', last: 'fd00:10:96::100', size: 256 })
    expect(report('fd00::/118').staticBand).toEqual({ first: 'fd00::1', last: 'fd00::40', size: 64 })
  })
  it('usable sizes match the bitmap allocator (IPv4 minus network and broadcast, IPv6 capped at 65535)', () => {
    expect(range('192.168.1.0/24').size).toBe(254)
    expect(range('10.0.0.0/15').size).toBe(131070)
    expect(range('192.168.1.240/30').size).toBe(2)
    expect(range('192.168.1.0/31').size).toBe(0)
    expect(range('192.168.1.1/32').size).toBe(0)
    expect(range('2001:db8::/112').size).toBe(65535)
    expect(range('2001:db8:1::/48').size).toBe(65535)
  })
})

describe('NodePort static band (KEP-3668)', () => {
  it('follows clamp(size/32, 16, 128), none at or below 16 ports', () => {
    expect(portStaticBandSize(2768)).toBe(86)
    expect(portStaticBandSize(128)).toBe(16)
    expect(portStaticBandSize(4096)).toBe(128)
    expect(portStaticBandSize(100000)).toBe(128)
    expect(portStaticBandSize(16)).toBe(0)
    expect(portStaticBandSize(17)).toBe(16)
  })
  it('the default range reserves 30000-30085', () => {
    expect(new NodePortAllocator(portRangeOf(30000, 2768)).report()).toEqual({
      kind: 'node-ports',
      range: '30000-32767',
      size: 2768,
      staticBand: { first: '30000', last: '30085', size: 86 },
      used: 0,
      free: 2768,
    })
  })
})

describe('range flags (kube-apiserver startup checks)', () => {
  it('accepts kubeadm, kind and dual-stack values', () => {
    expect(parseServiceCIDRs('10.96.0.0/12').errors).toEqual([])
    expect(parseServiceCIDRs('10.96.0.0/16,fd00:10:96::/112').value.map((r) => r.family)).toEqual(['IPv4', 'IPv6'])
    expect(parseServiceCIDRs('fd00:10:96::/108').errors).toEqual([])
  })
  it('refuses ranges with the apiserver messages', () => {
    expect(parseServiceCIDRs('10.0.0.0/8').errors).toEqual(['specified --service-cluster-ip-range is too large; for 32-bit addresses, the mask must be >= 12'])
    expect(parseServiceCIDRs('fd00::/64').errors).toEqual(['specified --service-cluster-ip-range is too large; for 128-bit addresses, the mask must be >= 108'])
    expect(parseServiceCIDRs('10.0.0.0/30').errors).toEqual(['the service cluster IP range must be at least 8 IP addresses'])
    expect(parseServiceCIDRs('10.0.0.0/24,10.1.0.0/24').errors).toEqual([
      '--service-cluster-ip-range[0] and --service-cluster-ip-range[1] must be of different IP family',
    ])
    expect(parseServiceCIDRs('10.0.0.0/24,fd00::/112,10.2.0.0/24').errors).toEqual(['--service-cluster-ip-range must not contain more than two entries'])
    expect(parseServiceCIDRs('banana').errors).toEqual(['service-cluster-ip-range[0] is not a valid cidr'])
    expect(parseServiceCIDRs('10.96.0.0/16,banana').errors).toEqual(['service-cluster-ip-range[1] is not an ip net'])
  })
  it('parses node port ranges in A-B, A+N and A notation', () => {
    expect(parseNodePortRange('30000-32767').value).toMatchObject({ base: 30000, size: 2768, text: '30000-32767' })
    expect(parseNodePortRange('30000+99').value).toMatchObject({ base: 30000, size: 100 })
    expect(parseNodePortRange('30000').value).toMatchObject({ base: 30000, size: 1 })
    expect(parseNodePortRange('32767-30000').errors[0]).toContain('end port cannot be less than start port: 32767-30000')
    expect(parseNodePortRange('30000-70000').errors[0]).toContain('the port range cannot be greater than 65535')
    expect(parseNodePortRange('x-y').errors[0]).toContain('invalid syntax')
  })
})
