#!/usr/bin/env bash
# Debian packages the offline VS Code host needs: the headers code-server's native modules build
# against, ripgrep (its search; also stands in for @vscode/ripgrep's download) and Chromium (the
# browser side of the extension-host and UI tests). Installs only what is missing, and only as root.
set -euo pipefail
PKGS=(libkrb5-dev libxkbfile-dev libsecret-1-dev libx11-dev pkg-config ripgrep chromium)
missing=()
for p in "${PKGS[@]}"; do
  if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]; then missing+=("$p"); fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "apt: all host-test packages present (${PKGS[*]})"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "apt: missing ${missing[*]}; run as root: apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "apt: installing ${missing[*]}"
start=$(date +%s)
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "apt: installed ${missing[*]} in $(( $(date +%s) - start )) s"
