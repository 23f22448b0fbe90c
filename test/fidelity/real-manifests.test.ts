/**
 * The real manifest sets (test/fixtures/real-manifests/, unmodified third-party files, see each
 * SOURCE.md) planned through the CLI as an operator of that software would read them: with
 * synthesised Nodes, and with a written cluster (a tainted control-plane node and three workers
 * in three zones, test/fixtures/real-manifests-cluster/three-zones.yaml). Each set pins its
 * Services' types, ports with the port the endpoints really receive (named targetPorts resolved),
 * NodePort allocations (seeded previews), healthCheckNodePorts, endpoint counts and nodes, and the
 * DNS names of headless Services; and no set may raise a false "fits no Node" or "no endpoints"
 * warning. What each set taught is written next to it.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { planJson } from './helpers.ts'
import { fingerprint } from './real-manifests-fingerprint.ts'

const root = join(import.meta.dirname, '..', 'fixtures', 'real-manifests')
const cluster = join(import.meta.dirname, '..', 'fixtures', 'real-manifests-cluster', 'three-zones.yaml')

interface Expectation {
  /** What planning the set showed, as an operator reads it. */
  readonly notes: string
  readonly synthesised: readonly string[]
  readonly given: readonly string[]
}

const EXPECTED: Record<string, Expectation> = {
  'aks-store-demo': {
    notes:
      'Every workload pins kubernetes.io/os: linux (fit no synthesised Node before the kubelet labels); no namespaces, so default; the two StatefulSets sit behind ordinary ClusterIP Services (no per-pod DNS); store-front and store-admin are LoadBalancers whose NodePorts are previews.',
    synthesised: [
      'default/documentdb ClusterIP [- 10260/TCP->10260] eps 1/1 on node-1',
      'default/makeline-service ClusterIP [http 3001/TCP->3001] eps 1/1 on node-1',
      'default/order-service ClusterIP [http 3000/TCP->3000] eps 1/1 on node-1',
      'default/product-service ClusterIP [http 3002/TCP->3002] eps 1/1 on node-1',
      'default/rabbitmq ClusterIP [rabbitmq-amqp 5672/TCP->5672; rabbitmq-http 15672/TCP->15672] eps 1/1 on node-1',
      'default/store-admin LoadBalancer [- 80/TCP->8081 np 30478 preview] eps 1/1 on node-1',
      'default/store-front LoadBalancer [- 80/TCP->8080 np 32418 preview] eps 1/1 on node-1',
    ],
    given: [
      'default/documentdb ClusterIP [- 10260/TCP->10260] eps 1/1 on worker-a',
      'default/makeline-service ClusterIP [http 3001/TCP->3001] eps 1/1 on worker-a',
      'default/order-service ClusterIP [http 3000/TCP->3000] eps 1/1 on worker-a',
      'default/product-service ClusterIP [http 3002/TCP->3002] eps 1/1 on worker-a',
      'default/rabbitmq ClusterIP [rabbitmq-amqp 5672/TCP->5672; rabbitmq-http 15672/TCP->15672] eps 1/1 on worker-a',
      'default/store-admin LoadBalancer [- 80/TCP->8081 np 30478 preview] eps 1/1 on worker-a',
      'default/store-front LoadBalancer [- 80/TCP->8080 np 32418 preview] eps 1/1 on worker-a',
    ],
  },
  'argo-cd-ha': {
    notes:
      'namespace-install.yaml carries no namespace (default here; kubectl apply -n argocd in real use); the per-pod announce Services select statefulset.kubernetes.io/pod-name and publishNotReadyAddresses, one endpoint each on the pod\'s node; argocd-redis-ha is headless for the redis-ha StatefulSet (serviceName matches), so per-pod DNS names; argocd-server maps both http and https to one named targetPort (8080). Required podAntiAffinity is not modelled; three workers satisfy it anyway.',
    synthesised: [
      'default/argocd-applicationset-controller ClusterIP [webhook 7000/TCP->7000; metrics 8080/TCP->8080] eps 1/1 on node-1',
      'default/argocd-dex-server ClusterIP [http 5556/TCP->5556; grpc 5557/TCP->5557; metrics 5558/TCP->5558] eps 1/1 on node-1',
      'default/argocd-metrics ClusterIP [metrics 8082/TCP->8082] eps 1/1 on node-1',
      'default/argocd-notifications-controller-metrics ClusterIP [metrics 9001/TCP->9001] eps 1/1 on node-1',
      'default/argocd-redis-ha ClusterIP [tcp-server 6379/TCP->6379; tcp-sentinel 26379/TCP->26379] eps 3/3 on node-1,node-2,node-3 dns argocd-redis-ha.default.svc.cluster.local=Ax3 argocd-redis-ha-server-0.argocd-redis-ha.default.svc.cluster.local=Ax1 argocd-redis-ha-server-1.argocd-redis-ha.default.svc.cluster.local=Ax1 argocd-redis-ha-server-2.argocd-redis-ha.default.svc.cluster.local=Ax1',
      'default/argocd-redis-ha-announce-0 ClusterIP [tcp-server 6379/TCP->6379; tcp-sentinel 26379/TCP->26379] eps 1/1 on node-1',
      'default/argocd-redis-ha-announce-1 ClusterIP [tcp-server 6379/TCP->6379; tcp-sentinel 26379/TCP->26379] eps 1/1 on node-2',
      'default/argocd-redis-ha-announce-2 ClusterIP [tcp-server 6379/TCP->6379; tcp-sentinel 26379/TCP->26379] eps 1/1 on node-3',
      'default/argocd-redis-ha-haproxy ClusterIP [tcp-haproxy 6379/TCP->6379; http-exporter-port 9101/TCP->9101] eps 3/3 on node-1,node-2,node-3',
      'default/argocd-repo-server ClusterIP [server 8081/TCP->8081; metrics 8084/TCP->8084] eps 2/2 on node-1,node-2',
      'default/argocd-server ClusterIP [http 80/TCP->8080; https 443/TCP->8080] eps 2/2 on node-1,node-2',
      'default/argocd-server-metrics ClusterIP [metrics 8083/TCP->8083] eps 2/2 on node-1,node-2',
    ],
    given: [
      'default/argocd-applicationset-controller ClusterIP [webhook 7000/TCP->7000; metrics 8080/TCP->8080] eps 1/1 on worker-a',
      'default/argocd-dex-server ClusterIP [http 5556/TCP->5556; grpc 5557/TCP->5557; metrics 5558/TCP->5558] eps 1/1 on worker-a',
      'default/argocd-metrics ClusterIP [metrics 8082/TCP->8082] eps 1/1 on worker-a',
      'default/argocd-notifications-controller-metrics ClusterIP [metrics 9001/TCP->9001] eps 1/1 on worker-a',
      'default/argocd-redis-ha ClusterIP [tcp-server 6379/TCP->6379; tcp-sentinel 26379/TCP->26379] eps 3/3 on worker-a,worker-b,worker-c dns argocd-redis-ha.default.svc.cluster.local=Ax3 argocd-redis-ha-server-0.argocd-redis-ha.default.svc.cluster.local=Ax1 argocd-redis-ha-server-1.argocd-redis-ha.default.svc.cluster.local=Ax1 argocd-redis-ha-server-2.argocd-redis-ha.default.svc.cluster.local=Ax1',
      'default/argocd-redis-ha-announce-0 ClusterIP [tcp-server 6379/TCP->6379; tcp-sentinel 26379/TCP->26379] eps 1/1 on worker-a',
      'default/argocd-redis-ha-announce-1 ClusterIP [tcp-server 6379/TCP->6379; tcp-sentinel 26379/TCP->26379] eps 1/1 on worker-b',
      'default/argocd-redis-ha-announce-2 ClusterIP [tcp-server 6379/TCP->6379; tcp-sentinel 26379/TCP->26379] eps 1/1 on worker-c',
      'default/argocd-redis-ha-haproxy ClusterIP [tcp-haproxy 6379/TCP->6379; http-exporter-port 9101/TCP->9101] eps 3/3 on worker-a,worker-b,worker-c',
      'default/argocd-repo-server ClusterIP [server 8081/TCP->8081; metrics 8084/TCP->8084] eps 2/2 on worker-a,worker-b',
      'default/argocd-server ClusterIP [http 80/TCP->8080; https 443/TCP->8080] eps 2/2 on worker-a,worker-b',
      'default/argocd-server-metrics ClusterIP [metrics 8083/TCP->8083] eps 2/2 on worker-a,worker-b',
    ],
  },
  'contour': {
    notes:
      'envoy is a DaemonSet without a control-plane toleration: one endpoint per worker; its LoadBalancer uses externalTrafficPolicy Local, so it gets a previewed healthCheckNodePort; the certgen Job backs no Service.',
    synthesised: [
      'projectcontour/contour ClusterIP [xds 8001/TCP->8001] eps 2/2 on node-1,node-2',
      'projectcontour/envoy LoadBalancer [http 80/TCP->8080 np 30461 preview; https 443/TCP->8443 np 31753 preview] hc 32277 eps 3/3 on node-1,node-2,node-3',
    ],
    given: [
      'projectcontour/contour ClusterIP [xds 8001/TCP->8001] eps 2/2 on worker-a,worker-b',
      'projectcontour/envoy LoadBalancer [http 80/TCP->8080 np 30461 preview; https 443/TCP->8443 np 31753 preview] hc 32277 eps 3/3 on worker-a,worker-b,worker-c',
    ],
  },
  'gateway-api-conformance': {
    notes:
      'No containerPort is declared, so numeric targetPorts are info notes, not warnings; CoreDNS serves 53/UDP; the selector-less Services\' manual EndpointSlices list ports but no endpoints (the conformance suite fills them at run time), so 0 endpoints is right and no warning is raised; headless selects the infra-backend-v1 pods.',
    synthesised: [
      'gateway-conformance-app-backend/app-backend-v1 ClusterIP [- 8080/TCP->3000] eps 2/2 on node-1,node-2',
      'gateway-conformance-app-backend/app-backend-v2 ClusterIP [- 8080/TCP->3000] eps 2/2 on node-1,node-2',
      'gateway-conformance-app-backend/tls-backend ClusterIP [- 443/TCP->8443] eps 1/1 on node-1',
      'gateway-conformance-infra/coredns ClusterIP [udp-dns 53/UDP->53] eps 1/1 on node-1',
      'gateway-conformance-infra/grpc-infra-backend-v1 ClusterIP [- 8080/TCP->3000] eps 2/2 on node-1,node-2',
      'gateway-conformance-infra/grpc-infra-backend-v2 ClusterIP [- 8080/TCP->3000] eps 2/2 on node-1,node-2',
      'gateway-conformance-infra/grpc-infra-backend-v3 ClusterIP [- 8080/TCP->3000] eps 2/2 on node-1,node-2',
      'gateway-conformance-infra/headless ClusterIP [first-port 8080/TCP->3000] eps 2/2 on node-1,node-2 dns headless.gateway-conformance-infra.svc.cluster.local=Ax2',
      'gateway-conformance-infra/headless-manual-endpointslices ClusterIP [first-port 8080/TCP->(3000)] eps 0/0 dns headless-manual-endpointslices.gateway-conformance-infra.svc.cluster.local=Ax0',
      'gateway-conformance-infra/infra-backend-v1 ClusterIP [first-port 8080/TCP->3000; second-port 8081/TCP->3001; third-port 8082/TCP->3000] eps 2/2 on node-1,node-2',
      'gateway-conformance-infra/infra-backend-v2 ClusterIP [- 8080/TCP->3000] eps 2/2 on node-1,node-2',
      'gateway-conformance-infra/infra-backend-v3 ClusterIP [- 8080/TCP->3000] eps 1/1 on node-1',
      'gateway-conformance-infra/manual-endpointslices ClusterIP [first-port 8080/TCP->(3000)] eps 0/0',
      'gateway-conformance-infra/tcp-backend ClusterIP [echo-tcp-plain 3000/TCP->3000; echo-tcp-tls 8443/TCP->8443] eps 2/2 on node-1,node-2',
      'gateway-conformance-infra/tls-backend ClusterIP [- 443/TCP->8443] eps 1/1 on node-1',
      'gateway-conformance-infra/tls-backend-2 ClusterIP [- 443/TCP->8443] eps 1/1 on node-1',
      'gateway-conformance-web-backend/web-backend ClusterIP [- 8080/TCP->3000] eps 2/2 on node-1,node-2',
    ],
    given: [
      'gateway-conformance-app-backend/app-backend-v1 ClusterIP [- 8080/TCP->3000] eps 2/2 on worker-a,worker-b',
      'gateway-conformance-app-backend/app-backend-v2 ClusterIP [- 8080/TCP->3000] eps 2/2 on worker-a,worker-b',
      'gateway-conformance-app-backend/tls-backend ClusterIP [- 443/TCP->8443] eps 1/1 on worker-a',
      'gateway-conformance-infra/coredns ClusterIP [udp-dns 53/UDP->53] eps 1/1 on worker-a',
      'gateway-conformance-infra/grpc-infra-backend-v1 ClusterIP [- 8080/TCP->3000] eps 2/2 on worker-a,worker-b',
      'gateway-conformance-infra/grpc-infra-backend-v2 ClusterIP [- 8080/TCP->3000] eps 2/2 on worker-a,worker-b',
      'gateway-conformance-infra/grpc-infra-backend-v3 ClusterIP [- 8080/TCP->3000] eps 2/2 on worker-a,worker-b',
      'gateway-conformance-infra/headless ClusterIP [first-port 8080/TCP->3000] eps 2/2 on worker-a,worker-b dns headless.gateway-conformance-infra.svc.cluster.local=Ax2',
      'gateway-conformance-infra/headless-manual-endpointslices ClusterIP [first-port 8080/TCP->(3000)] eps 0/0 dns headless-manual-endpointslices.gateway-conformance-infra.svc.cluster.local=Ax0',
      'gateway-conformance-infra/infra-backend-v1 ClusterIP [first-port 8080/TCP->3000; second-port 8081/TCP->3001; third-port 8082/TCP->3000] eps 2/2 on worker-a,worker-b',
      'gateway-conformance-infra/infra-backend-v2 ClusterIP [- 8080/TCP->3000] eps 2/2 on worker-a,worker-b',
      'gateway-conformance-infra/infra-backend-v3 ClusterIP [- 8080/TCP->3000] eps 1/1 on worker-a',
      'gateway-conformance-infra/manual-endpointslices ClusterIP [first-port 8080/TCP->(3000)] eps 0/0',
      'gateway-conformance-infra/tcp-backend ClusterIP [echo-tcp-plain 3000/TCP->3000; echo-tcp-tls 8443/TCP->8443] eps 2/2 on worker-a,worker-b',
      'gateway-conformance-infra/tls-backend ClusterIP [- 443/TCP->8443] eps 1/1 on worker-a',
      'gateway-conformance-infra/tls-backend-2 ClusterIP [- 443/TCP->8443] eps 1/1 on worker-a',
      'gateway-conformance-web-backend/web-backend ClusterIP [- 8080/TCP->3000] eps 2/2 on worker-a,worker-b',
    ],
  },
  'k3s-e2e-services': {
    notes:
      'The same nginx-config ConfigMap is in three files: identical copies are info notes; PreferDualStack on an IPv4-only cluster stays single-stack; nodePort 30096 is requested; the externalTrafficPolicy Local LoadBalancer gets a healthCheckNodePort.',
    synthesised: [
      'default/ds-clusterip-svc ClusterIP [- 80/TCP->80] eps 2/2 on node-1,node-2',
      'default/ds-nodeport-svc NodePort [http 80/TCP->80 np 30096 requested] eps 2/2 on node-1,node-2',
      'default/nginx-loadbalancer-svc LoadBalancer [http 81/TCP->80 np 31063 preview] eps 2/2 on node-1,node-2',
      'default/nginx-loadbalancer-svc-ext LoadBalancer [http 82/TCP->80 np 32081 preview] hc 31922 eps 1/1 on node-1',
      'default/nginx-loadbalancer-svc-int LoadBalancer [http 83/TCP->80 np 30326 preview] eps 1/1 on node-1',
    ],
    given: [
      'default/ds-clusterip-svc ClusterIP [- 80/TCP->80] eps 2/2 on worker-a,worker-b',
      'default/ds-nodeport-svc NodePort [http 80/TCP->80 np 30096 requested] eps 2/2 on worker-a,worker-b',
      'default/nginx-loadbalancer-svc LoadBalancer [http 81/TCP->80 np 31063 preview] eps 2/2 on worker-a,worker-b',
      'default/nginx-loadbalancer-svc-ext LoadBalancer [http 82/TCP->80 np 32081 preview] hc 31922 eps 1/1 on worker-a',
      'default/nginx-loadbalancer-svc-int LoadBalancer [http 83/TCP->80 np 30326 preview] eps 1/1 on worker-a',
    ],
  },
  'longhorn-v1.5.3': {
    notes:
      'Four Services reach the longhorn-manager DaemonSet through different named targetPorts; the engine/replica manager Services are headless with no ports and select instance-manager Pods that longhorn-manager creates at run time: empty, an info note, no REJECT warning (headless Services have no rules).',
    synthesised: [
      'longhorn-system/longhorn-admission-webhook ClusterIP [admission-webhook 9502/TCP->9502] eps 3/3 on node-1,node-2,node-3',
      'longhorn-system/longhorn-backend ClusterIP [manager 9500/TCP->9500] eps 3/3 on node-1,node-2,node-3',
      'longhorn-system/longhorn-conversion-webhook ClusterIP [conversion-webhook 9501/TCP->9501] eps 3/3 on node-1,node-2,node-3',
      'longhorn-system/longhorn-engine-manager ClusterIP [] eps 0/0 dns longhorn-engine-manager.longhorn-system.svc.cluster.local=Ax0',
      'longhorn-system/longhorn-frontend ClusterIP [http 80/TCP->8000] eps 2/2 on node-1,node-2',
      'longhorn-system/longhorn-recovery-backend ClusterIP [recovery-backend 9503/TCP->9503] eps 3/3 on node-1,node-2,node-3',
      'longhorn-system/longhorn-replica-manager ClusterIP [] eps 0/0 dns longhorn-replica-manager.longhorn-system.svc.cluster.local=Ax0',
    ],
    given: [
      'longhorn-system/longhorn-admission-webhook ClusterIP [admission-webhook 9502/TCP->9502] eps 3/3 on worker-a,worker-b,worker-c',
      'longhorn-system/longhorn-backend ClusterIP [manager 9500/TCP->9500] eps 3/3 on worker-a,worker-b,worker-c',
      'longhorn-system/longhorn-conversion-webhook ClusterIP [conversion-webhook 9501/TCP->9501] eps 3/3 on worker-a,worker-b,worker-c',
      'longhorn-system/longhorn-engine-manager ClusterIP [] eps 0/0 dns longhorn-engine-manager.longhorn-system.svc.cluster.local=Ax0',
      'longhorn-system/longhorn-frontend ClusterIP [http 80/TCP->8000] eps 2/2 on worker-a,worker-b',
      'longhorn-system/longhorn-recovery-backend ClusterIP [recovery-backend 9503/TCP->9503] eps 3/3 on worker-a,worker-b,worker-c',
      'longhorn-system/longhorn-replica-manager ClusterIP [] eps 0/0 dns longhorn-replica-manager.longhorn-system.svc.cluster.local=Ax0',
    ],
  },
  'metallb-native-prometheus': {
    notes:
      'speaker is a hostNetwork DaemonSet that tolerates the control-plane taint: its headless monitor Service answers with every node\'s IP (4 with the written cluster); the controller pins kubernetes.io/os: linux.',
    synthesised: [
      'metallb-system/controller-monitor-service ClusterIP [metricshttps 9120/TCP->9120] eps 1/1 on node-1 dns controller-monitor-service.metallb-system.svc.cluster.local=Ax1',
      'metallb-system/metallb-webhook-service ClusterIP [- 443/TCP->9443] eps 1/1 on node-1',
      'metallb-system/speaker-monitor-service ClusterIP [metricshttps 9120/TCP->9120] eps 3/3 on node-1,node-2,node-3 dns speaker-monitor-service.metallb-system.svc.cluster.local=Ax3',
    ],
    given: [
      'metallb-system/controller-monitor-service ClusterIP [metricshttps 9120/TCP->9120] eps 1/1 on worker-a dns controller-monitor-service.metallb-system.svc.cluster.local=Ax1',
      'metallb-system/metallb-webhook-service ClusterIP [- 443/TCP->9443] eps 1/1 on worker-a',
      'metallb-system/speaker-monitor-service ClusterIP [metricshttps 9120/TCP->9120] eps 4/4 on cp-1,worker-a,worker-b,worker-c dns speaker-monitor-service.metallb-system.svc.cluster.local=Ax4',
    ],
  },
  'opentelemetry-demo': {
    notes:
      'Rendered Helm output mixing namespaced (otel-demo) and unnamespaced objects; UDP ports plan as UDP; opensearch-headless is the StatefulSet\'s serviceName, so opensearch-0 gets a per-pod name; jaeger\'s collector ports 14250/14267/14268 are not declared by the container (kept as warnings: the process must listen there).',
    synthesised: [
      'default/ad ClusterIP [tcp-service 8080/TCP->8080] eps 1/1 on node-1',
      'default/cart ClusterIP [tcp-service 8080/TCP->8080] eps 1/1 on node-1',
      'default/checkout ClusterIP [tcp-service 8080/TCP->8080] eps 1/1 on node-1',
      'default/currency ClusterIP [tcp-service 8080/TCP->8080] eps 1/1 on node-1',
      'default/email ClusterIP [tcp-service 8080/TCP->8080] eps 1/1 on node-1',
      'default/flagd ClusterIP [rpc 8013/TCP->8013; ofrep 8016/TCP->8016; tcp-service-0 4000/TCP->4000] eps 1/1 on node-1',
      'default/frontend ClusterIP [tcp-service 8080/TCP->8080] eps 1/1 on node-1',
      'default/frontend-proxy ClusterIP [tcp-service 8080/TCP->8080] eps 1/1 on node-1',
      'default/image-provider ClusterIP [tcp-service 8081/TCP->8081] eps 1/1 on node-1',
      'default/jaeger-agent ClusterIP [zk-compact-trft 5775/UDP->5775; config-rest 5778/TCP->5778; jg-compact-trft 6831/UDP->6831; jg-binary-trft 6832/UDP->6832] eps 1/1 on node-1 dns jaeger-agent.default.svc.cluster.local=Ax1',
      'default/jaeger-collector ClusterIP [http-zipkin 9411/TCP->9411; grpc-http 14250/TCP->14250; c-tchan-trft 14267/TCP->14267; http-c-binary-trft 14268/TCP->14268; otlp-grpc 4317/TCP->4317; otlp-http 4318/TCP->4318] eps 1/1 on node-1 dns jaeger-collector.default.svc.cluster.local=Ax1',
      'default/jaeger-query ClusterIP [http-query 16686/TCP->16686; grpc-query 16685/TCP->16685] eps 1/1 on node-1 dns jaeger-query.default.svc.cluster.local=Ax1',
      'default/kafka ClusterIP [plaintext 9092/TCP->9092; controller 9093/TCP->9093] eps 1/1 on node-1',
      'default/load-generator ClusterIP [tcp-service 8089/TCP->8089] eps 1/1 on node-1',
      'default/opensearch ClusterIP [http 9200/TCP->9200; transport 9300/TCP->9300; metrics 9600/TCP->9600] eps 1/1 on node-1',
      'default/opensearch-headless ClusterIP [http 9200/TCP->9200; transport 9300/TCP->9300; metrics 9600/TCP->9600] eps 1/1 on node-1 dns opensearch-headless.default.svc.cluster.local=Ax1 opensearch-0.opensearch-headless.default.svc.cluster.local=Ax1',
      'default/payment ClusterIP [tcp-service 8080/TCP->8080] eps 1/1 on node-1',
      'default/postgresql ClusterIP [tcp-service 5432/TCP->5432] eps 1/1 on node-1',
      'default/product-catalog ClusterIP [tcp-service 8080/TCP->8080] eps 1/1 on node-1',
      'default/quote ClusterIP [tcp-service 8080/TCP->8080] eps 1/1 on node-1',
      'default/recommendation ClusterIP [tcp-service 8080/TCP->8080] eps 1/1 on node-1',
      'default/shipping ClusterIP [tcp-service 8080/TCP->8080] eps 1/1 on node-1',
      'default/valkey-cart ClusterIP [valkey-cart 6379/TCP->6379] eps 1/1 on node-1',
      'otel-demo/grafana ClusterIP [service 80/TCP->3000] eps 1/1 on node-1',
      'otel-demo/otel-collector ClusterIP [jaeger-compact 6831/UDP->6831; jaeger-grpc 14250/TCP->14250; jaeger-thrift 14268/TCP->14268; metrics 8888/TCP->8888; otlp 4317/TCP->4317; otlp-http 4318/TCP->4318; zipkin 9411/TCP->9411] eps 1/1 on node-1',
      'otel-demo/prometheus ClusterIP [http 9090/TCP->9090] eps 1/1 on node-1',
    ],
    given: [
      'default/ad ClusterIP [tcp-service 8080/TCP->8080] eps 1/1 on worker-a',
      'default/cart ClusterIP [tcp-service 8080/TCP->8080] eps 1/1 on worker-a',
      'default/checkout ClusterIP [tcp-service 8080/TCP->8080] eps 1/1 on worker-a',
      'default/currency ClusterIP [tcp-service 8080/TCP->8080] eps 1/1 on worker-a',
      'default/email ClusterIP [tcp-service 8080/TCP->8080] eps 1/1 on worker-a',
      'default/flagd ClusterIP [rpc 8013/TCP->8013; ofrep 8016/TCP->8016; tcp-service-0 4000/TCP->4000] eps 1/1 on worker-a',
      'default/frontend ClusterIP [tcp-service 8080/TCP->8080] eps 1/1 on worker-a',
      'default/frontend-proxy ClusterIP [tcp-service 8080/TCP->8080] eps 1/1 on worker-a',
      'default/image-provider ClusterIP [tcp-service 8081/TCP->8081] eps 1/1 on worker-a',
      'default/jaeger-agent ClusterIP [zk-compact-trft 5775/UDP->5775; config-rest 5778/TCP->5778; jg-compact-trft 6831/UDP->6831; jg-binary-trft 6832/UDP->6832] eps 1/1 on worker-a dns jaeger-agent.default.svc.cluster.local=Ax1',
      'default/jaeger-collector ClusterIP [http-zipkin 9411/TCP->9411; grpc-http 14250/TCP->14250; c-tchan-trft 14267/TCP->14267; http-c-binary-trft 14268/TCP->14268; otlp-grpc 4317/TCP->4317; otlp-http 4318/TCP->4318] eps 1/1 on worker-a dns jaeger-collector.default.svc.cluster.local=Ax1',
      'default/jaeger-query ClusterIP [http-query 16686/TCP->16686; grpc-query 16685/TCP->16685] eps 1/1 on worker-a dns jaeger-query.default.svc.cluster.local=Ax1',
      'default/kafka ClusterIP [plaintext 9092/TCP->9092; controller 9093/TCP->9093] eps 1/1 on worker-a',
      'default/load-generator ClusterIP [tcp-service 8089/TCP->8089] eps 1/1 on worker-a',
      'default/opensearch ClusterIP [http 9200/TCP->9200; transport 9300/TCP->9300; metrics 9600/TCP->9600] eps 1/1 on worker-a',
      'default/opensearch-headless ClusterIP [http 9200/TCP->9200; transport 9300/TCP->9300; metrics 9600/TCP->9600] eps 1/1 on worker-a dns opensearch-headless.default.svc.cluster.local=Ax1 opensearch-0.opensearch-headless.default.svc.cluster.local=Ax1',
      'default/payment ClusterIP [tcp-service 8080/TCP->8080] eps 1/1 on worker-a',
      'default/postgresql ClusterIP [tcp-service 5432/TCP->5432] eps 1/1 on worker-a',
      'default/product-catalog ClusterIP [tcp-service 8080/TCP->8080] eps 1/1 on worker-a',
      'default/quote ClusterIP [tcp-service 8080/TCP->8080] eps 1/1 on worker-a',
      'default/recommendation ClusterIP [tcp-service 8080/TCP->8080] eps 1/1 on worker-a',
      'default/shipping ClusterIP [tcp-service 8080/TCP->8080] eps 1/1 on worker-a',
      'default/valkey-cart ClusterIP [valkey-cart 6379/TCP->6379] eps 1/1 on worker-a',
      'otel-demo/grafana ClusterIP [service 80/TCP->3000] eps 1/1 on worker-a',
      'otel-demo/otel-collector ClusterIP [jaeger-compact 6831/UDP->6831; jaeger-grpc 14250/TCP->14250; jaeger-thrift 14268/TCP->14268; metrics 8888/TCP->8888; otlp 4317/TCP->4317; otlp-http 4318/TCP->4318; zipkin 9411/TCP->9411] eps 1/1 on worker-a',
      'otel-demo/prometheus ClusterIP [http 9090/TCP->9090] eps 1/1 on worker-a',
    ],
  },
  'podinfo-webapp': {
    notes:
      'No replicas: one pod each (the HPAs have minReplicas 1; frontend\'s HPA targets the backend Deployment, an upstream slip); named targetPorts http and grpc resolve to 9898 and 9999.',
    synthesised: [
      'webapp/backend ClusterIP [http 9898/TCP->9898; grpc 9999/TCP->9999] eps 1/1 on node-1',
      'webapp/frontend ClusterIP [http 80/TCP->9898] eps 1/1 on node-1',
    ],
    given: [
      'webapp/backend ClusterIP [http 9898/TCP->9898; grpc 9999/TCP->9999] eps 1/1 on worker-a',
      'webapp/frontend ClusterIP [http 80/TCP->9898] eps 1/1 on worker-a',
    ],
  },
  'sock-shop': {
    notes:
      'Every Deployment pins the deprecated beta.kubernetes.io/os: linux, which kubelets still set; front-end requests nodePort 30001; rabbitmq\'s named targetPort exporter resolves to 9090.',
    synthesised: [
      'sock-shop/carts ClusterIP [- 80/TCP->80] eps 1/1 on node-1',
      'sock-shop/carts-db ClusterIP [- 27017/TCP->27017] eps 1/1 on node-1',
      'sock-shop/catalogue ClusterIP [- 80/TCP->80] eps 1/1 on node-1',
      'sock-shop/catalogue-db ClusterIP [- 3306/TCP->3306] eps 1/1 on node-1',
      'sock-shop/front-end NodePort [- 80/TCP->8079 np 30001 requested] eps 1/1 on node-1',
      'sock-shop/orders ClusterIP [- 80/TCP->80] eps 1/1 on node-1',
      'sock-shop/orders-db ClusterIP [- 27017/TCP->27017] eps 1/1 on node-1',
      'sock-shop/payment ClusterIP [- 80/TCP->80] eps 1/1 on node-1',
      'sock-shop/queue-master ClusterIP [- 80/TCP->80] eps 1/1 on node-1',
      'sock-shop/rabbitmq ClusterIP [rabbitmq 5672/TCP->5672; exporter 9090/TCP->9090] eps 1/1 on node-1',
      'sock-shop/session-db ClusterIP [- 6379/TCP->6379] eps 1/1 on node-1',
      'sock-shop/shipping ClusterIP [- 80/TCP->80] eps 1/1 on node-1',
      'sock-shop/user ClusterIP [- 80/TCP->80] eps 1/1 on node-1',
      'sock-shop/user-db ClusterIP [- 27017/TCP->27017] eps 1/1 on node-1',
    ],
    given: [
      'sock-shop/carts ClusterIP [- 80/TCP->80] eps 1/1 on worker-a',
      'sock-shop/carts-db ClusterIP [- 27017/TCP->27017] eps 1/1 on worker-a',
      'sock-shop/catalogue ClusterIP [- 80/TCP->80] eps 1/1 on worker-a',
      'sock-shop/catalogue-db ClusterIP [- 3306/TCP->3306] eps 1/1 on worker-a',
      'sock-shop/front-end NodePort [- 80/TCP->8079 np 30001 requested] eps 1/1 on worker-a',
      'sock-shop/orders ClusterIP [- 80/TCP->80] eps 1/1 on worker-a',
      'sock-shop/orders-db ClusterIP [- 27017/TCP->27017] eps 1/1 on worker-a',
      'sock-shop/payment ClusterIP [- 80/TCP->80] eps 1/1 on worker-a',
      'sock-shop/queue-master ClusterIP [- 80/TCP->80] eps 1/1 on worker-a',
      'sock-shop/rabbitmq ClusterIP [rabbitmq 5672/TCP->5672; exporter 9090/TCP->9090] eps 1/1 on worker-a',
      'sock-shop/session-db ClusterIP [- 6379/TCP->6379] eps 1/1 on worker-a',
      'sock-shop/shipping ClusterIP [- 80/TCP->80] eps 1/1 on worker-a',
      'sock-shop/user ClusterIP [- 80/TCP->80] eps 1/1 on worker-a',
      'sock-shop/user-db ClusterIP [- 27017/TCP->27017] eps 1/1 on worker-a',
    ],
  },
}

describe('real manifest sets', () => {
  it('has an expectation for every set', () => {
    expect(readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()).toEqual(Object.keys(EXPECTED).sort())
  })

  describe.each(Object.entries(EXPECTED))('%s', (set, want) => {
    const falseAlarms = (issues: readonly { code: string; severity: string }[]): string[] =>
      issues
        .filter((i) => i.severity !== 'info' && (i.code === 'endpoints/pod-unschedulable' || i.code === 'endpoints/selector-matches-nothing' || i.code.startsWith('manifest/')))
        .map((i) => i.code)

    it('plans with synthesised Nodes as pinned, without errors or false alarms', async () => {
      const { run, plan } = await planJson([join(root, set)])
      expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([])
      expect(falseAlarms(plan.issues)).toEqual([])
      expect(fingerprint(plan)).toEqual(want.synthesised)
      expect(run.code).toBe(0)
    })

    it('plans with the written three-zone cluster as pinned, without errors or false alarms', async () => {
      const { run, plan } = await planJson([join(root, set), '--cluster', cluster])
      expect(plan.node).toBe('worker-a')
      expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([])
      expect(falseAlarms(plan.issues)).toEqual([])
      expect(fingerprint(plan)).toEqual(want.given)
      expect(run.code).toBe(0)
    })
  })
})
