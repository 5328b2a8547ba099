#!/usr/bin/env bash
# Make the app icon, build/bwdc-tray.icns, from the committed hicolor PNGs (drawn by
# resources/make_icons.py). macOS only: iconutil comes with the system.
# Run it before `python installer/build.py`: installer/bwdc-tray.spec uses build/bwdc-tray.icns
# when it is there.
#
#   bash installer/macos/make_app_icon.sh [OUT.icns]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-$root/build/bwdc-tray.icns}"
hicolor="$root/resources/icons/hicolor"
iconset="$root/build/bwdc-tray.iconset"

if ! command -v iconutil >/dev/null 2>&1; then
    echo "make_app_icon.sh: iconutil not found: the .icns can only be made on macOS" >&2
    exit 1
fi

rm -rf "$iconset"
mkdir -p "$iconset" "$(dirname "$out")"
# iconset name -> hicolor size: each point size at 1x and 2x (Apple's iconset layout).
while read -r name size; do
    src="$hicolor/${size}x${size}/apps/bwdc-tray.png"
    if [[ ! -f "$src" ]]; then
        echo "make_app_icon.sh: $src is missing: run resources/make_icons.py" >&2
        exit 1
    fi
    cp "$src" "$iconset/$name"
done <<'SIZES'
icon_16x16.png 16
icon_16x16@2x.png 32
icon_32x32.png 32
icon_32x32@2x.png 64
icon_128x128.png 128
icon_128x128@2x.png 256
icon_256x256.png 256
icon_256x256@2x.png 512
icon_512x512.png 512
SIZES

iconutil --convert icns --output "$out" "$iconset"
echo "make_app_icon.sh: wrote $out"
