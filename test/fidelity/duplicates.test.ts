/**
 * Issue 11 point 11 through the CLI: the same object in several files is applied once per
 * definition by `kubectl apply -f dir/`, the last one winning. Identical copies are an info note,
 * differing ones a warning naming both places (the later wins), and only what the apiserver would
 * refuse is an error.
 */
import { describe, expect, it } from 'vitest'
import { planJson, svc, tmpTree } from './helpers.ts'

const CM = `apiVersion: v1
kind: ConfigMap
metadata: {name: nginx-config, namespace: default}
data: {index.html: hello}
`
const web = (extra: string, port = 80): string => `apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
${extra}  selector: {app: web}
  ports: [{port: ${port}}]
`

describe('an object defined in several files', () => {
  it('is an info note when the copies are identical (exit 0)', async () => {
    const dir = tmpTree({ 'a.yaml': CM, 'b.yaml': `${CM}---\n${web('')}`, 'c.yaml': CM })
    const { run, plan } = await planJson([dir])
    expect(run.code).toBe(0)
    const dups = plan.issues.filter((i) => i.code === 'manifest/duplicate')
    expect(dups.map((i) => [i.severity, i.source?.file.replace(`${dir}/`, '')])).toEqual([
      ['info', 'b.yaml'],
      ['info', 'c.yaml'],
    ])
    expect(dups[0]?.message).toContain(`(also at ${dir}/a.yaml:1:1), identically`)
  })

  it('is a warning naming both places when they differ, and the later one (kubectl order) wins', async () => {
    const dir = tmpTree({ 'a.yaml': web('  type: NodePort\n'), 'b.yaml': web('', 8080) })
    const { run, plan } = await planJson([dir])
    expect(run.code).toBe(0)
    const dup = plan.issues.find((i) => i.code === 'manifest/duplicate')
    expect(dup).toMatchObject({ severity: 'warning', source: { file: `${dir}/b.yaml`, line: 3 } })
    expect(dup?.message).toContain(`also at ${dir}/a.yaml:1:1`)
    expect(dup?.message).toContain('this later definition wins')
    const s = svc(plan, 'default/web')
    expect([s.type, s.ports.map((p) => p.port)]).toEqual(['ClusterIP', [8080]])
  })

  it('is an error only when the apiserver would refuse the later apply (a changed ClusterIP); the earlier one stays', async () => {
    const dir = tmpTree({ 'a.yaml': web('  clusterIP: 10.96.5.5\n'), 'b.yaml': web('  clusterIP: 10.96.5.6\n', 8080) })
    const { run, plan } = await planJson([dir])
    expect(run.code).toBe(1)
    const dup = plan.issues.find((i) => i.code === 'manifest/duplicate')
    expect(dup?.severity).toBe('error')
    expect(dup?.message).toContain('The Service "web" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.5.6"}: may not change once set')
    const s = svc(plan, 'default/web')
    expect([s.clusterIPs, s.ports.map((p) => p.port)]).toEqual([['10.96.5.5'], [80]])
  })

  it('accepts a later definition that omits the ClusterIP the earlier one asked for (it is kept)', async () => {
    const dir = tmpTree({ 'a.yaml': web('  clusterIP: 10.96.5.5\n'), 'b.yaml': web('', 8080) })
    const { run, plan } = await planJson([dir])
    expect(run.code).toBe(0)
    expect(plan.issues.find((i) => i.code === 'manifest/duplicate')?.severity).toBe('warning')
    expect(svc(plan, 'default/web').ports.map((p) => p.port)).toEqual([8080])
    expect(svc(plan, 'default/web').clusterIPs).toEqual(['10.96.5.5'])
  })
})
