/**
 * @module worker/examples
 * Small inputs embedded in the playground (no fetches: the page works offline). ClusterIPs are
 * pinned in the static band (so traces have a known destination); NodePorts and the web pods are
 * left to the apiserver emulation, to show allocation and workload expansion.
 */

/** One playground example: what to put in each field. */
export interface PlaygroundExample {
  readonly id: string
  readonly title: string
  readonly mode: 'plan' | 'diff' | 'trace'
  readonly manifests: string
  readonly cluster: string
  readonly base?: string
  readonly head?: string
  readonly probe?: { readonly from: string; readonly to: string; readonly protocol: string }
}

const CLUSTER = `apiVersion: kube-whatif.dev/v1alpha1
kind: ClusterProfile
serviceClusterIPRange: 10.96.0.0/16
serviceNodePortRange: 30000-32767
node: node-1
---
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clusterCIDR: 10.244.0.0/16
---
apiVersion: v1
kind: Node
metadata:
  name: node-1
spec:
  podCIDR: 10.244.1.0/24
status:
  addresses:
  - type: InternalIP
    address: 192.168.10.11
---
apiVersion: v1
kind: Node
metadata:
  name: node-2
spec:
  podCIDR: 10.244.2.0/24
status:
  addresses:
  - type: InternalIP
    address: 192.168.10.12
`

const MONGO = `# A database reachable only inside the cluster (ClusterIP), backed by one Pod.
apiVersion: v1
kind: Service
metadata:
  name: meu-service
  namespace: meu-namespace
spec:
  clusterIP: 10.96.0.10
  selector:
    app: mongodb
  ports:
  - name: mongo
    port: 27017
    targetPort: 27017
---
apiVersion: v1
kind: Pod
metadata:
  name: mongodb-0
  namespace: meu-namespace
  labels:
    app: mongodb
spec:
  nodeName: node-1
  containers:
  - name: mongodb
    image: mongo:7
    ports:
    - containerPort: 27017
status:
  phase: Running
  podIP: 10.244.1.10
  conditions:
  - type: Ready
    status: "True"
`

const WEB_DEPLOYMENT = `---
# Two web replicas; kube-whatif places them on nodes and gives them pod IPs.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: meu-namespace
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - name: http
          containerPort: 8080
`

const WEB_NODEPORT = `${WEB_DEPLOYMENT}---
# The web application, exposed on every node with a NodePort (allocated: none requested).
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: meu-namespace
spec:
  type: NodePort
  clusterIP: 10.96.0.20
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: http
`

const WEB_CLUSTERIP = `${WEB_DEPLOYMENT}---
# The web application, internal only for now.
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: meu-namespace
spec:
  clusterIP: 10.96.0.20
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: http
`

const LB_LOCAL = `# A LoadBalancer that keeps client IPs (externalTrafficPolicy: Local) and only admits
# one office range. Its only Pod runs on node-2, so node-1 drops external traffic.
apiVersion: v1
kind: Service
metadata:
  name: shop
  namespace: prod
spec:
  type: LoadBalancer
  clusterIP: 10.96.0.50
  externalTrafficPolicy: Local
  loadBalancerSourceRanges: [203.0.113.0/24]
  selector:
    app: shop
  ports:
  - name: https
    port: 443
    targetPort: 8443
status:
  loadBalancer:
    ingress:
    - ip: 198.51.100.7
---
apiVersion: v1
kind: Pod
metadata:
  name: shop-0
  namespace: prod
  labels:
    app: shop
spec:
  nodeName: node-2
  containers:
  - name: shop
    image: shop:1.0
    ports:
    - containerPort: 8443
status:
  phase: Running
  podIP: 10.244.2.31
  conditions:
  - type: Ready
    status: "True"
`

/** The examples offered by the playground, in menu order. */
export const EXAMPLES: readonly PlaygroundExample[] = [
  {
    id: 'clusterip-nodeport',
    title: 'MongoDB ClusterIP + web NodePort (plan)',
    mode: 'plan',
    manifests: MONGO + WEB_NODEPORT,
    cluster: CLUSTER,
  },
  {
    id: 'lb-local',
    title: 'LoadBalancer, externalTrafficPolicy Local, source ranges (trace from node-1)',
    mode: 'trace',
    manifests: LB_LOCAL,
    cluster: CLUSTER,
    probe: { from: '203.0.113.9', to: '198.51.100.7:443', protocol: 'tcp' },
  },
  {
    id: 'expose-web',
    title: 'Pull request exposes web as a NodePort (diff)',
    mode: 'diff',
    manifests: '',
    cluster: CLUSTER,
    base: MONGO + WEB_CLUSTERIP,
    head: MONGO + WEB_NODEPORT,
  },
]
