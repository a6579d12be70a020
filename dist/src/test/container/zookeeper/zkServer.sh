#!/bin/bash
# `zkServer.sh start-foreground`: the ZooKeeper server in the foreground, logging to the console.
set -euo pipefail
[ "${1:-}" = start-foreground ] || { echo "zkServer.sh: only start-foreground is supported" >&2; exit 2; }
# shellcheck disable=SC2086 # JVMFLAGS is a list of flags
exec java ${JVMFLAGS:-} -Dzookeeper.jmx.log4j.disable=true -cp /opt/haddns/lib/haddns.jar \
  org.apache.zookeeper.server.quorum.QuorumPeerMain "$ZOOCFGDIR/zoo.cfg"
