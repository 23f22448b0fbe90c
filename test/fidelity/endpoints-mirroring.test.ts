/**
 * A selector-less Service with a hand-written v1 Endpoints object (the classic way to point a
 * Service at a database outside the cluster) gets the EndpointSlices the EndpointSliceMirroring
 * controller writes, so kube-proxy forwards to those addresses instead of rejecting.
 */
import { describe, expect, it } from 'vitest'
import { planJson, svc, tmpTree } from './helpers.ts'

const EXTERNAL_DB = `apiVersion: v1
kind: Service
metadata: {name: db, namespace: shop}
spec:
  clusterIP: 10.96.20.20
  ports: [{name: pg, port: 5432}]
---
apiVersion: v1
kind: Endpoints
metadata: {name: db, namespace: shop}
subsets:
- addresses: [{ip: 192.0.2.10}, {ip: 192.0.2.11}]
  notReadyAddresses: [{ip: 192.0.2.12}]
  ports: [{name: pg, port: 5432}]
`

describe('v1 Endpoints of a selector-less Service', () => {
  it('are mirrored into EndpointSlices that kube-proxy uses', async () => {
    const { run, plan } = await planJson([tmpTree({ 'db.yaml': EXTERNAL_DB })])
    expect(run.code).toBe(0)
    const port = plan.servicePorts.find((p) => p.spn === 'shop/db:pg')
    expect(port?.endpoints.map((e) => [e.ip, e.port, e.ready])).toEqual([
      ['192.0.2.10', 5432, true],
      ['192.0.2.11', 5432, true],
      ['192.0.2.12', 5432, false],
    ])
    expect(port?.internal.verdict).toBe('forward')
    expect(svc(plan, 'shop/db').endpoints.map((e) => [e.ip, e.ready])).toEqual([
      ['192.0.2.10', true],
      ['192.0.2.11', true],
      ['192.0.2.12', false],
    ])
    expect(plan.assumptions.join('\n')).toMatch(/v1 Endpoints of selector-less Services are mirrored into EndpointSlices/)
  })

  it('carry hostnames into the DNS of a headless Service', async () => {
    const headless = EXTERNAL_DB.replace('clusterIP: 10.96.20.20', 'clusterIP: None').replace('{ip: 192.0.2.10}', '{ip: 192.0.2.10, hostname: primary}')
    const { plan } = await planJson([tmpTree({ 'db.yaml': headless })])
    expect(svc(plan, 'shop/db').dns).toEqual([
      { name: 'db.shop.svc.cluster.local', type: 'A', addresses: ['192.0.2.10', '192.0.2.11'] },
      { name: 'primary.db.shop.svc.cluster.local', type: 'A', addresses: ['192.0.2.10'] },
    ])
  })

  it('are not mirrored for a Service with a selector, or with the skip-mirror label', async () => {
    const withSelector = EXTERNAL_DB.replace('  ports: [{name: pg, port: 5432}]\n---', '  selector: {app: db}\n  ports: [{name: pg, port: 5432}]\n---')
    const a = await planJson([tmpTree({ 'db.yaml': withSelector })])
    expect(a.plan.servicePorts.find((p) => p.spn === 'shop/db:pg')?.endpoints).toEqual([])
    const skipped = EXTERNAL_DB.replace('metadata: {name: db, namespace: shop}\nsubsets', 'metadata: {name: db, namespace: shop, labels: {endpointslice.kubernetes.io/skip-mirror: "true"}}\nsubsets')
    const b = await planJson([tmpTree({ 'db.yaml': skipped })])
    expect(b.plan.servicePorts.find((p) => p.spn === 'shop/db:pg')?.endpoints).toEqual([])
  })
})
