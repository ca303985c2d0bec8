-- One Flywheel service's role and database, with least privilege. Run by a superuser with psql, once per
-- service: by docker-compose's init (10-flywheel-databases.sh) and by devstack (devstack/postgres.py), so
-- `make run` and the integration tests use exactly what docker-compose does.
--
--   psql --set=role=flywheel_profile --set=database=flywheel_profile -f service-database.sql
--   with the role's password in the environment variable FLYWHEEL_ROLE_PASSWORD (never on a command line)
--
-- The role logs in with a password and is nothing more: no superuser, CREATEDB, CREATEROLE, replication or
-- RLS bypass, member of no role (so neither pg_read_server_files nor pg_execute_server_program: no
-- `COPY ... TO PROGRAM`). It owns its database and the schema public, so its migrations create tables,
-- functions and triggers; nobody else may connect (CONNECT revoked from PUBLIC; superusers bypass it), and
-- it may connect to no other database (the maintenance databases postgres and template1 included).
-- Idempotent: run again, it puts the password and the privileges back as they should be, and hands the
-- role the objects of its database that another role owns (a database made before per-service roles,
-- when every service connected as the superuser).
\set ON_ERROR_STOP on
\set password ''
\getenv password FLYWHEEL_ROLE_PASSWORD
SELECT :'password' = '' AS no_password \gset
\if :no_password
  DO $$ BEGIN RAISE EXCEPTION 'FLYWHEEL_ROLE_PASSWORD is empty: a service role needs a password'; END $$;
\endif

SELECT format('CREATE ROLE %I', :'role') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
ALTER ROLE :"role" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'password';
SELECT format('REVOKE %I FROM %I', granted.rolname, :'role')
  FROM pg_auth_members AS m JOIN pg_roles AS granted ON granted.oid = m.roleid
 WHERE m.member = (SELECT oid FROM pg_roles WHERE rolname = :'role') \gexec

SELECT format('CREATE DATABASE %I OWNER %I', :'database', :'role')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'database') \gexec
ALTER DATABASE :"database" OWNER TO :"role";
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
-- Nor may anyone but superusers connect to the maintenance databases: a service role's only database is its own.
REVOKE ALL ON DATABASE postgres, template1 FROM PUBLIC;

\connect :"database"
ALTER SCHEMA public OWNER TO :"role";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
-- Objects another role owns (sequences of identity and serial columns follow their table).
SELECT format('ALTER TABLE %s OWNER TO %I', c.oid::regclass, :'role')
  FROM pg_class AS c
 WHERE c.relnamespace = 'public'::regnamespace AND c.relowner <> :'role'::regrole
   AND (c.relkind IN ('r', 'p', 'v', 'm', 'f')
        OR c.relkind = 'S' AND NOT EXISTS (SELECT FROM pg_depend AS d
                                            WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                                              AND d.deptype IN ('a', 'i'))) \gexec
SELECT format('ALTER ROUTINE %s OWNER TO %I', p.oid::regprocedure, :'role')
  FROM pg_proc AS p
 WHERE p.pronamespace = 'public'::regnamespace AND p.proowner <> :'role'::regrole \gexec
SELECT format('ALTER TYPE %s OWNER TO %I', t.oid::regtype, :'role')
  FROM pg_type AS t
 WHERE t.typnamespace = 'public'::regnamespace AND t.typowner <> :'role'::regrole
   AND (t.typtype IN ('e', 'd', 'r')
        OR t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c') \gexec
