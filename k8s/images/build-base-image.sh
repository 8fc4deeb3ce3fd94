#!/usr/bin/env bash
# Builds snaplake's local base image from Debian packages alone (no registry but Debian's is needed):
# a minimal Debian bookworm root with openjdk-17-jre-headless and a non-root user 10001, written as a
# `docker save` archive that Jib takes as `tar://...` (jib:buildTar -Psnaplake-images, see README,
# "Deploying"). Production images build FROM eclipse-temurin:17-jre pinned by digest instead; this
# base exists so that the image build is proven on machines that reach no container registry.
#
# Usage: k8s/images/build-base-image.sh [output.tar]   (default target/base-image/debian-jre17.tar)
# Needs root (debootstrap) and Debian's debootstrap package. Idempotent: an existing archive is kept
# unless FORCE=1.
set -euo pipefail
cd "$(dirname "$0")/../.."

out=${1:-target/base-image/debian-jre17.tar}
suite=${DEBIAN_SUITE:-bookworm}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
uid=10001

if [[ -f "$out" && "${FORCE:-0}" != 1 ]]; then
  echo "base image already built: $out (FORCE=1 rebuilds it)" >&2
  exit 0
fi
command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install -y debootstrap" >&2; exit 1; }
[[ $(id -u) == 0 ]] || { echo "debootstrap needs root" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/rootfs
echo "debootstrap $suite (minbase + openjdk-17-jre-headless) into $root ..." >&2
debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates \
  "$suite" "$root" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { tail -30 "$work/debootstrap.log" >&2; exit 1; }

# The runtime user (the images run as $uid, never as root) and a lean root: no package caches or lists.
echo "snaplake:x:$uid:$uid:snaplake:/home/snaplake:/usr/sbin/nologin" >>"$root/etc/passwd"
echo "snaplake:x:$uid:" >>"$root/etc/group"
install -d -o $uid -g $uid "$root/home/snaplake"
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* \
       "$root"/usr/share/man/* "$root"/var/log/* "$root"/tmp/*
chmod 1777 "$root/tmp"
# Debian's fixed JRE folder (the /usr/bin/java symlinks are absolute, so they are not followed from here).
java_home=/usr/lib/jvm/java-17-openjdk-$(dpkg --print-architecture)
"$root$java_home/bin/java" -version >/dev/null 2>&1 || { echo "the JRE in $root does not run" >&2; exit 1; }

# One layer, with fixed timestamps and sorted entries, so the same packages give the same layer.
layer=$work/layer.tar
tar --sort=name --numeric-owner --mtime='2000-01-01 00:00Z' -C "$root" -cf "$layer" .
diff_id=$(sha256sum "$layer" | cut -d' ' -f1)

mkdir -p "$work/image/$diff_id"
mv "$layer" "$work/image/$diff_id/layer.tar"
cat >"$work/config.json" <<JSON
{"architecture":"$(dpkg --print-architecture)","os":"linux","created":"2000-01-01T00:00:00Z",
 "config":{"User":"$uid:$uid","WorkingDir":"/home/snaplake",
   "Env":["PATH=$java_home/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=$java_home","LANG=C.UTF-8"]},
 "rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},
 "history":[{"created":"2000-01-01T00:00:00Z","created_by":"k8s/images/build-base-image.sh: debootstrap $suite openjdk-17-jre-headless"}]}
JSON
config_sha=$(sha256sum "$work/config.json" | cut -d' ' -f1)
mv "$work/config.json" "$work/image/$config_sha.json"
printf '[{"Config":"%s.json","RepoTags":["snaplake/debian-jre17:%s"],"Layers":["%s/layer.tar"]}]\n' \
  "$config_sha" "$suite" "$diff_id" >"$work/image/manifest.json"

mkdir -p "$(dirname "$out")"
# Entries named plainly (no "./" entry): Jib refuses an archive entry that resolves outside its folder.
(cd "$work/image" && tar --sort=name --numeric-owner --mtime='2000-01-01 00:00Z' -cf - manifest.json \
   "$config_sha.json" "$diff_id") >"$out.partial"
mv "$out.partial" "$out"
echo "base image: $out ($(du -h "$out" | cut -f1), layer sha256:$diff_id, JAVA_HOME $java_home)" >&2
