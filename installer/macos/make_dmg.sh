#!/usr/bin/env bash
# Pack dist/bwdc-tray.app into dist/bwdc-tray-<version>-macos-<arch>.dmg: a compressed (UDZO)
# disk image holding the app and a link to /Applications to drag it onto. When
# BWDC_TRAY_SIGN_IDENTITY is set, the dmg is signed too, and notarised and stapled when the
# notary settings are (sign_and_notarize.sh; installer/macos/README.md).
#
#   bash installer/macos/make_dmg.sh [dist/bwdc-tray.app]
#
# Sign the app first (sign_and_notarize.sh dist/bwdc-tray.app): the dmg holds a copy of it.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
app="${1:-$root/dist/bwdc-tray.app}"
app="${app%/}"

die() { echo "make_dmg.sh: $*" >&2; exit 1; }

[[ -d "$app" ]] || die "$app not found: build it first (python installer/build.py)"
command -v hdiutil >/dev/null 2>&1 || die "hdiutil not found: a dmg can only be made on macOS"

info="$app/Contents/Info.plist"
version="$(plutil -extract CFBundleShortVersionString raw "$info")"
executable="$app/Contents/MacOS/$(plutil -extract CFBundleExecutable raw "$info")"
# The architectures of the app's main program: arm64, x86_64, or both (universal2).
read -r -a archs <<<"$(lipo -archs "$executable")"
if [[ ${#archs[@]} -gt 1 ]]; then arch=universal2; else arch="${archs[0]}"; fi

dmg="$root/dist/bwdc-tray-$version-macos-$arch.dmg"
stage="$root/build/dmg"
rm -rf "$stage"
mkdir -p "$stage" "$(dirname "$dmg")"
ditto "$app" "$stage/$(basename "$app")"  # ditto keeps symlinks, modes and signatures
ln -s /Applications "$stage/Applications"

rm -f "$dmg"
hdiutil create -volname "bwdc-tray $version" -srcfolder "$stage" -fs HFS+ -format UDZO \
    -imagekey zlib-level=9 -ov "$dmg"
rm -rf "$stage"
hdiutil verify "$dmg"
echo "make_dmg.sh: wrote $dmg"

bash "$here/sign_and_notarize.sh" "$dmg"
