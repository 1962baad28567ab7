#!/usr/bin/env bash
# Installs the pinned front-end packages and copies the built files into static/vendor.
# Run by `make assets`; the result is committed so that running the app needs no Node.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../static/vendor"
cd "$here"
npm ci --silent --no-audit --no-fund
rm -rf "$out" && mkdir -p "$out"/{bootstrap,htmx,fonts,icons/fonts}
nm=node_modules
cp $nm/bootstrap/dist/css/bootstrap.min.css $nm/bootstrap/dist/css/bootstrap.rtl.min.css "$out/bootstrap/"
cp $nm/bootstrap/dist/js/bootstrap.bundle.min.js "$out/bootstrap/"
cp $nm/htmx.org/dist/htmx.min.js "$out/htmx/"
cp $nm/bootstrap-icons/font/bootstrap-icons.min.css "$out/icons/"
cp $nm/bootstrap-icons/font/fonts/bootstrap-icons.woff{,2} "$out/icons/fonts/"
for w in 400 600 700; do
  for s in arabic latin; do
    cp "$nm/@fontsource/noto-sans-arabic/files/noto-sans-arabic-$s-$w-normal.woff2" "$out/fonts/"
  done
done
cp $nm/@fontsource/noto-sans-arabic/LICENSE "$out/fonts/LICENSE" 2>/dev/null || true
# Certificates (WeasyPrint): Naskh for Arabic, a serif for Latin script.
mkdir -p "$out/fonts/print"
for w in 400 700; do
  cp "$nm/@fontsource/noto-naskh-arabic/files/noto-naskh-arabic-arabic-$w-normal.woff2" "$out/fonts/print/"
  cp "$nm/@fontsource/noto-serif/files/noto-serif-latin-$w-normal.woff2" "$out/fonts/print/"
done
# The source maps are not shipped: drop the references to them, which collectstatic would follow.
find "$out" \( -name '*.css' -o -name '*.js' \) -exec sed -i '/sourceMappingURL=/d' {} +
