#!/usr/bin/env bash
# One least-privilege role and one database per Flywheel service (SERVICES, space separated): the role
# flywheel_<service> logs in with the password <SERVICE>_DB_PASSWORD and owns the database
# flywheel_<service>, nothing more (service-database.sql says what that means). The superuser
# (POSTGRES_USER) only creates them; no service connects as it.
#
# The postgres image runs this once, on the first start with an empty data volume. It is idempotent:
# after adding a service, changing a password in .env, or on a volume made before per-service roles
# (whose services all connected as the superuser), run it again by hand, then restart the services:
#   docker compose exec postgres bash /docker-entrypoint-initdb.d/10-flywheel-databases.sh
set -euo pipefail

script=/opt/flywheel/service-database.sql
for service in ${SERVICES:?SERVICES lists the Flywheel services}; do
  password_variable="${service^^}_DB_PASSWORD"
  password="${!password_variable:-}"
  if [[ -z "${password}" ]]; then
    echo "${password_variable} is not set: every service's role needs a password" >&2
    exit 1
  fi
  echo "role and database flywheel_${service}"
  FLYWHEEL_ROLE_PASSWORD="${password}" psql -X -q -v ON_ERROR_STOP=1 --username "${POSTGRES_USER}" \
    --dbname postgres --set=role="flywheel_${service}" --set=database="flywheel_${service}" -f "${script}"
done
