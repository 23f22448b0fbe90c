/**
 * @module worker/examples
 * Small inputs embedded in the playground (no fetches: the page works offline). They pin
 * ClusterIPs and carry EndpointSlices so a trace has a known destination.
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

const MONGO = `# A database reachable only inside the cluster (ClusterIP).
apiVersion: v1
kind: Service
metadata:
  name: meu-service
  namespace: meu-namespace
spec:
  clusterIP: 10.96.100.10
  selector:
    app: mongodb
  ports:
  - name: mongo
    port: 27017
    targetPort: 27017
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: meu-service-7xk2p
  namespace: meu-namespace
  labels:
    kubernetes.io/service-name: meu-service
addressType: IPv4
endpoints:
- addresses: [10.244.1.10]
  conditions: {ready: true}
  nodeName: node-1
ports:
- name: mongo
  port: 27017
  protocol: TCP
`

const WEB_NODEPORT = `---
# The web application, exposed on every node with a NodePort.
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: meu-namespace
spec:
  type: NodePort
  clusterIP: 10.96.100.20
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: 8080
    nodePort: 30080
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: web-m4q9z
  namespace: meu-namespace
  labels:
    kubernetes.io/service-name: web
addressType: IPv4
endpoints:
- addresses: [10.244.1.21]
  conditions: {ready: true}
  nodeName: node-1
- addresses: [10.244.2.22]
  conditions: {ready: true}
  nodeName: node-2
ports:
- name: http
  port: 8080
  protocol: TCP
`

const WEB_CLUSTERIP = `---
# The web application, internal only for now.
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: meu-namespace
spec:
  clusterIP: 10.96.100.20
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: 8080
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: web-m4q9z
  namespace: meu-namespace
  labels:
    kubernetes.io/service-name: web
addressType: IPv4
endpoints:
- addresses: [10.244.1.21]
  conditions: {ready: true}
  nodeName: node-1
- addresses: [10.244.2.22]
  conditions: {ready: true}
  nodeName: node-2
ports:
- name: http
  port: 8080
  protocol: TCP
`

const LB_LOCAL = `# A LoadBalancer that keeps client IPs (externalTrafficPolicy: Local) and only admits
# one office range. node-1 has no local endpoint, so it drops external traffic.
apiVersion: v1
kind: Service
metadata:
  name: shop
  namespace: prod
spec:
  type: LoadBalancer
  clusterIP: 10.96.50.5
  externalTrafficPolicy: Local
  healthCheckNodePort: 32100
  loadBalancerSourceRanges: [203.0.113.0/24]
  selector:
    app: shop
  ports:
  - name: https
    port: 443
    targetPort: 8443
    nodePort: 31443
status:
  loadBalancer:
    ingress:
    - ip: 198.51.100.7
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: shop-abcde
  namespace: prod
  labels:
    kubernetes.io/service-name: shop
addressType: IPv4
endpoints:
- addresses: [10.244.2.31]
  conditions: {ready: true}
  nodeName: node-2
ports:
- name: https
  port: 8443
  protocol: TCP
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
    title: 'LoadBalancer, externalTrafficPolicy Local, source ranges (trace)',
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
