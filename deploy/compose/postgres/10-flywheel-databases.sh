#!/usr/bin/env bash
# Creates one database per Flywheel service (DATABASES, space separated), owned by
# POSTGRES_USER. The postgres image runs this once, on the first start with an empty data volume;
# a database added later needs `docker compose exec postgres createdb -U flywheel flywheel_<service>`.
set -euo pipefail

for database in ${DATABASES:?DATABASES lists the databases to create}; do
  echo "creating database ${database}"
  psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER}" --dbname postgres \
    --set=db="${database}" --set=owner="${POSTGRES_USER}" <<'SQL'
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'owner')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db')\gexec
SQL
done
