#!/bin/sh
# Back up the database and MEDIA_ROOT as README "Backup and restore" says,
# restore both into an empty database and folder, and check that every
# table has the same number of rows and that every stored contract PDF has
# the SHA-256 the database holds for it.
#
# Usage: scripts/backup_restore_check.sh DATABASE_URL MEDIA_ROOT
#   DATABASE_URL  postgres://user@host:port/name (the database to back up)
#   MEDIA_ROOT    the folder with the stored PDFs
# It creates and drops the database <name>_restore_check on the same server,
# and works in a temporary folder it removes. Exit status 0: the restore is
# complete; 1: something differs (printed); 2: wrong use.
set -eu

if [ $# -ne 2 ]; then
    echo "usage: $0 DATABASE_URL MEDIA_ROOT" >&2
    exit 2
fi
source_url=$1
media_root=$2
case "$source_url" in
    postgres://*/*|postgresql://*/*) ;;
    *) echo "DATABASE_URL must be postgres://…/name" >&2; exit 2 ;;
esac
source_name=${source_url##*/}
server_url=${source_url%/*}
check_name="${source_name}_restore_check"
check_url="$server_url/$check_name"

work=$(mktemp -d)
cleanup() {
    psql -q -d "$server_url/postgres" -c "DROP DATABASE IF EXISTS \"$check_name\"" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

# 1. The backup: a custom-format dump and an archive of MEDIA_ROOT.
pg_dump -Fc --no-owner -d "$source_url" -f "$work/database.dump"
mkdir -p "$media_root"
tar -C "$media_root" -cf "$work/media.tar" .

# 2. The restore: into an empty database and an empty folder.
psql -q -v ON_ERROR_STOP=1 -d "$server_url/postgres" \
    -c "DROP DATABASE IF EXISTS \"$check_name\"" -c "CREATE DATABASE \"$check_name\"" >/dev/null
pg_restore --no-owner --exit-on-error -d "$check_url" "$work/database.dump"
mkdir "$work/media"
tar -C "$work/media" -xf "$work/media.tar"

# 3. The checks.
cat > "$work/count_rows.sql" <<'SQL'
SELECT table_name || ' ' || (xpath('/row/c/text()', query_to_xml(
           format('SELECT count(*) AS c FROM %I.%I', table_schema, table_name),
           false, true, '')))[1]::text
FROM information_schema.tables
WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
ORDER BY table_name;
SQL
psql -At -v ON_ERROR_STOP=1 -d "$source_url" -f "$work/count_rows.sql" > "$work/rows-source"
psql -At -v ON_ERROR_STOP=1 -d "$check_url" -f "$work/count_rows.sql" > "$work/rows-restored"
failed=0
if ! diff -u "$work/rows-source" "$work/rows-restored" > "$work/rows.diff"; then
    echo "Row counts differ after the restore (table and rows, before and after):"
    cat "$work/rows.diff"
    failed=1
fi

cat > "$work/stored_pdfs.sql" <<'SQL'
SELECT pdf_sha256, pdf FROM contracts_standardcontract WHERE pdf <> ''
UNION ALL SELECT pdf_sha256, pdf FROM contracts_individualcontract WHERE pdf <> ''
UNION ALL SELECT pdf_masked_sha256, pdf_masked FROM contracts_individualcontract
          WHERE pdf_masked <> '';
SQL
pdfs=0
psql -At -F ' ' -v ON_ERROR_STOP=1 -d "$check_url" -f "$work/stored_pdfs.sql" > "$work/pdfs"
while read -r sha name; do
    pdfs=$((pdfs + 1))
    file="$work/media/$name"
    if [ ! -f "$file" ]; then
        echo "Missing after the restore: $name"
        failed=1
        continue
    fi
    actual=$(sha256sum "$file" | cut -d ' ' -f 1)
    if [ "$actual" != "$sha" ]; then
        echo "SHA-256 differs from the database: $name"
        failed=1
    fi
done < "$work/pdfs"

tables=$(wc -l < "$work/rows-source")
if [ "$failed" -ne 0 ]; then
    echo "The restore check FAILED."
    exit 1
fi
echo "Restore check OK: $tables tables with the same row counts, $pdfs stored PDFs with the SHA-256 the database holds."
