#!/usr/bin/env bash
# Janus VideoRoom against Palco, the same broadcast, in one command (run as root from the repository
# root, after the build; see loadtest/README.md):
#
#   mvn -B -q -o -pl rtp,sfu,turn-config,bridge-hls,web-client,signaling,loadtest -am package -DskipTests
#   apt-get install -y janus
#   scripts/janus-vs-palco.sh [SideBySideBenchmark flags, e.g. --step 10 --max-subscribers 300]
#
# Why two network namespaces: Janus gathers no candidates on a loopback interface (it skips
# IFF_LOOPBACK), and libnice pins each socket to its interface (IP_UNICAST_IF), so Janus cannot do
# ICE with a client on 127.0.0.1 of the same namespace. Both servers therefore run in a private
# namespace "S" and the generator in a private namespace "G", joined by a veth pair that carries
# loopback-range addresses (127.0.0.2 on the server side, 127.0.0.3 on the generator side;
# route_localnet lets them cross the pair). Neither namespace has any other interface or route:
# nothing can leave the machine. Palco gets exactly the same path as Janus.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" != "--inside" ]]; then
  exec unshare -n "$0" --inside "$@"
fi
shift
uptime
unshare -n sleep infinity &
S=$!
trap 'kill $S 2>/dev/null || true' EXIT
sleep 0.3
ip link add plg0 type veth peer name pls0
ip link set pls0 netns "$S"
setup() { # device, own address, peer address
  sysctl -qw net.ipv4.conf.all.route_localnet=1 "net.ipv4.conf.$1.route_localnet=1" \
    net.ipv4.conf.all.rp_filter=0 "net.ipv4.conf.$1.rp_filter=0"
  ip link set lo up
  # 127.0.0.0/8 is all local by default; keep only 127.0.0.1 local so the peer's address routes over the pair.
  ip route del local 127.0.0.0/8 dev lo table local
  ip route add local 127.0.0.1 dev lo table local 2>/dev/null || true
  ip addr add "$2/32" dev "$1"
  ip link set "$1" up
  ip route add "$3/32" dev "$1"
}
setup plg0 127.0.0.3 127.0.0.2
nsenter -t "$S" -n bash -c "$(declare -f setup); setup pls0 127.0.0.2 127.0.0.3"
java -Xmx1g ${PALCO_LOADTEST_JAVA_OPTS:-} -cp loadtest/target/benchmarks.jar dev.palco.loadtest.generator.SideBySideBenchmark \
  --server-netns-pid "$S" --server-address 127.0.0.2 --client-address 127.0.0.3 --janus-interface pls0 \
  --server-jar signaling/target/palco-server.jar "$@"
uptime
