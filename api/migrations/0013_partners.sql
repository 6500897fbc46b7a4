-- Verified partners (issue 15, decision 0609): the statement a CSO officer signed after comparing a
-- consulate's or city's statement fingerprint out of band (crypto/src/partner.ts). JSON of
-- SignedPartner; NULL for relationships listed before this, which CSO devices show as unverified.
ALTER TABLE relationships ADD COLUMN partner TEXT;
