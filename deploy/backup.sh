#!/bin/bash
# A daily copy of the sign-up database and a git bundle of the content
# repository (every version of every file editors saved), then the retention
# purge, then old copies deleted. hien-mau-backup.timer runs it as hienmau with the variables
# of /etc/hien-mau.env (SIGNUP_DB among them); docs/deploy.md, "Backups".
#
#   APP_DIR           the project, built (default /opt/hien-mau)
#   BACKUP_DIR        where copies go (default /var/backups/hien-mau)
#   BACKUP_KEEP_DAYS  copies older than this are deleted (default 30)
#   CONTENT_REPO      the content repository (default noi-dung/ beside SIGNUP_DB)
#
# Prints one line per step and no personal data: it ends up in the journal.
set -euo pipefail
# The copies hold names and phone numbers: readable by this user only. (The
# CLI makes its files 0600 too; this also covers the folder made below.)
umask 077

APP_DIR=${APP_DIR:-/opt/hien-mau}
BACKUP_DIR=${BACKUP_DIR:-/var/backups/hien-mau}
BACKUP_KEEP_DAYS=${BACKUP_KEEP_DAYS:-30}

fail() {
  echo "backup.sh: $*" >&2
  exit 1
}

# Without it the CLI would fall back to data/signups.sqlite under APP_DIR,
# which is not the server's database.
[[ -n ${SIGNUP_DB:-} ]] || fail 'chưa đặt SIGNUP_DB (biến này nằm trong /etc/hien-mau.env)'
[[ $BACKUP_KEEP_DAYS =~ ^[1-9][0-9]{0,4}$ ]] || fail "BACKUP_KEEP_DAYS phải là số ngày nguyên từ 1 trở lên, nhưng đang là \"$BACKUP_KEEP_DAYS\""
node=$APP_DIR/node_modules/.bin/node
[[ -x $node ]] || fail "không thấy $node: hãy chạy npm ci trong $APP_DIR"
# Called directly rather than through npm, which wants a writable home.
cli=("$node" --disable-warning=ExperimentalWarning "$APP_DIR/src/cli/main.ts")
cd "$APP_DIR"

mkdir -p "$BACKUP_DIR"
# One name per day; a second run the same day (by hand, say) adds the time,
# and the CLI refuses to overwrite, so an earlier copy is never lost.
stamp=$(date +%F-%H%M%S)
file=$BACKUP_DIR/signups-${stamp:0:10}.sqlite
[[ ! -e $file ]] || file=$BACKUP_DIR/signups-$stamp.sqlite
n=2
while [[ -e $file ]]; do
  file=$BACKUP_DIR/signups-$stamp-$n.sqlite
  n=$((n + 1))
done

# VACUUM INTO: a consistent copy while the server keeps taking sign-ups.
out=$("${cli[@]}" backup "$file")
echo "sao lưu: $out"

# The content repository, whole history included, as one file `git clone` reads.
content_repo=${CONTENT_REPO:-$(dirname "$SIGNUP_DB")/noi-dung}
if [[ -d $content_repo/.git ]]; then
  bundle=$BACKUP_DIR/noi-dung-${stamp:0:10}.bundle
  [[ ! -e $bundle ]] || bundle=$BACKUP_DIR/noi-dung-$stamp.bundle
  git -c safe.directory="$content_repo" -C "$content_repo" bundle create "$bundle" --all 2>/dev/null
  echo "sao lưu nội dung: $bundle"
else
  echo "sao lưu nội dung: chưa có kho nội dung ở $content_repo (chưa ai sửa nội dung trên trang quản trị)"
fi

# The server purges once a day too; this catches a server that was down.
out=$("${cli[@]}" purge)
echo "xoá theo hạn lưu giữ: $out"

deleted=$(find "$BACKUP_DIR" -maxdepth 1 -type f \( -name 'signups-*.sqlite' -o -name 'noi-dung-*.bundle' \) \
  -mmin +$((BACKUP_KEEP_DAYS * 1440)) -print -delete | wc -l)
echo "bản sao cũ: đã xoá $deleted bản quá $BACKUP_KEEP_DAYS ngày trong $BACKUP_DIR"
