import { describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { base32Prefix, hash16 } from '../../../src/core/net/hash.ts'
import {
  servicePortChainName,
  serviceExternalChainName,
  serviceFirewallChainName,
  servicePortEndpointChainName,
  servicePortLocalChainName,
} from '../../../src/core/proxy/chain-names.ts'

// Spec §1.2 worked examples: hash input → expected 16-character suffix.
const VECTORS: [string, string][] = [
  ['ns1/svc1:p80tcp', 'XPGD46QRK7WJZT7O'],
  ['ns2/svc2:p80tcp', 'GNZBNJ2PO5MGZ6GT'],
  ['ns5/svc5:p80tcp', 'NUKIZ6OKUXPJNT4C'],
  ['ns1/svc1:p80tcp10.180.0.1:80', 'SXIVWICOYRO3J4NJ'],
  ['ns1/svc1:p80tcp10.0.0.0:80', 'DKGQUZGBKLTPAR56'],
  ['ns3/svc3:p8081tcp203.0.113.4:8081', 'RUVVH7YV3PHQBDOS'],
  ['ns4/svc4:p8082tcp', 'EBDQOQU5SJFXRIL3'],
  ['ns4/svc4:p8082tcp10.4.0.1:8082', 'SU5STNODRYEWJAUF'],
  ['default/kubernetes:httpstcp', 'NPX46M4PTMTKRN6Y'],
  ['kube-system/kube-dns:dnsudp', 'TCOU7JCQXEZGVUNU'],
  ['kube-system/kube-dns:dns-tcptcp', 'ERIFXISQEP7F7OF4'],
  ['default/kubernetes:httpstcp172.18.0.2:6443', 'V2PECCYPB6X2GSCW'],
  ['kube-system/kube-dns:dnsudp10.244.0.10:53', 'R7EMXN5TTQQVP4UW'],
  ['ns1/svc1tcp', 'AQI2S6QIMU7PVVRP'],
  ['ns1/svc1:p80udp', 'OJWW7NSBVZTDHXNW'],
  ['ns1/svc1:p80tcp[fd00:10:180::1]:80', 'OGYCNMB4EMRUSJ6N'],
]

/** Independent reference: node's SHA-256 and a textbook base32 over the whole digest. */
function reference(s: string): string {
  const digest = createHash('sha256').update(s, 'utf8').digest()
  let bits = ''
  for (const b of digest) bits += b.toString(2).padStart(8, '0')
  let out = ''
  for (let i = 0; i + 5 <= bits.length; i += 5) out += 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[parseInt(bits.slice(i, i + 5), 2)]
  return out.slice(0, 16)
}

describe('hash16', () => {
  it.each(VECTORS)('%s → %s', (input, expected) => {
    expect(hash16(input)).toBe(expected)
  })
  it('agrees with an independent implementation on other inputs', () => {
    for (const s of ['', 'a', 'ñ/ü:é', 'x'.repeat(1000), 'kube-system/metrics-server:httpstcp']) expect(hash16(s)).toBe(reference(s))
  })
  it('encodes partial groups like RFC 4648', () => {
    expect(base32Prefix(new Uint8Array([0x66]), 8)).toBe('MY') // "f" → "MY======"
    expect(base32Prefix(new Uint8Array([0x66, 0x6f, 0x6f, 0x62, 0x61, 0x72]), 16)).toBe('MZXW6YTBOI') // "foobar"
  })
})

describe('chain names', () => {
  it('share one suffix per service port and build SEP from the endpoint', () => {
    expect(servicePortChainName('ns2/svc2:p80', 'TCP')).toBe('KUBE-SVC-GNZBNJ2PO5MGZ6GT')
    expect(servicePortLocalChainName('ns2/svc2:p80', 'TCP')).toBe('KUBE-SVL-GNZBNJ2PO5MGZ6GT')
    expect(serviceExternalChainName('ns2/svc2:p80', 'TCP')).toBe('KUBE-EXT-GNZBNJ2PO5MGZ6GT')
    expect(serviceFirewallChainName('ns5/svc5:p80', 'TCP')).toBe('KUBE-FW-NUKIZ6OKUXPJNT4C')
    expect(servicePortEndpointChainName('ns1/svc1:p80', 'TCP', '10.180.0.1:80')).toBe('KUBE-SEP-SXIVWICOYRO3J4NJ')
    expect(servicePortChainName('kube-system/kube-dns:dns', 'UDP')).toBe('KUBE-SVC-TCOU7JCQXEZGVUNU')
  })
})
