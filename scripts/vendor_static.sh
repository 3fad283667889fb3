#!/usr/bin/env bash
# Fetch the front-end libraries SIKAP serves from the npm registry and copy their
# distribution files into static/vendor/. The result is committed, so pages work with
# no internet. Re-run after changing a version below.
set -euo pipefail

BOOTSTRAP=5.3.9
BOOTSTRAP_ICONS=1.13.2
HTMX=2.0.11
CHARTJS=4.6.1

here="$(cd "$(dirname "$0")/.." && pwd)"
dest="$here/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fetch() {  # fetch NAME VERSION -> unpacked in $work/NAME
    (cd "$work" && npm pack --silent "$1@$2" >/dev/null && mkdir -p "$1" && tar -xzf ./*.tgz -C "$1" --strip-components=1 && rm ./*.tgz)
}

fetch bootstrap "$BOOTSTRAP"
fetch bootstrap-icons "$BOOTSTRAP_ICONS"
fetch htmx.org "$HTMX"
fetch chart.js "$CHARTJS"

rm -rf "$dest" && mkdir -p "$dest"/{bootstrap,bootstrap-icons/fonts,htmx,chartjs}
cp "$work/bootstrap/dist/css/bootstrap.min.css" "$work/bootstrap/dist/css/bootstrap.min.css.map" "$dest/bootstrap/"
cp "$work/bootstrap/dist/js/bootstrap.bundle.min.js" "$work/bootstrap/dist/js/bootstrap.bundle.min.js.map" "$dest/bootstrap/"
cp "$work/bootstrap/LICENSE" "$dest/bootstrap/LICENSE"
cp "$work/bootstrap-icons/font/bootstrap-icons.min.css" "$dest/bootstrap-icons/"
cp "$work/bootstrap-icons/font/fonts/bootstrap-icons.woff2" "$work/bootstrap-icons/font/fonts/bootstrap-icons.woff" "$dest/bootstrap-icons/fonts/"
cp "$work/bootstrap-icons/LICENSE" "$dest/bootstrap-icons/LICENSE"
cp "$work/htmx.org/dist/htmx.min.js" "$dest/htmx/"
cp "$work/htmx.org/LICENSE" "$dest/htmx/LICENSE"
cp "$work/chart.js/dist/chart.umd.min.js" "$dest/chartjs/"
cp "$work/chart.js/LICENSE.md" "$dest/chartjs/LICENSE.md"
cat > "$dest/VERSIONS" <<VERSIONS
bootstrap $BOOTSTRAP
bootstrap-icons $BOOTSTRAP_ICONS
htmx.org $HTMX
chart.js $CHARTJS
VERSIONS
echo "vendored into $dest:"; cat "$dest/VERSIONS"
