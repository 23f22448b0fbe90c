/**
 * A HorizontalPodAutoscaler bounds the replicas of the workload it scales (the HPA controller
 * raises a scale below minReplicas and lowers one above maxReplicas; a scale of 0 is left alone),
 * so a chart that leaves `replicas` to its HPA plans with the HPA's minimum.
 */
import { describe, expect, it } from 'vitest'
import { planJson, svc, tmpTree } from './helpers.ts'

const app = (replicas: string, hpa: string): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: web}
spec:
${replicas}  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: api, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: web}
spec:
  selector: {app: api}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: api, namespace: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
${hpa}`

describe('HorizontalPodAutoscalers', () => {
  it.each([
    ['no replicas, minReplicas 3', '', '  minReplicas: 3\n  maxReplicas: 6\n', 3],
    ['replicas 10 above maxReplicas 4', '  replicas: 10\n', '  minReplicas: 2\n  maxReplicas: 4\n', 4],
    ['replicas within the bounds', '  replicas: 2\n', '  minReplicas: 1\n  maxReplicas: 5\n', 2],
    ['replicas 0 (autoscaling off)', '  replicas: 0\n', '  minReplicas: 3\n  maxReplicas: 5\n', 0],
    ['no minReplicas (default 1)', '', '  maxReplicas: 5\n', 1],
  ])('%s', async (_what, replicas, hpa, want) => {
    const { plan } = await planJson([tmpTree({ 'app.yaml': app(replicas, hpa) })])
    expect(svc(plan, 'web/api').endpoints).toHaveLength(want)
    if (want !== Number(/replicas: (\d+)/.exec(replicas)?.[1] ?? 1)) {
      expect(plan.assumptions.join('\n')).toMatch(new RegExp(`Deployment web/api: ${want} pod\\(s\\) \\(HorizontalPodAutoscaler api: minReplicas`))
    }
  })

  it('ignores an HPA that targets another workload or another namespace', async () => {
    const other = app('', '  minReplicas: 3\n  maxReplicas: 6\n').replace('scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}', 'scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: worker}')
    expect(svc((await planJson([tmpTree({ 'app.yaml': other })])).plan, 'web/api').endpoints).toHaveLength(1)
  })
})
