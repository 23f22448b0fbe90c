import { describe, expect, it } from 'vitest'
import { planFromSources } from '../../src/core/plan/plan.ts'

const text = `apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  selector: {app: web}
  ports:
  - {port: 80, protocol: tcp}
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: default}
spec:
  clusterIP: 10.96.0.50
  ports:
  - {port: 5432}
`

describe('unsupported enum values', () => {
  it('a proposed Service is rejected with kube-apiserver wording at the field line, the rest is planned', () => {
    const r = planFromSources({ files: [{ path: 'svc.yaml', text, origin: 'proposed' }] })
    const errors = r.issues.filter((i) => i.severity === 'error')
    expect(errors.map((i) => [i.message, i.source?.line])).toEqual([
      ['The Service "web" is invalid: spec.ports[0].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"', 7],
    ])
    expect(r.value.services.map((s) => s.name)).toEqual(['db'])
  })

  it('an existing Service with the same value is skipped by the parser (kube-proxy never sees it)', () => {
    const r = planFromSources({ files: [{ path: 'snap.yaml', text, origin: 'existing' }] })
    const errors = r.issues.filter((i) => i.severity === 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0]?.code).toBe('manifest/unsupported-value')
    expect(r.value.services.map((s) => s.name)).toEqual(['db'])
  })
})
