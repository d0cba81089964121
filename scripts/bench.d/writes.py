"""scripts/bench-engine: sequential writes over one keep-alive connection, alternating between
the long-history client and a fresh one, so both see the same disk, WAL and machine load.
Prints: <median ms long> <median ms fresh> for contacts, then the same for referrals."""
import http.client, json, statistics, sys, time

port, token, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
today = sys.argv[4]
conn = http.client.HTTPConnection("127.0.0.1", port)
headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}

def post(path, body):
    t0 = time.perf_counter()
    conn.request("POST", path, json.dumps(body), headers)
    r = conn.getresponse()
    r.read()
    elapsed = (time.perf_counter() - t0) * 1000
    if r.status != 201:
        sys.exit(f"POST {path} answered {r.status}")
    return elapsed

def contact(i, client):
    return {"id": f"k-bench-{client}-{i}", "client_id": client, "professional_id": "p-0%d" % (1 + i % 7),
            "occurred_at": f"{today}T{8 + i % 9:02d}:{i % 60:02d}:00+01:00", "mode": "home_visit"}

def referral(i, client):
    return {"id": f"r-bench-{client}-{i}", "client_id": client, "referred_on": today,
            "from_professional_id": "p-01", "to": "Wmo-loket"}

for kind, make, path in (("contacts", contact, "/v1/contacts"), ("referrals", referral, "/v1/referrals")):
    # A warm-up pair, not counted (first statements prepared, alerts of the long client raised).
    post(path, make(10_000, "c-long")); post(path, make(10_000, "c-fresh-299"))
    long, fresh = [], []
    for i in range(n):
        long.append(post(path, make(i, "c-long")))
        fresh.append(post(path, make(i, "c-fresh-%03d" % (i % 299))))
    print("%.3f %.3f" % (statistics.median(long), statistics.median(fresh)))
