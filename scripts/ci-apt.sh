#!/usr/bin/env bash
# Debian packages the test suites need (run as root; CI calls this before `npm test`).
#  - iptables: iptables-restore/-save/-L (1.8.9, nf_tables backend on bookworm) for test/kernel
#  - nftables: `nft -f` / `nft list table` (1.0.6 on bookworm) for kube-proxy's nftables mode in test/kernel
#  - nfacct:   `nfacct add` creates the accounting objects kube-proxy's `-m nfacct` rules need
#  - iproute2: `ip netns` / `ip link` (veth pairs) for the real-packet scenarios
#  - util-linux: `unshare -n` (normally present already)
#  - procps:   `sysctl` (forwarding, route_localnet inside the test namespaces)
#  - graphviz: `dot` checks that `-o dot` output is valid Graphviz (test/diagram/dot.test.ts)
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || apt-get update
apt-get install -y -qq --no-install-recommends iptables nftables nfacct iproute2 util-linux procps graphviz >/dev/null
iptables --version
nft --version
