-- scripts/bench-engine: one team with a client of 10,000 contacts and 5,000 referrals over ten
-- years (7 professionals taking turns, so changing_faces and referral_chain hold), and 300
-- fresh clients opened yesterday, each with its primary. :start is the epoch second ten years
-- ago; :yesterday an ISO date. Ids are unique per team (migration 0007): every row names its team. The triggers of migration 0003 fill client_faces as a write would.
INSERT INTO teams (id, name) VALUES ('t-bench', 'Wijkteam Bench');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30)
INSERT INTO professionals (id, name, team_id, discipline, employment, started_on, ended_on)
SELECT printf('p-%02d', i), 'Professional ' || i, 't-bench', 'maatschappelijk werk', 'permanent', '2010-01-01', NULL FROM n;
INSERT INTO clients (id, external_ref, team_id, opened_on, closed_on)
VALUES ('c-long', 'ZK-LONG', 't-bench', date(:start, 'unixepoch'), NULL);
INSERT INTO primary_assignments (team_id, client_id, professional_id, from_date, reason) VALUES ('t-bench', 'c-long', 'p-01', date(:start, 'unixepoch'), 'start');
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 9999)
INSERT INTO contacts (team_id, id, client_id, professional_id, participants, occurred_s, occurred_ns, occurred_at, mode, status, duration_minutes)
SELECT 't-bench', printf('k-long-%05d', i), 'c-long', printf('p-%02d', 1 + i % 7), CASE WHEN i % 10 = 0 THEN 'p-08' ELSE '' END,
       :start + i * 31536, 0, strftime('%Y-%m-%dT%H:%M:%SZ', :start + i * 31536, 'unixepoch'),
       CASE i % 3 WHEN 0 THEN 'phone' ELSE 'home_visit' END, CASE WHEN i % 20 = 0 THEN 'no_show' ELSE 'held' END, 45 FROM n;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 4999)
INSERT INTO referrals (team_id, id, client_id, referred_on, from_professional_id, to_text, to_professional_id, warm_handover, status, status_on)
SELECT 't-bench', printf('r-long-%05d', i), 'c-long', date(:start + i * 63072, 'unixepoch'), 'p-01', 'Schuldhulpverlening', NULL, 0,
       'completed', date(:start + i * 63072, 'unixepoch') FROM n;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 299)
INSERT INTO clients (id, external_ref, team_id, opened_on, closed_on)
SELECT printf('c-fresh-%03d', i), printf('ZK-FRESH-%03d', i), 't-bench', :yesterday, NULL FROM n;
INSERT INTO primary_assignments (team_id, client_id, professional_id, from_date, reason)
SELECT team_id, id, 'p-01', :yesterday, 'start' FROM clients WHERE id LIKE 'c-fresh-%';
