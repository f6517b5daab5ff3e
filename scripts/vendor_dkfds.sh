#!/usr/bin/env bash
# Vendor Det Fælles Designsystem (npm package dkfds) into static/vendor/dkfds/.
# Only npm is needed to fetch it; nothing of Node is needed to run the site.
# Copies the virk.dk theme (CSS), the JavaScript, their source maps, the
# licence, and exactly the fonts and images the CSS refers to (the manifest
# storage of collectstatic fails on a missing reference).
set -euo pipefail
VERSION="${1:?usage: vendor_dkfds.sh VERSION}"
DEST="$(cd "$(dirname "$0")/.." && pwd)/static/vendor/dkfds"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

(cd "$WORK" && npm pack --silent "dkfds@$VERSION" >/dev/null && tar xzf "dkfds-$VERSION.tgz")
SRC="$WORK/package/dist"

rm -rf "$DEST"
mkdir -p "$DEST/css" "$DEST/js"
cp "$SRC/css/dkfds-virkdk.min.css" "$SRC/css/dkfds-virkdk.min.css.map" "$DEST/css/"
cp "$SRC/js/dkfds.min.js" "$SRC/js/dkfds.min.js.map" "$DEST/js/"
cp "$SRC/LICENSE.md" "$DEST/"
cp "$SRC/img/all-svg-icons.svg" "$DEST/" 2>/dev/null || true
grep -o 'url([^)]*)' "$SRC/css/dkfds-virkdk.min.css" \
  | sed -e 's/^url(//' -e 's/)$//' -e "s/[\"']//g" -e 's/[?#].*$//' \
  | grep '^\.\./' | sort -u \
  | while read -r ref; do
      path="${ref#../}"
      mkdir -p "$DEST/$(dirname "$path")"
      cp "$SRC/$path" "$DEST/$path"
    done
echo "dkfds $VERSION" > "$DEST/VERSION"
echo "Vendored dkfds $VERSION into $DEST"
