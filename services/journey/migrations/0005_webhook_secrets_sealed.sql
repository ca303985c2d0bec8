-- Webhook signing secrets are kept sealed (runtime/secrets_at_rest.py: AES-GCM under a data key wrapped with a
-- key of FLYWHEEL_SECRETS_KEYS), never in plain text, and a rotated secret keeps signing beside the new one
-- until previous_secret_until (services/journey/webhooks.py: SECRET_ROTATION_OVERLAP).
--
-- Existing plain secrets cannot be encrypted here (the keys are in the service's settings, not in the
-- database): the journey service seals them itself at start-up and hourly (services/journey/channel_secrets.py)
-- and empties webhook_secret. Until then a row still holding one is delivered with it, as before.

ALTER TABLE workspace_channels
    ALTER COLUMN webhook_secret DROP NOT NULL,
    ADD COLUMN secret_sealed          text,
    ADD COLUMN previous_secret_sealed text,
    ADD COLUMN previous_secret_until  timestamptz,
    ADD COLUMN secret_rotated_at      timestamptz,
    ADD CONSTRAINT workspace_channels_has_a_secret CHECK (webhook_secret IS NOT NULL OR secret_sealed IS NOT NULL);

COMMENT ON COLUMN workspace_channels.webhook_secret IS
    'Legacy plain secret, emptied once sealed into secret_sealed; only code from before secrets were sealed writes it.';
