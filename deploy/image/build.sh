#!/usr/bin/env bash
# Builds the controller and agent images from the release tarball, without a Docker daemon
# (Podman by default). deploy/README.md, "Images".
#
# Usage: deploy/image/build.sh [--base IMAGE] [--engine podman|docker|buildah] [--tag-prefix P]
#   --base IMAGE     the Java runtime base (default: localhost/haddns-jre:bookworm, made by
#                    build-base.sh when missing; e.g. eclipse-temurin:21-jre where a registry is
#                    reachable)
#   --tag-prefix P   images are P/haddns:VERSION and P/haddns-agent:VERSION (default: localhost)
# The tarball must have been built: ./mvnw package (dist/target/haddns-VERSION.tar.gz).
# Prints the image names and sizes, then checks each image: it runs as user 10001 with a read-only
# root file system and no capabilities, reports the POM's version (also in its
# org.opencontainers.image.version label), and the controller accepts its example configuration.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
base="localhost/haddns-jre:bookworm"
engine="podman"
prefix="localhost"
while [ $# -gt 0 ]; do
  case "$1" in
    --base) base="$2"; shift 2 ;;
    --engine) engine="$2"; shift 2 ;;
    --tag-prefix) prefix="$2"; shift 2 ;;
    *) echo "build.sh: unknown argument $1 (see the usage at the top of this script)" >&2; exit 2 ;;
  esac
done

shopt -s nullglob
tarballs=("$root"/dist/target/haddns-*.tar.gz)
if [ ${#tarballs[@]} -ne 1 ]; then
  echo "build.sh: expected one dist/target/haddns-VERSION.tar.gz, found ${#tarballs[@]}; run ./mvnw package first" >&2
  exit 1
fi
tarball="${tarballs[0]}"
version="$(basename "$tarball" .tar.gz)"
version="${version#haddns-}"
command -v "$engine" >/dev/null 2>&1 || { echo "build.sh: $engine not found" >&2; exit 1; }

if [ "$base" = "localhost/haddns-jre:bookworm" ] && ! "$engine" image inspect "$base" >/dev/null 2>&1; then
  HADDNS_IMAGE_ENGINE="$engine" "$root/deploy/image/build-base.sh" "$base"
fi

ctx="$(mktemp -d)"
trap 'rm -rf "$ctx"' EXIT
tar -xzf "$tarball" -C "$ctx"
mv "$ctx/haddns-$version" "$ctx/haddns"
revision="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
created="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
for target in controller agent; do
  name="haddns"
  [ "$target" = agent ] && name="haddns-agent"
  "$engine" build --quiet -f "$root/deploy/image/Dockerfile" --target "$target" \
    --build-arg "BASE_IMAGE=$base" --build-arg "VERSION=$version" \
    --build-arg "REVISION=$revision" --build-arg "CREATED=$created" \
    -t "$prefix/$name:$version" "$ctx" >/dev/null
  size="$("$engine" image inspect --format '{{.Size}}' "$prefix/$name:$version")"
  echo "$prefix/$name:$version $((size / 1024 / 1024)) MiB"
done

fail() { echo "build.sh: $*" >&2; exit 1; }
run() {
  "$engine" run --rm --read-only --tmpfs /tmp --cap-drop ALL \
    --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 "$@"
}
for name in haddns haddns-agent; do
  image="$prefix/$name:$version"
  label="$("$engine" image inspect --format '{{index .Config.Labels "org.opencontainers.image.version"}}' "$image")"
  [ "$label" = "$version" ] || fail "$image: org.opencontainers.image.version is '$label', not $version"
  user="$(run --entrypoint id "$image" -u)"
  [ "$user" = 10001 ] || fail "$image runs as uid $user, not 10001"
  out="$(run "$image" --version 2>&1)"
  [ "$out" = "$name $version" ] || fail "$image --version printed '$out', not '$name $version'"
done
out="$(run "$prefix/haddns:$version" check-config /etc/haddns/haddns.example.yaml 2>&1)" ||
  fail "the controller image refuses its example configuration: $out"
echo "checked: both run as uid 10001 read-only without capabilities and report $version; $out"
