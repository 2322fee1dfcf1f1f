#!/bin/bash
# Builds the site beside the one being served, then swaps it in, so that the
# site keeps answering while the build runs and a failed build changes
# nothing (`astro build` empties its output folder when it starts). Restart
# the service afterwards: the running server has the old build's code loaded.
#   sudo -u hienmau SITE_URL=https://… /opt/hien-mau/deploy/rebuild.sh && systemctl restart hien-mau
set -euo pipefail
umask 022

APP_DIR=${APP_DIR:-/opt/hien-mau}
cd "$APP_DIR"
if [ -z "${SITE_URL:-}" ]; then
  echo "rebuild: hãy đặt SITE_URL là địa chỉ công khai của trang (https://…)" >&2
  exit 2
fi

rm -rf dist-next dist-old
echo "rebuild: đang dựng trang vào dist-next/"
ASTRO_TELEMETRY_DISABLED=1 ./node_modules/.bin/node node_modules/astro/bin/astro.mjs build --outDir dist-next
# Two renames, microseconds apart: the served folder is never half-written.
if [ -d dist ]; then mv dist dist-old; fi
mv dist-next dist
rm -rf dist-old
echo "rebuild: dist/ đã là bản dựng mới; hãy khởi động lại dịch vụ để phục vụ các trang mới"
