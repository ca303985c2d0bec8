-- Tracking plans (PUT /v1/event-types/{name}): a workspace's own event types, each PUT a new version with the JSON
-- Schema of the events' data; the highest version is the one events are checked against. No customer data here:
-- names, schemas and counts only.
CREATE TABLE event_types (
    workspace       text        NOT NULL,
    name            text        NOT NULL,
    version         integer     NOT NULL CHECK (version >= 1),
    description     text,
    schema          jsonb       NOT NULL,
    unknown_fields  text        NOT NULL CHECK (unknown_fields IN ('keep', 'refuse')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace, name, version)
);

-- Events accepted and refused per type (built-in and custom), added batch-wise: one row per workspace and type.
CREATE TABLE event_type_counts (
    workspace  text   NOT NULL,
    name       text   NOT NULL,
    accepted   bigint NOT NULL DEFAULT 0,
    rejected   bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (workspace, name)
);
