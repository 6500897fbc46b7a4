-- Binding a joining member's keys to the invitation it used (issue 14): the MAC the joining device
-- made of its own keys with the invitation's secret part, which the server never sees. Relayed to
-- officers' devices, which check it before sealing the org key to those keys or signing them into
-- the statement. NULL for members who joined before, or with an invitation without a secret.
ALTER TABLE members ADD COLUMN key_binding TEXT;
