-- `customer.changed` notifications for the gateway's 360 view cache, written by triggers in the same
-- transaction as the change: a trigger on a table sees every statement that touches it, whichever code
-- path runs it, so the cache cannot miss a change that a hand-written notification would have forgotten.
--
-- Statement-level triggers with transition tables: one outbox row per workspace per statement (a batch of
-- 500 events costs one row, not 500). More than 500 customers at once (a refit), or a table that names no
-- customer (a segment renamed), sends `customer_ids: null`: every customer of the workspace may have changed.
CREATE FUNCTION flywheel_customer_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
    source_service text := TG_ARGV[0];
    changed text[] := '{}';
    rows_table text;
    column_index int;
    written bigint;
BEGIN
    FOREACH rows_table IN ARRAY CASE TG_OP WHEN 'INSERT' THEN ARRAY['new_rows'] WHEN 'DELETE' THEN ARRAY['old_rows']
                                           ELSE ARRAY['old_rows', 'new_rows'] END LOOP
        IF TG_NARGS = 1 THEN
            changed := changed || format('SELECT workspace, NULL::text AS customer_id FROM %I', rows_table);
        END IF;
        FOR column_index IN 1 .. TG_NARGS - 1 LOOP
            changed := changed || format('SELECT workspace, %I::text AS customer_id FROM %I WHERE %I IS NOT NULL',
                                         TG_ARGV[column_index], rows_table, TG_ARGV[column_index]);
        END LOOP;
    END LOOP;
    EXECUTE format($sql$
        INSERT INTO flywheel_outbox (topic, key, value, header_names, header_values)
        SELECT 'flywheel.customer.changes', convert_to(workspace, 'UTF8'),
               convert_to(jsonb_build_object(
                   'specversion', '1.0', 'id', gen_random_uuid()::text, 'source', %L, 'type', 'customer.changed',
                   'time', now(), 'workspace', workspace, 'datacontenttype', 'application/json',
                   'data', jsonb_build_object('customer_ids',
                       CASE WHEN bool_or(customer_id IS NULL) OR count(*) > 500 THEN NULL
                            ELSE jsonb_agg(customer_id ORDER BY customer_id) END))::text, 'UTF8'),
               ARRAY['content-type'], ARRAY[convert_to('application/cloudevents+json', 'UTF8')]
          FROM (SELECT DISTINCT workspace, customer_id FROM (%s) AS ids) AS changes
         GROUP BY workspace$sql$, source_service, array_to_string(changed, ' UNION ALL '));
    GET DIAGNOSTICS written = ROW_COUNT;
    IF written > 0 THEN
        PERFORM pg_notify('flywheel_outbox', '');  -- wakes the relay at commit rather than at its next poll
    END IF;
    RETURN NULL;
END
$fn$;

-- Sends `customer.changed` for every statement that inserts, updates or deletes rows of `table_name`,
-- naming the customers in `id_columns` (none: every customer of the rows' workspaces).
-- A table with transition tables needs one trigger per operation.
CREATE FUNCTION flywheel_track_customer_changes(table_name regclass, source_service text, VARIADIC id_columns text[] DEFAULT '{}')
RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
    arguments text := array_to_string(ARRAY(SELECT quote_literal(a) FROM unnest(source_service || id_columns) AS a), ', ');
    base_name text := replace(table_name::text, '.', '_') || '_customer_changed';
BEGIN
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION flywheel_customer_changed(%s)',
                   base_name || '_insert', table_name, arguments);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %s REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION flywheel_customer_changed(%s)',
                   base_name || '_update', table_name, arguments);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION flywheel_customer_changed(%s)',
                   base_name || '_delete', table_name, arguments);
END
$fn$;
