#!/usr/bin/env bash
# Runs an image tarball (jib:buildTar's target/jib-image.tar) without a container engine: unpacks its
# layers into a root folder and starts its entrypoint there with chroot, as the image's user and with its
# environment and working directory. Not isolation (no namespaces, no limits), only a check that the
# image's entrypoint, classpath and user work. Needs root (chroot).
#
# Usage: k8s/images/run-image-tar.sh services/snaplake-cli/target/jib-image.tar topics
set -euo pipefail
[[ $# -ge 1 ]] || { echo "usage: $0 IMAGE.tar [ARGS...]" >&2; exit 2; }
image=$(readlink -f "$1"); shift
[[ $(id -u) == 0 ]] || { echo "chroot needs root" >&2; exit 1; }

work=$(mktemp -d)
# /proc is mounted inside while the entrypoint runs; the folder is removed only once it is unmounted.
trap 'umount "$work/root/proc" 2>/dev/null; mountpoint -q "$work/root/proc" || rm -rf "$work"' EXIT
mkdir "$work/image" "$work/root"
tar -C "$work/image" -xf "$image"
# Layers in order (manifest.json); each is a tar, gzipped or not.
python3 - "$work/image" >"$work/layers" <<'PY'
import json, sys
manifest = json.load(open(f"{sys.argv[1]}/manifest.json"))[0]
print("\n".join(manifest["Layers"]))
PY
while read -r layer; do
  tar --warning=no-unknown-keyword -C "$work/root" -xf "$work/image/$layer"
done <"$work/layers"
mkdir -p "$work/root/proc" "$work/root/dev" "$work/root/tmp"
config=$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1]+"/manifest.json"))[0]; print(m["Config"])' "$work/image")

# The image's entrypoint, user, environment and working directory, as a container engine would use them.
mapfile -t entrypoint < <(python3 -c 'import json,sys; [print(a) for a in json.load(open(sys.argv[1]))["config"]["Entrypoint"]]' "$work/image/$config")
user=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["config"].get("User") or "0:0")' "$work/image/$config")
workdir=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["config"].get("WorkingDir") or "/")' "$work/image/$config")
mapfile -t environment < <(python3 -c 'import json,sys; [print(e) for e in json.load(open(sys.argv[1]))["config"].get("Env", [])]' "$work/image/$config")

chmod 1777 "$work/root/tmp"
# The JVM's launcher finds its libraries relative to /proc/self/exe.
mount -t proc proc "$work/root/proc"
echo "running ${entrypoint[*]} $* as $user in $workdir" >&2
chroot --userspec="$user" "$work/root" /usr/bin/env -i "${environment[@]}" \
  /bin/sh -c 'cd "$0" && exec "$@"' "$workdir" "${entrypoint[@]}" "$@"
