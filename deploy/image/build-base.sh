#!/usr/bin/env bash
# Builds a Java runtime base image without a registry: Debian bookworm (debootstrap, minbase) plus a
# jlink'ed runtime at /opt/java made from a local JDK >= 21. The images of deploy/image/Dockerfile
# can then be built from it offline (deploy/README.md, "Images").
#
# Usage: deploy/image/build-base.sh [IMAGE]     (default IMAGE: localhost/haddns-jre:bookworm)
# Environment: JAVA_HOME (the JDK to jlink from; default: the first JDK >= 21 under /usr/lib/jvm),
# HADDNS_DEBIAN_MIRROR (default: the first Debian mirror apt is configured with),
# HADDNS_IMAGE_ENGINE (default: podman). Needs root, debootstrap and podman (or docker).
set -euo pipefail

image="${1:-localhost/haddns-jre:bookworm}"
engine="${HADDNS_IMAGE_ENGINE:-podman}"
# The modules the controller and agent jars need (jdeps --print-module-deps), plus what they load
# reflectively: XML for logback's configuration, JAAS/Kerberos for ZooKeeper SASL, the
# management beans for the JVM metrics.
modules="java.base,java.compiler,java.desktop,java.logging,java.management,java.naming,java.net.http,\
java.security.jgss,java.security.sasl,java.sql,java.xml,jdk.management,jdk.net,jdk.security.auth,\
jdk.unsupported"

java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1
}
jdk=""
for c in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
  if [ -n "$c" ] && [ -x "$c/bin/jlink" ] && [ "$(java_major "$c")" -ge 21 ] 2>/dev/null; then
    jdk="$c"
    break
  fi
done
if [ -z "$jdk" ]; then
  echo "build-base: no JDK >= 21 with jlink (looked at \$JAVA_HOME and /usr/lib/jvm/*)" >&2
  exit 1
fi
mirror="${HADDNS_DEBIAN_MIRROR:-}"
if [ -z "$mirror" ]; then
  # The first non-security mirror of an active "deb" line or deb822 "URIs:" field.
  mirror="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources \
    2>/dev/null | grep -E '^(deb|URIs:)[[:space:]]' | grep -oE 'https?://[^ ]*' |
    grep -v security | head -n1 || true)"
fi
mirror="${mirror:-http://deb.debian.org/debian}"
for tool in debootstrap "$engine"; do
  command -v "$tool" >/dev/null 2>&1 || { echo "build-base: $tool not found" >&2; exit 1; }
done

rootfs="$(mktemp -d /var/tmp/haddns-base.XXXXXX)"
cleanup() {
  umount "$rootfs/proc" 2>/dev/null || true
  rm -rf "$rootfs"
}
trap cleanup EXIT

echo "build-base: debootstrap bookworm from $mirror" >&2
debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >/dev/null
echo "build-base: jlink from $jdk ($(java_major "$jdk"))" >&2
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --compress=zip-6 --generate-cds-archive --output "$rootfs/opt/java"
mount -t proc proc "$rootfs/proc"
chroot "$rootfs" /opt/java/bin/java -version >/dev/null 2>&1 ||
  { echo "build-base: the jlink'ed runtime does not start inside the root file system" >&2; exit 1; }
umount "$rootfs/proc"
# Nothing the images need at run time: package caches, documentation, locales.
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
  "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/*

tar -C "$rootfs" -c . | "$engine" import \
  --change 'ENV PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV JAVA_HOME=/opt/java' --change 'ENV LANG=C.UTF-8' \
  - "$image" >/dev/null
echo "build-base: $image" >&2
