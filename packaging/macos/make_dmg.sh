#!/usr/bin/env bash
# Wrap a built Broadsheet.app into a compressed, drag-to-install .dmg (macOS only: hdiutil).
#   bash packaging/macos/make_dmg.sh dist/Broadsheet.app dist/broadsheet-0.1.0-macos-arm64.dmg
# Called by packaging/build.py on macOS. The image holds the app and an /Applications link.
# The app is ad-hoc signed by PyInstaller, not notarized: first launch needs right-click > Open.
set -euo pipefail
app=${1:?usage: make_dmg.sh APP OUT.dmg}
out=${2:?usage: make_dmg.sh APP OUT.dmg}
[ -d "$app" ] || { echo "make_dmg: no app bundle at $app" >&2; exit 1; }
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp -R "$app" "$stage/"
ln -s /Applications "$stage/Applications"
rm -f "$out"
hdiutil create -volname Broadsheet -srcfolder "$stage" -fs HFS+ -format UDZO -ov "$out"
hdiutil verify "$out"
