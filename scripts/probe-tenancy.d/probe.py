"""scripts/probe-tenancy: sets up two teams through the API, then probes as t1's worker with
another team's id and a never-used id, strictly alternating over one keep-alive connection.
Usage: probe.py PORT ADMIN_TOKEN N   (PROBE_BIN names the continuity binary, for the worker token)"""
import datetime, gc, http.client, json, math, os, statistics, subprocess, sys, time

port, admin, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
WARM_READS, WARM_CREATES = 100, 20  # pairs sent first and not counted
ORDER = os.environ.get("PROBE_ORDER", "abba")  # or "strict": always the other team's id first
width = max(4, len(str(n + WARM_CREATES)))
IGNORED_HEADERS = {"date", "x-request-id"}


class Connection(http.client.HTTPConnection):
    """Counts the TCP connections it opens: http.client reopens silently when the server closes."""
    opened = 0

    def connect(self):
        Connection.opened += 1
        super().connect()


def request(conn, token, method, path, body=None):
    headers = {"Authorization": "Bearer " + token}
    if body is not None:
        headers["Content-Type"] = "application/json"
        body = json.dumps(body, separators=(",", ":"))
    t0 = time.perf_counter_ns()
    conn.request(method, path, body, headers)
    r = conn.getresponse()
    data = r.read()
    elapsed = time.perf_counter_ns() - t0
    return r.status, r.getheaders(), data, elapsed


setup = Connection("127.0.0.1", port)


def must(method, path, body, want=201):
    status, _, data, _ = request(setup, admin, method, path, body)
    if status != want:
        sys.exit(f"setup: {method} {path} {json.dumps(body)} answered {status}: {data[:300]!r}")


def contact(id, client, professional, i, mode="phone"):
    at = datetime.datetime(2025, 3, 3, 8, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=1))) + datetime.timedelta(minutes=7 * i)
    return {"id": id, "client_id": client, "professional_id": professional,
            "occurred_at": at.isoformat(timespec="seconds"), "mode": mode}


def client(id, team):
    return {"id": id, "external_ref": "ZK-" + id, "team_id": team, "opened_on": "2025-01-01"}


# --- setup: teams t1, t2 with a professional each; t1's clients; t2's records to probe for.
t0 = time.monotonic()
for t in ("t1", "t2"):
    must("POST", "/v1/teams", {"id": t, "name": "Probe team " + t})
    must("POST", "/v1/professionals", {"id": "p" + t[1], "name": "Professional of " + t, "team_id": t,
                                       "discipline": "maatschappelijk werk", "employment": "permanent",
                                       "started_on": "2020-01-01"})
T1_CLIENTS = ["c1-%02d" % i for i in range(20)]  # t1's contact creates are spread over these
for c in T1_CLIENTS:
    must("POST", "/v1/clients", client(c, "t1"))
must("POST", "/v1/clients", client("c2", "t2"))
must("POST", "/v1/clients", client("c-x", "t2"))
must("POST", "/v1/contacts", contact("k-x", "c-x", "p2", 0, "home_visit"))
must("POST", "/v1/referrals", {"id": "r-x", "client_id": "c-x", "referred_on": "2025-03-03",
                               "from_professional_id": "p2", "to": "Schuldhulpverlening"})
for i in range(1, WARM_CREATES + n + 1):
    must("POST", "/v1/contacts", contact("k-x-%0*d" % (width, i), "c-x", "p2", i, "home_visit"))
    must("POST", "/v1/clients", client("c-x-%0*d" % (width, i), "t2"))
worker = subprocess.run([os.environ["PROBE_BIN"], "token", "create", "--name", "probe-worker-t1", "--role", "worker",
                         "--team", "t1"], check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
setup.close()
print(f"setup: t2 holds c-x, k-x, r-x, {WARM_CREATES + n} contacts k-x-{'N' * width} and "
      f"{WARM_CREATES + n} clients c-x-{'N' * width}; t1 has {len(T1_CLIENTS)} clients "
      f"({time.monotonic() - t0:.1f} s)")


# --- the probes. Each makes (method, path, body) for one side: `other` is t2's id, `unknown` an id
# of the same length nobody uses; i is the pair's index (creates need a fresh id per request).
def same(id): return lambda i: id
def numbered(prefix): return lambda i: "%s-%0*d" % (prefix, width, i + 1)

PROBES = [
    # The control: two ids nobody uses. Whatever it shows is the method's own bias and noise.
    ("A/A control: GET /v1/clients/{id}", 404, same("c-r"), same("c-q"), lambda id, i: ("GET", f"/v1/clients/{id}", None)),
    ("GET /v1/clients/{id}", 404, same("c-x"), same("c-q"), lambda id, i: ("GET", f"/v1/clients/{id}", None)),
    ("GET /v1/clients/{id}/continuity", 404, same("c-x"), same("c-q"),
     lambda id, i: ("GET", f"/v1/clients/{id}/continuity", None)),
    ("GET /v1/contacts/{id}", 404, same("k-x"), same("k-q"), lambda id, i: ("GET", f"/v1/contacts/{id}", None)),
    ("PATCH /v1/referrals/{id}", 404, same("r-x"), same("r-q"),
     lambda id, i: ("PATCH", f"/v1/referrals/{id}", {"status": "accepted"})),
    ("POST /v1/contacts client_id={id}", 422, same("c-x"), same("c-q"),
     lambda id, i: ("POST", "/v1/contacts", contact("k-probe", id, "p1", 1))),
    ("POST /v1/contacts id={id} (create)", 201, numbered("k-x"), numbered("k-u"),
     lambda id, i: ("POST", "/v1/contacts", contact(id, T1_CLIENTS[i % len(T1_CLIENTS)], "p1", i))),
    ("POST /v1/clients id={id} (create)", 201, numbered("c-x"), numbered("c-u"),
     lambda id, i: ("POST", "/v1/clients", client(id, "t1"))),
    # The control of the client creates: two id families nobody uses, in the same sort order
    # relative to each other as c-x and c-u (B-tree insert positions alone may differ in cost).
    ("A/A control: POST /v1/clients (create)", 201, numbered("c-w"), numbered("c-v"),
     lambda id, i: ("POST", "/v1/clients", client(id, "t1"))),
]


def normalized(answer, id):
    """Status, headers and body with the probed id itself replaced; Date and X-Request-Id left out."""
    status, headers, data, _ = answer
    mark = id.encode()
    kept = [(k.lower(), v.replace(id, "{id}")) for k, v in headers if k.lower() not in IGNORED_HEADERS]
    return status, kept, data.replace(mark, b"{id}")


def pct(xs, p):
    s = sorted(xs)
    return s[max(0, math.ceil(p * len(s)) - 1)]


def us(ns): return ns / 1000.0


conn = Connection("127.0.0.1", port)
opened_before = Connection.opened
failed = False
summaries = []
t_measure = time.monotonic()
for name, want, other_id, unknown_id, make in PROBES:
    warm = WARM_CREATES if want == 201 else WARM_READS
    answers, mismatches, wrong_status = [], 0, 0
    gc.disable()
    for i in range(warm + n):
        # Creates use ids 1…warm for warming up, then warm+1…warm+n (all prepared in t2). One
        # request of each side per pair; with ORDER=abba the side that goes first swaps every
        # pair, so a position effect (the client's gap between pairs) falls on both sides alike.
        a_id, b_id = other_id(i), unknown_id(i)
        if ORDER == "abba" and i % 2:
            b = request(conn, worker, *make(b_id, i))
            a = request(conn, worker, *make(a_id, i))
        else:
            a = request(conn, worker, *make(a_id, i))
            b = request(conn, worker, *make(b_id, i))
        answers.append((a_id, a, b_id, b))
    gc.enable()
    other = [a[3] for _, a, _, _ in answers[warm:]]
    unknown = [b[3] for _, _, _, b in answers[warm:]]
    for i, (a_id, a, b_id, b) in enumerate(answers):
        if normalized(a, a_id) != normalized(b, b_id):
            mismatches += 1
            if mismatches <= 3:
                print(f"FAIL {name}: pair {i}: {a_id} → {a[0]} {a[2][:300]!r}\n"
                      f"     {'':{len(name)}}           {b_id} → {b[0]} {b[2][:300]!r}")
                if a[0] == b[0]:
                    print(f"     headers {normalized(a, a_id)[1]}\n        vs   {normalized(b, b_id)[1]}")
        if a[0] != want or b[0] != want:
            wrong_status += 1
            if wrong_status <= 3:
                print(f"FAIL {name}: pair {i}: expected {want}, got {a[0]} ({a_id}) and {b[0]} ({b_id}): {b[2][:300]!r}")
    mo, mu = statistics.median(other), statistics.median(unknown)
    diff, ratio = us(mo - mu), mo / mu
    # The median of the paired differences and its 95 % interval (sign test order statistics):
    # drift of the machine during the run cancels within a pair.
    d = sorted(a - b for a, b in zip(other, unknown))
    k = max(0, math.floor((len(d) - 1.96 * math.sqrt(len(d))) / 2))
    paired, lo, hi = us(statistics.median(d)), us(d[k]), us(d[len(d) - 1 - k])
    print(f"{name:36} other {us(mo):7.1f} µs (p90 {us(pct(other, .9)):7.1f})  unknown {us(mu):7.1f} µs "
          f"(p90 {us(pct(unknown, .9)):7.1f})  diff {diff:+6.1f} µs  ratio {ratio:.3f}  "
          f"paired {paired:+6.1f} µs [{lo:+.1f}, {hi:+.1f}]  answers "
          f"{'identical' if not mismatches else f'DIFFER in {mismatches} pairs'}", flush=True)
    if name.startswith("A/A") and (lo > 0 or hi < 0):
        print("NOTE the A/A control's interval excludes 0: the machine was not calm (or the order biases); "
              "read the intervals of this run as too narrow")
    note = abs(mo - mu) > 0.10 * mu
    if note:
        print(f"NOTE {name}: the medians differ by {diff:+.1f} µs ({100 * (mo - mu) / mu:+.1f} % of {us(mu):.1f} µs)")
    failed |= bool(mismatches or wrong_status)
    answers = f"FAIL: {mismatches} of {warm + n} pairs differ" if mismatches else f"answers identical in {warm + n} pairs"
    answers += f", {wrong_status} pairs not {want}" if wrong_status else f" (all {want})"
    summaries.append(
        f"SUMMARY {name}: {answers}; "
        f"median other {us(mo):.1f} µs, unknown {us(mu):.1f} µs, diff {diff:+.1f} µs ({100 * (mo - mu) / mu:+.1f} %), "
        f"ratio {ratio:.3f}, paired {paired:+.1f} µs [{lo:+.1f}, {hi:+.1f}]{'; NOTE > 10 %' if note else ''}")
conn.close()
print(f"measured {len(PROBES)} probes × {n} pairs (+ warm-up) in {time.monotonic() - t_measure:.1f} s over "
      f"{Connection.opened - opened_before} connection(s)")
for s in summaries:
    print(s)
if Connection.opened - opened_before != 1:
    print(f"FAIL the server closed the keep-alive connection: {Connection.opened - opened_before} connections were opened")
    failed = True
sys.exit(1 if failed else 0)
