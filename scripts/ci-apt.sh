#!/usr/bin/env bash
# Every Debian package the test suites use (run as root: `sudo bash scripts/ci-apt.sh`). .ci/run
# and .github/workflows/ci.yml call this before `npm test`; on a newcomer's machine it makes
# `npm test` run what CI runs instead of skipping suites.
#  - iptables: iptables-restore/-save/-L (1.8.9, nf_tables backend on bookworm) for test/kernel
#  - nftables: `nft -f` / `nft list table` (1.0.6 on bookworm) for kube-proxy's nftables mode in test/kernel
#  - nfacct:   `nfacct add` creates the accounting objects kube-proxy's `-m nfacct` rules need
#  - iproute2: `ip netns` / `ip link` (veth pairs) for the real-packet scenarios
#  - util-linux: `unshare -n` (normally present already)
#  - procps:   `sysctl` (forwarding, route_localnet inside the test namespaces)
#  - chromium, fonts-dejavu-core: the playground page test (worker/test/browser.test.ts)
#  - git:      the Action end-to-end test and `diff --base-ref` build throw-away repositories
#  - graphviz: `dot` checks that `-o dot` output is valid Graphviz (test/diagram/dot.test.ts)
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || apt-get update
apt-get install -y -qq --no-install-recommends iptables nftables nfacct iproute2 util-linux procps chromium fonts-dejavu-core git graphviz >/dev/null
iptables --version
nft --version
