#!/usr/bin/env bash
# Sign bwdc-tray.app (or a .dmg) with the hardened runtime, then notarise and staple it.
#
#   bash installer/macos/sign_and_notarize.sh [dist/bwdc-tray.app | dist/bwdc-tray-….dmg]
#
# Environment (installer/macos/README.md):
#   BWDC_TRAY_SIGN_IDENTITY   "Developer ID Application: Name (TEAMID)" or its SHA-1; unset:
#                             ad-hoc signature, no notarisation (a dev build, never a failure)
#   BWDC_TRAY_NOTARY_PROFILE  a keychain profile made with `xcrun notarytool store-credentials`
#   BWDC_TRAY_APPLE_ID, BWDC_TRAY_TEAM_ID, BWDC_TRAY_APP_PASSWORD
#                             or an Apple ID, its team and an app-specific password
# Neither notary setting: signed, not notarised (said so, not a failure).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${1:-$root/dist/bwdc-tray.app}"
entitlements="$here/entitlements.plist"
identity="${BWDC_TRAY_SIGN_IDENTITY:-}"

say() { echo "sign_and_notarize.sh: $*"; }
die() { echo "sign_and_notarize.sh: $*" >&2; exit 1; }

[[ -e "$target" ]] || die "$target not found: build it first (python installer/build.py)"
command -v codesign >/dev/null 2>&1 || die "codesign not found: signing needs macOS"

# --- signing ------------------------------------------------------------------------------------

if [[ -n "$identity" ]]; then
    sign=(codesign --force --timestamp --sign "$identity")
else
    say "BWDC_TRAY_SIGN_IDENTITY is not set: ad-hoc signature (runs on this Mac only), no notarisation"
    sign=(codesign --force --timestamp=none --sign -)
fi

is_macho() { file -b "$1" | grep -q '^Mach-O'; }

# Deepest first: a bundle's signature seals what it contains, so the inside is signed before it.
by_depth() { awk -F/ '{ print NF "\t" $0 }' | sort -rn -k1,1 | cut -f2-; }

sign_app() {
    local app="$1" path
    # Libraries and helpers, except a .framework's own binaries (the framework is signed whole
    # below); symlinks are skipped, their targets are signed where they are.
    while IFS= read -r path; do
        is_macho "$path" || continue
        if [[ -x "$path" && "$path" == "$app/Contents/MacOS/"* ]]; then
            # An executable: the hardened runtime and its exceptions apply to it.
            "${sign[@]}" --options runtime --entitlements "$entitlements" "$path"
        else
            # Libraries inherit the entitlements of the executable that loads them.
            "${sign[@]}" --options runtime "$path"
        fi
    done < <(find "$app/Contents" -type f ! -path '*.framework/Versions/*/*' -o -type f \
        -path '*.framework/Versions/*/*/*' | by_depth)
    while IFS= read -r path; do
        if [[ -f "$path/Resources/Info.plist" || -f "$path/Versions/Current/Resources/Info.plist" ]]; then
            "${sign[@]}" --options runtime "$path"
        else
            # No Info.plist, so not a bundle codesign can sign whole: its binaries one by one.
            local binary
            while IFS= read -r binary; do
                if is_macho "$binary"; then "${sign[@]}" --options runtime "$binary"; fi
            done < <(find "$path" -mindepth 1 -maxdepth 3 -type f ! -path '*/Resources/*')
        fi
    done < <(find "$app/Contents" -type d -name '*.framework' | by_depth)
    "${sign[@]}" --options runtime --entitlements "$entitlements" "$app"
    codesign --verify --deep --strict --verbose=2 "$app"
}

case "$target" in
    *.app | *.app/)
        target="${target%/}"
        sign_app "$target"
        ;;
    *.dmg)
        if [[ -z "$identity" ]]; then
            say "the dmg is left unsigned (an ad-hoc signature on a disk image means nothing)"
            exit 0
        fi
        "${sign[@]}" "$target"
        codesign --verify --strict --verbose=2 "$target"
        ;;
    *) die "$target: expected a .app or a .dmg" ;;
esac
say "signed $target"

# --- notarisation -------------------------------------------------------------------------------

if [[ -z "$identity" ]]; then
    exit 0
fi
set +x  # whatever the caller did: the credentials below are never traced
if [[ -n "${BWDC_TRAY_NOTARY_PROFILE:-}" ]]; then
    auth=(--keychain-profile "$BWDC_TRAY_NOTARY_PROFILE")
elif [[ -n "${BWDC_TRAY_APPLE_ID:-}" && -n "${BWDC_TRAY_TEAM_ID:-}" && -n "${BWDC_TRAY_APP_PASSWORD:-}" ]]; then
    # notarytool takes the password on its command line only; a keychain profile avoids that.
    auth=(--apple-id "$BWDC_TRAY_APPLE_ID" --team-id "$BWDC_TRAY_TEAM_ID"
        --password "$BWDC_TRAY_APP_PASSWORD")
else
    say "no BWDC_TRAY_NOTARY_PROFILE, nor BWDC_TRAY_APPLE_ID + BWDC_TRAY_TEAM_ID + BWDC_TRAY_APP_PASSWORD: signed, not notarised"
    exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if [[ "$target" == *.app ]]; then
    upload="$work/$(basename "$target" .app).zip"
    ditto -c -k --keepParent "$target" "$upload"  # notarytool takes a zip, dmg or pkg
else
    upload="$target"
fi

say "submitting $(basename "$upload") to Apple's notary service (this takes minutes)"
result="$work/notary.plist"
status=0
xcrun notarytool submit "$upload" "${auth[@]}" --wait --output-format plist >"$result" || status=$?
verdict="$(plutil -extract status raw "$result" 2>/dev/null || echo unknown)"
if [[ $status -ne 0 || "$verdict" != "Accepted" ]]; then
    submission="$(plutil -extract id raw "$result" 2>/dev/null || true)"
    echo "sign_and_notarize.sh: notarisation failed (status: $verdict)" >&2
    if [[ -n "$submission" ]]; then
        xcrun notarytool log "$submission" "${auth[@]}" >&2 || true
    fi
    exit 1
fi

xcrun stapler staple "$target"
xcrun stapler validate "$target"
say "notarised and stapled $target"
