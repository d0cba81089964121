"""The README's walk-through and the app's daily calls, through a client generated from the
served OpenAPI document (scripts/openapi-client). Usage: walkthrough.py BASE_URL ADMIN_TOKEN.
Every step checks the status and the parsed model; the first mismatch stops with exit 1."""

import datetime
import os
import subprocess
import sys

from continuity_api import AuthenticatedClient
from continuity_api.api.alerts import list_alert_events_csv
from continuity_api.api.clients import assign_primary, create_client, list_client_assignments, list_clients, update_client
from continuity_api.api.contacts import correct_contact, create_contact, delete_contact, get_contact, list_client_contacts
from continuity_api.api.continuity import get_client_continuity
from continuity_api.api.professionals import create_professional, list_professionals, update_professional
from continuity_api.api.referrals import create_referral, list_client_referrals
from continuity_api.api.reports import get_continuity_report, get_continuity_report_csv, get_continuity_report_html
from continuity_api.api.teams import create_team
from continuity_api.models import (ClientCreate, ClientRecord, ClientUpdate, Contact, ContactCreate, ContactMode,
                                   ContactStatus, ContactUpdate, Continuity, Employment, PrimaryAssignmentCreate,
                                   Problem, ProfessionalCreate, ProfessionalUpdate, ReferralCreate, AssignmentReason, TeamCreate)

base, admin_token = sys.argv[1], sys.argv[2]
steps = 0


def check(what, response, status, model=None):
    """The response has this status (and parsed to this model); returns the parsed body."""
    global steps
    steps += 1
    if response.status_code != status or (model is not None and not isinstance(response.parsed, model)):
        print(f"FAIL {what}: want {status} {model.__name__ if model else ''}, got {response.status_code} "
              f"{type(response.parsed).__name__}: {response.content[:300]!r}")
        sys.exit(1)
    print(f"ok   {what}: {response.status_code}")
    return response.parsed


def expect(what, condition):
    global steps
    steps += 1
    if not condition:
        print(f"FAIL {what}")
        sys.exit(1)
    print(f"ok   {what}")


admin = AuthenticatedClient(base_url=base, token=admin_token, raise_on_unexpected_status=True)
today = datetime.date.today()
opened = today - datetime.timedelta(days=20)
visit = datetime.datetime.combine(today - datetime.timedelta(days=3), datetime.time(10, 0),
                                  tzinfo=datetime.timezone(datetime.timedelta(hours=1)))

# README "Walk-through: log a visit".
check("create a team", create_team.sync_detailed(client=admin, body=TeamCreate(id="noord", name="Wijkteam Noord")), 201)
check("create a professional", create_professional.sync_detailed(client=admin, body=ProfessionalCreate(
    id="p-anna", name="Anna de Vries", team_id="noord", discipline="maatschappelijk werker",
    employment=Employment.PERMANENT, started_on=datetime.date(2024, 1, 1))), 201)
check("create another professional", create_professional.sync_detailed(client=admin, body=ProfessionalCreate(
    id="p-bram", name="Bram Jansen", team_id="noord", discipline="wijkverpleegkundige",
    employment=Employment.TEMPORARY, started_on=datetime.date(2024, 3, 1))), 201)

# The app works with a worker's token of the team, made with the CLI as the README says.
worker_token = subprocess.run([os.environ["CLI_BINARY"], "token", "create", "--name", "app-noord", "--role", "worker",
                               "--team", "noord"], check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
app = AuthenticatedClient(base_url=base, token=worker_token, raise_on_unexpected_status=True)

client = check("create a client", create_client.sync_detailed(client=app, body=ClientCreate(
    id="c-0001", external_ref="ZK-2026-0001", team_id="noord", opened_on=opened)), 201, ClientRecord)
expect("a new client has no primary yet", client.primary_professional_id is None)
check("assign the primary", assign_primary.sync_detailed("c-0001", client=app, body=PrimaryAssignmentCreate(
    professional_id="p-anna", from_=opened, reason=AssignmentReason.START)), 201)
body = ContactCreate(id="k-0001", client_id="c-0001", professional_id="p-anna", occurred_at=visit, mode=ContactMode.HOME_VISIT)
contact = check("log the visit", create_contact.sync_detailed(client=app, body=body), 201, Contact)
check("a retry of the same create returns the stored record", create_contact.sync_detailed(client=app, body=body), 200, Contact)
c = check("read the continuity", get_client_continuity.sync_detailed("c-0001", client=app), 200, Continuity)
expect("one contact, one face, full UPC", (c.contacts, c.faces, c.upc) == (1, 1, 1))
expect("coc and secon undefined with one contact", c.coc is None and c.secon is None)
expect("known_face_share is 0 at a first visit", c.known_face_share == 0)

# What the app reads.
page = check("the who-visited picker", list_professionals.sync_detailed(client=app, team_id="noord", active_on=today), 200)
expect("lists the team's professionals", [p.id for p in page.items] == ["p-anna", "p-bram"])
page = check("find a client by case number", list_clients.sync_detailed(client=app, external_ref="ZK-2026-0001"), 200)
expect("finds exactly that client", [x.id for x in page.items] == ["c-0001"])
check("a referral", create_referral.sync_detailed(client=app, body=ReferralCreate(
    client_id="c-0001", referred_on=today - datetime.timedelta(days=2), from_professional_id="p-anna", to="Schuldhulpverlening")), 201)
page = check("the client's referrals", list_client_referrals.sync_detailed("c-0001", client=app), 200)
expect("one referral", len(page.items) == 1 and page.items[0].to == "Schuldhulpverlening")
page = check("the primary history", list_client_assignments.sync_detailed("c-0001", client=app), 200)
expect("one assignment, to Anna", [a.professional_id for a in page.items] == ["p-anna"])
got = check("one contact", get_contact.sync_detailed("k-0001", client=app), 200, Contact)
expect("as logged", got.mode == ContactMode.HOME_VISIT and got.occurred_at == visit)

# A PATCH of each kind an app makes.
ended = check("a professional's end date", update_professional.sync_detailed("p-bram", client=admin, body=ProfessionalUpdate(
    ended_on=today + datetime.timedelta(days=60))), 200)
expect("the end date is set", ended.ended_on == today + datetime.timedelta(days=60))

# A correction: the visit was Bram's, at the office, and took 45 minutes; a second contact was logged in error.
fixed = check("correct the contact", correct_contact.sync_detailed("k-0001", client=app, body=ContactUpdate(
    professional_id="p-bram", participants=["p-anna"], mode=ContactMode.OFFICE_VISIT, duration_minutes=45)), 200, Contact)
expect("the correction is stored", (fixed.professional_id, fixed.participants, fixed.mode, fixed.duration_minutes)
       == ("p-bram", ["p-anna"], ContactMode.OFFICE_VISIT, 45))
check("the same correction again (a retry)", correct_contact.sync_detailed("k-0001", client=app, body=ContactUpdate(
    professional_id="p-bram", participants=["p-anna"], mode=ContactMode.OFFICE_VISIT, duration_minutes=45)), 200, Contact)
cleared = check("clear the duration", correct_contact.sync_detailed("k-0001", client=app, body=ContactUpdate(
    duration_minutes=None)), 200, Contact)
expect("null cleared it", cleared.duration_minutes is None)
problem = check("a correction that breaks a rule", correct_contact.sync_detailed("k-0001", client=app, body=ContactUpdate(
    participants=["p-bram"])), 422, Problem)
expect("names the field", [e.pointer for e in problem.errors] == ["/participants/0"])
c = check("the continuity follows the correction", get_client_continuity.sync_detailed("c-0001", client=app), 200, Continuity)
expect("two faces now", c.faces == 2)
check("a second contact", create_contact.sync_detailed(client=app, body=ContactCreate(
    id="k-0002", client_id="c-0001", professional_id="p-anna", occurred_at=visit, mode=ContactMode.PHONE,
    status=ContactStatus.NO_SHOW)), 201)
check("delete the contact logged in error", delete_contact.sync_detailed("k-0002", client=app), 204)
check("a retried delete answers alike", delete_contact.sync_detailed("k-0002", client=app), 204)
check("the deleted contact is gone", get_contact.sync_detailed("k-0002", client=app), 404, Problem)
page = check("the client's contacts", list_client_contacts.sync_detailed("c-0001", client=app), 200)
expect("only the corrected one", [k.id for k in page.items] == ["k-0001"])
check("close the case", update_client.sync_detailed("c-0001", client=app, body=ClientUpdate(closed_on=today)), 200, ClientRecord)

# Reports and events in each form, each an operation of its own.
report = check("the report as JSON", get_continuity_report.sync_detailed(client=admin, team_id="noord"), 200)
expect("for the team", report.team_id == "noord")
csv = check("the report as CSV", get_continuity_report_csv.sync_detailed(client=admin, team_id="noord"), 200)
expect("CSV with a BOM", isinstance(csv, str) and csv.startswith("\ufeff"))
html = check("the report as HTML", get_continuity_report_html.sync_detailed(client=admin, team_id="noord"), 200)
expect("an HTML page", isinstance(html, str) and "<html" in html.lower())
events = check("alert events as CSV", list_alert_events_csv.sync_detailed(client=admin), 200)
expect("with the header row", isinstance(events, str) and events.lstrip("\ufeff").startswith("seq,event,alert_id"))

print(f"{steps} steps passed")
