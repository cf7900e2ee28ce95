-- The reference for `twofa audit --format csv`: the same rows and columns, computed in SQL
-- by the sqlite3 shell over the same file (bench/run). State, compliance and deadline follow
-- CLI.md "Policy" and src/policy.rs; timestamps are RFC 3339 in UTC; NULL prints empty.
.mode csv
.separator , "\n"
.headers on
WITH now(t) AS MATERIALIZED (SELECT unixepoch())
SELECT a.email AS email,
       o.slug AS org,
       CASE WHEN c.state = 'enabled' THEN 'enabled'
            WHEN c.state = 'pending' AND (SELECT t FROM now) < c.expires_at THEN 'pending'
            ELSE 'disabled' END AS state,
       CASE WHEN c.state = 'enabled'
            THEN strftime('%Y-%m-%dT%H:%M:%SZ', c.enrolled_at, 'unixepoch') END AS enrolled_at,
       CASE WHEN c.state = 'enabled'
            THEN strftime('%Y-%m-%dT%H:%M:%SZ', c.last_used_at, 'unixepoch') END AS last_used_at,
       CASE WHEN c.state = 'enabled'
            THEN (SELECT count(*) FROM twofa_recovery_codes r
                  WHERE r.account_id = a.id AND r.used_at IS NULL)
            ELSE 0 END AS recovery_codes_left,
       CASE WHEN (SELECT t FROM now) < a.locked_until THEN 'true' ELSE 'false' END AS locked,
       CASE WHEN o.require_2fa = 1 THEN 'true' ELSE 'false' END AS required,
       CASE WHEN o.require_2fa = 1 AND c.state IS NOT 'enabled'
                 AND (SELECT t FROM now) >= max(coalesce(o.policy_since, a.created_at), a.created_at)
                                            + o.grace_days * 86400
            THEN 'false' ELSE 'true' END AS compliant,
       CASE WHEN o.require_2fa = 1
            THEN strftime('%Y-%m-%dT%H:%M:%SZ',
                          max(coalesce(o.policy_since, a.created_at), a.created_at)
                          + o.grace_days * 86400, 'unixepoch') END AS deadline
FROM twofa_accounts a
LEFT JOIN twofa_orgs o ON o.id = a.org_id
LEFT JOIN twofa_credentials c ON c.account_id = a.id
ORDER BY a.email;
