-- The reference for `twofa audit --format csv`: the same rows and columns, computed in SQL
-- by the sqlite3 shell over the same file (bench/run). The columns are the status
-- fields in their order (then external_id, devices and access_code_expires_at, which twofa adds last). State, required,
-- compliance and the effective deadline follow the policy of src/policy.rs and
-- src/model.rs (StatusRow::new):
--   - the grace period starts at the later of the account's creation and its move into the
--     organisation (org_joined_at), and at the policy's start if that is later still;
--   - an own deadline (reset --grace-days) replaces the organisation's, where the
--     organisation requires 2FA;
--   - an exemption in force makes the account not required and compliant;
--   - locked_until is empty when not locked or locked until unlock (stored as i64::MAX);
--   - drift_steps is 0 unless 2FA is enabled or pending;
--   - an account's devices sum up as one credential: enabled when one is, else pending
--     until the last pending one expires; the earliest enrollment, the latest use, the
--     drift farthest from 0; devices counts the enabled ones.
-- Timestamps are RFC 3339 in UTC; NULL prints empty. The shell's csv mode quotes more
-- than twofa's CSV writer (spaces, apostrophes, any non-ASCII byte), so the text cells are
-- written as twofa writes them: a cell that a spreadsheet would run as a formula gets a
-- leading ' (src/text.rs defuse_csv), and only a cell holding a quote, a comma or a line
-- break is quoted. Control characters are escaped as twofa escapes them (a line feed,
-- carriage return and tab as \n, \r, \t; the test data holds no other).
.mode list
.separator , "\n"
.headers on
.nullvalue ''
WITH now(t) AS MATERIALIZED (SELECT unixepoch())
SELECT CASE WHEN instr(email, '"') OR instr(email, ',') OR instr(email, char(10)) OR instr(email, char(13))
            THEN '"' || replace(email, '"', '""') || '"' ELSE email END AS email,
       CASE WHEN instr(org, '"') OR instr(org, ',') OR instr(org, char(10)) OR instr(org, char(13))
            THEN '"' || replace(org, '"', '""') || '"' ELSE org END AS org,
       state, enrolled_at, last_used_at, recovery_codes_left, locked, required, compliant,
       deadline, failed_attempts, locked_until, pending_expires_at, exempt_until, drift_steps,
       CASE WHEN instr(external_id, '"') OR instr(external_id, ',')
                 OR instr(external_id, char(10)) OR instr(external_id, char(13))
            THEN '"' || replace(external_id, '"', '""') || '"' ELSE external_id END AS external_id,
       devices, access_code_expires_at
FROM (
  SELECT replace(replace(replace(CASE WHEN substr(email, 1, 1) IN ('=', '@', char(9), char(13))
                   OR (substr(email, 1, 1) IN ('+', '-')
                       AND NOT (email REGEXP '^[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?$'
                                OR lower(substr(email, 2)) IN ('inf', 'infinity', 'nan')))
              THEN '''' || email ELSE email END, char(10), '\n'), char(13), '\r'), char(9), '\t')
           AS email,
         replace(replace(replace(CASE WHEN substr(org, 1, 1) IN ('=', '@', char(9), char(13))
                   OR (substr(org, 1, 1) IN ('+', '-')
                       AND NOT (org REGEXP '^[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?$'
                                OR lower(substr(org, 2)) IN ('inf', 'infinity', 'nan')))
              THEN '''' || org ELSE org END, char(10), '\n'), char(13), '\r'), char(9), '\t')
           AS org,
         state,
         CASE WHEN state = 'enabled' THEN strftime('%Y-%m-%dT%H:%M:%SZ', enrolled_at, 'unixepoch') END AS enrolled_at,
         CASE WHEN state = 'enabled' THEN strftime('%Y-%m-%dT%H:%M:%SZ', last_used_at, 'unixepoch') END AS last_used_at,
         CASE WHEN state = 'enabled'
              THEN (SELECT count(*) FROM twofa_recovery_codes r
                    WHERE r.account_id = acct_id AND r.used_at IS NULL)
              ELSE 0 END AS recovery_codes_left,
         CASE WHEN now < locked_until THEN 'true' ELSE 'false' END AS locked,
         CASE WHEN require_2fa = 1 AND NOT exempt THEN 'true' ELSE 'false' END AS required,
         CASE WHEN exempt OR deadline IS NULL OR state = 'enabled' OR now < deadline
              THEN 'true' ELSE 'false' END AS compliant,
         strftime('%Y-%m-%dT%H:%M:%SZ', deadline, 'unixepoch') AS deadline,
         failed_attempts,
         CASE WHEN locked_until <> 9223372036854775807 AND now < locked_until
              THEN strftime('%Y-%m-%dT%H:%M:%SZ', locked_until, 'unixepoch') END AS locked_until,
         CASE WHEN state = 'pending' THEN strftime('%Y-%m-%dT%H:%M:%SZ', expires_at, 'unixepoch') END AS pending_expires_at,
         strftime('%Y-%m-%dT%H:%M:%SZ', exempt_until, 'unixepoch') AS exempt_until,
         CASE WHEN state = 'disabled' THEN 0 ELSE coalesce(drift_steps, 0) END AS drift_steps,
         replace(replace(replace(CASE WHEN substr(external_id, 1, 1) IN ('=', '@', char(9), char(13))
                   OR (substr(external_id, 1, 1) IN ('+', '-')
                       AND NOT (external_id REGEXP '^[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?$'
                                OR lower(substr(external_id, 2)) IN ('inf', 'infinity', 'nan')))
              THEN '''' || external_id ELSE external_id END, char(10), '\n'), char(13), '\r'), char(9), '\t')
           AS external_id,
         coalesce(devices, 0) AS devices,
         CASE WHEN now < access_code_expires
              THEN strftime('%Y-%m-%dT%H:%M:%SZ', access_code_expires, 'unixepoch')
              END AS access_code_expires_at,
         sort_key
  FROM (
    SELECT a.id AS acct_id, a.email AS email, a.email AS sort_key, o.slug AS org,
           o.require_2fa AS require_2fa, a.failed_attempts AS failed_attempts,
           a.locked_until AS locked_until, a.exempt_until AS exempt_until,
           a.external_id AS external_id, c.enrolled_at AS enrolled_at,
           c.last_used_at AS last_used_at, c.expires_at AS expires_at,
           c.drift_steps AS drift_steps, c.devices AS devices,
           x.expires_at AS access_code_expires, n.t AS now,
           CASE WHEN c.state = 'enabled' THEN 'enabled'
                WHEN c.state = 'pending' AND n.t < c.expires_at THEN 'pending'
                ELSE 'disabled' END AS state,
           coalesce(n.t < a.exempt_until, 0) AS exempt,
           CASE WHEN o.require_2fa = 1
                THEN coalesce(a.own_deadline,
                              max(coalesce(o.policy_since, a.created_at),
                                  a.created_at, coalesce(a.org_joined_at, a.created_at))
                              + o.grace_days * 86400)
                END AS deadline
    FROM now n
    CROSS JOIN twofa_accounts a
    LEFT JOIN twofa_orgs o ON o.id = a.org_id
    LEFT JOIN (
      SELECT account_id,
             CASE WHEN sum(state = 'enabled') > 0 THEN 'enabled' ELSE 'pending' END AS state,
             max(expires_at) AS expires_at, min(enrolled_at) AS enrolled_at,
             max(last_used_at) AS last_used_at,
             CASE WHEN max(drift_steps) >= -min(drift_steps) THEN max(drift_steps)
                  ELSE min(drift_steps) END AS drift_steps,
             sum(state = 'enabled') AS devices
      FROM twofa_credentials GROUP BY account_id
    ) c ON c.account_id = a.id
    LEFT JOIN twofa_access_codes x ON x.account_id = a.id AND x.used_at IS NULL
  )
)
ORDER BY sort_key;
