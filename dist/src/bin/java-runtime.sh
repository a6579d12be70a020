# shellcheck shell=bash
# Sourced by bin/haddns and bin/haddns-agent: sets JAVA to a java >= 21 (or exits with a message)
# and JAVA_FLAGS to the flags that keep that release from printing warnings.
# Looks at $JAVA_HOME first, then $HADDNS_JVM_DIRS/* (default /usr/lib/jvm/*), then java on PATH; a JRE suffices.

haddns_java_major() {
  "$1" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1
}

haddns_find_java() {
  local candidates=() d c v
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME/bin/java")
  for d in "${HADDNS_JVM_DIRS:-/usr/lib/jvm}"/*; do [ -x "$d/bin/java" ] && candidates+=("$d/bin/java"); done
  command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")
  for c in "${candidates[@]}"; do
    [ -x "$c" ] || continue
    v="$(haddns_java_major "$c")"
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then
      echo "$v $c"
      return 0
    fi
  done
  return 1
}

# shellcheck disable=SC2034 # JAVA and JAVA_FLAGS are used by the scripts that source this file
if ! found="$(haddns_find_java)"; then
  echo "$(basename "$0"): no Java 21 or newer found (looked at \$JAVA_HOME, /usr/lib/jvm/*, and java on PATH)." >&2
  echo "$(basename "$0"): install one (a JRE suffices, e.g. 'apt-get install openjdk-21-jre-headless') or set JAVA_HOME." >&2
  exit 1
fi
JAVA="${found#* }"
JAVA_FLAGS=()
# Netty (DNS server, admin API, ZooKeeper client) allocates memory through sun.misc.Unsafe; from
# JDK 24 the first call prints a WARNING unless it is allowed. The flag exists from JDK 23 (whose
# default is already allow); older releases refuse it.
if [ "${found%% *}" -ge 23 ]; then
  JAVA_FLAGS+=(--sun-misc-unsafe-memory-access=allow)
fi
