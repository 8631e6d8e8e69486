"""Browser journeys through the National Referral Mechanism and public intake.

A. A labour officer registers a potential victim whom an NGO had already registered under another spelling, links
   the case to that person, records consent, screens her (Delphi, adults / labour), decides her status and refers
   her to a shelter, sharing only some sections. The shelter sees only those sections and accepts. The officer then
   schedules and closes a follow-up and closes the case; the timeline tells the whole story.
B. A member of the public reports a tip in Kiswahili and checks its status with the reference and PIN; a national
   coordinator triages it and converts it into a case; the reporter sees the change.

Set-up data goes through the services; everything a user does goes through the pages.

Run: DJANGO_ALLOW_ASYNC_UNSAFE=true .venv/bin/python -m pytest tests/browser -q
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from .test_journey_login import PASSWORD, enrol_totp, submit_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 800}
OVERFLOW_TOLERANCE_PX = 2
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

# (name, short name); pages show agencies by their short name.
LABOUR = ("National Employment Authority", "NEA")
NGO = ("Awareness Against Human Trafficking", "HAART")
SHELTER = ("Tumaini Women's Shelter", "Tumaini Shelter")
SECRETARIAT = ("Counter-Trafficking in Persons Secretariat", "CTiP Secretariat")
LABOUR_AGENCY, NGO_AGENCY, SHELTER_AGENCY = LABOUR[1], NGO[1], SHELTER[1]

# Adults / labour exploitation (ctip/reference/data/delphi_indicators.csv): deceptive recruitment (strong + medium),
# exploitative conditions (strong + medium) and coercion at destination (two strong) are all positive, so the
# combination rule for adults is met and the system suggests "actual victim".
# The same indicator may appear under several dimensions, so each is ticked within its dimension's fieldset.
INDICATORS = [
    ("Deceptive recruitment", "Deceived about the nature of the job, location or employer"),
    ("Deceptive recruitment", "Deceived about wages / earnings"),
    ("Exploitative conditions of work", "Excessive working days or hours"),
    ("Exploitative conditions of work", "Low or no salary (below minimum, in-kind)"),
    ("Coercion at destination", "Confiscation of documents"),
    ("Coercion at destination", "Debt bondage"),
]


# --- helpers ---------------------------------------------------------------------------------------------------


def path_of(page: Page) -> str:
    return urlsplit(page.url).path


def confirm_totp_device(user):
    """A confirmed authenticator for `user`, as if enrolled earlier; the test computes its codes."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def next_totp_code(user) -> str:
    """A code the user's confirmed device accepts now: django-otp refuses a time step already used, so when the
    current one was used (two log-ins within 30 s) take the next one, which the verification tolerance allows."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=user, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    now = totp.t()
    target = max(now, device.last_t + 1)
    if target - now > device.tolerance:  # more than one step ahead: wait for the clock instead
        time.sleep(device.step - (totp.time - device.t0) % device.step + 0.5)
        return next_totp_code(user)
    totp.drift += target - now
    return f"{totp.token():0{device.digits}d}"


def log_in(page: Page, user) -> None:
    """Password, then the 6-digit code of an already enrolled device, ending on the landing page."""
    submit_login(page, user.username, PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/verify/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    page.locator("main").get_by_label("6-digit code").fill(next_totp_code(user))
    page.locator("main").get_by_role("button", name="Verify").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("header .who")).to_contain_text(user.username)


def log_out(page: Page) -> None:
    page.locator("header .who").get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.locator(".messages")).to_contain_text("You have logged out.")


def case_tabs(page: Page):
    return page.get_by_role("navigation", name="Case sections")


def open_tab(page: Page, name: str) -> None:
    case_tabs(page).get_by_role("link", name=name, exact=True).click()
    expect(case_tabs(page).get_by_role("link", name=name, exact=True)).to_have_attribute("aria-current", "page")


def expect_message(page: Page, text: str | re.Pattern) -> None:
    expect(page.locator(".messages")).to_contain_text(text)


def horizontal_overflow(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


# --- set-up through the services --------------------------------------------------------------------------------


@dataclass
class World:
    labour_officer: object
    shelter_user: object
    coordinator: object
    ngo_worker: object
    known_person: object
    provider: object
    other_case: object


def _agency(actor, names: tuple[str, str], agency_type: str, county_codes=("047",)):
    from ctip.accounts.services import agency_create
    from ctip.reference.models import County

    return agency_create(
        actor=actor,
        name=names[0],
        short_name=names[1],
        agency_type=agency_type,
        counties=list(County.objects.filter(code__in=county_codes)),
    )


def _identity(first_name: str, last_name: str, dob: date, sex: str = "female"):
    from ctip.people.identity import Identity

    return Identity(first_name=first_name, last_name=last_name, date_of_birth=dob, sex=sex)


@pytest.fixture
def world(system_actor, make_user) -> World:
    """Agencies, users, the person the NGO registered, the shelter in the directory, another labour case."""
    from django.utils import timezone

    from ctip.accounts.enums import Role
    from ctip.cases.services import case_open
    from ctip.people.services import person_register
    from ctip.reference.models import County
    from ctip.referrals.services import provider_create

    secretariat = _agency(system_actor, SECRETARIAT, "secretariat")
    labour = _agency(system_actor, LABOUR, "labour")
    ngo = _agency(system_actor, NGO, "ngo")
    shelter = _agency(system_actor, SHELTER, "shelter")

    coordinator = make_user(Role.COORDINATOR, secretariat, username="coord-browser", first_name="Halima")
    labour_officer = make_user(Role.LABOUR_OFFICER, labour, username="nea-officer", first_name="Wairimu")
    ngo_worker = make_user(Role.CASE_WORKER, ngo, username="haart-worker", first_name="Akinyi")
    shelter_user = make_user(Role.SERVICE_PROVIDER, shelter, username="tumaini-staff", first_name="Mercy")
    for user in (coordinator, shelter_user):
        confirm_totp_device(user)

    # The NGO met her first, and wrote her name as "Chebet".
    known_person = person_register(actor=ngo_worker, identity=_identity("Chebet", "Koech", date(1998, 3, 14)))
    provider = provider_create(
        actor=coordinator,
        agency=shelter,
        services=["shelter", "psychosocial"],
        counties=list(County.objects.filter(code="047")),
        shelter_capacity=12,
        accepts_adults=True,
        accepts_children=False,
        phone="0700 000 111",
    )
    # Another case of the labour agency, never shared with the shelter.
    other_person = person_register(
        actor=labour_officer, identity=_identity("Baraka", "Mwangi", date(1990, 6, 1), "male")
    )
    other_case = case_open(actor=labour_officer, person=other_person, identified_on=timezone.localdate())
    return World(
        labour_officer=labour_officer,
        shelter_user=shelter_user,
        coordinator=coordinator,
        ngo_worker=ngo_worker,
        known_person=known_person,
        provider=provider,
        other_case=other_case,
    )


# --- journey A: labour officer -> shelter -> follow-up and closure ------------------------------------------------


def test_labour_officer_links_known_person_screens_refers_to_shelter_and_closes(page: Page, live_server, world):
    from django.utils import timezone

    from ctip.cases.models import Case
    from ctip.people.models import Person
    from ctip.referrals.models import Referral

    started = time.monotonic()
    officer, shelter_user = world.labour_officer, world.shelter_user
    persons_before = Person.objects.count()
    today = timezone.localdate()

    # --- the labour officer, on her phone: log-in with enrolment of her authenticator -------------------------
    page.set_viewport_size(PHONE)
    submit_login(page, officer.username, PASSWORD)
    enrol_totp(page, officer)
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Wairimu")
    expect(page.locator("main")).to_contain_text(f"You are logged in as Labour officer. {LABOUR[0]}.")

    # Menu -> Cases -> Register a potential victim (on a phone the main menu folds behind "Menu").
    main_nav = page.get_by_role("navigation", name="Main")
    expect(main_nav.get_by_role("link", name="Cases")).to_be_hidden()
    main_nav.get_by_text("Menu").click()
    main_nav.get_by_role("link", name="Cases").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Victim cases")
    page.locator("main").get_by_role("link", name="Register a potential victim").click()
    expect(page).to_have_url(re.compile(r"/cases/new/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Register a potential victim")
    assert horizontal_overflow(page) <= PHONE["width"] + OVERFLOW_TOLERANCE_PX

    form = page.locator("main form.wizard")
    form.get_by_label("First name", exact=True).fill("Jebet")
    form.get_by_label("Last name / family name").fill("Koech")
    form.get_by_label("Date of birth").fill("1998-03-14")
    form.get_by_label("Sex", exact=True).select_option(label="Female")
    form.get_by_label("Date identified").fill(today.isoformat())
    form.get_by_label("How was the person identified?").select_option(label="Identified by an officer")
    form.get_by_label("County where identified").select_option(label="Nairobi City")
    form.get_by_label("What happened (circumstances)").fill(
        "Recruited for a hotel job; kept in a house in Eastleigh, passport taken, worked 16 hours a day unpaid."
    )
    form.locator("summary", has_text="Types of exploitation").click()
    form.get_by_label("Forced labour", exact=True).check()
    form.get_by_role("button", name="Check for existing records and open the case").click()

    # CTIP proposes the person the NGO registered: a score and readable reasons, but no name (not her agency's).
    candidates = page.locator("section.candidates")
    expect(candidates.get_by_role("heading", level=2)).to_have_text("This person may already be known to CTIP")
    proposed = candidates.locator(".field").filter(has=page.locator(f"input[value='{world.known_person.public_id}']"))
    expect(proposed).to_have_count(1)
    expect(proposed).to_contain_text(f"A person registered by {NGO_AGENCY}")
    expect(proposed).to_contain_text(re.compile(r"score [01]\.\d\d"))
    expect(proposed.locator("small")).to_contain_text(re.compile(rf"\({re.escape(NGO_AGENCY)}; .+\)"))
    expect(proposed).not_to_contain_text("Chebet")  # the name stays with the NGO until the case is linked
    reasons = proposed.locator("small").inner_text()
    assert "spelt differently" in reasons and "same date of birth" in reasons, reasons
    expect(candidates.get_by_label("None of these: register a new person")).to_be_visible()

    proposed.get_by_role("radio").check()
    candidates.get_by_role("button", name="Open the case").click()

    expect(page).to_have_url(re.compile(rf"/cases/{UUID}/$"))
    expect_message(page, re.compile(r"Case \S+ opened\."))
    case = Case.objects.get(public_id=path_of(page).split("/")[2])
    assert case.person_id == world.known_person.pk, "the case is not linked to the person already known"
    assert Person.objects.count() == persons_before, "a second person record was created"
    expect(page.locator(".case-header h1")).to_contain_text(case.reference)
    expect(page.locator(".case-header")).to_contain_text(LABOUR_AGENCY)
    # Her agency now works with the record the NGO made: the name as the NGO spelt it.
    expect(page.locator("section[aria-labelledby='person-h']")).to_contain_text("Chebet Koech")
    expect(page.locator("section[aria-labelledby='circ-h']")).to_contain_text("Identified by an officer")

    # --- consent, sharing allowed --------------------------------------------------------------------------
    open_tab(page, "Consent")
    expect(page.locator("section[aria-labelledby='consent-h']")).to_contain_text("No consent in force.")
    consent_form = page.locator("section[aria-labelledby='consent-new-h'] form")
    consent_form.get_by_label("Consent given by").select_option(label="The person themself")
    consent_form.get_by_label("Date given").fill(today.isoformat())
    consent_form.get_by_label("The purpose of collecting data was explained").check()
    consent_form.get_by_label("Agrees to the use of the data for assistance").check()
    consent_form.get_by_label("Agrees to sharing with service providers").check()
    consent_form.get_by_label("Told they may withdraw consent at any time").check()
    consent_form.get_by_role("button", name="Record consent").click()
    expect_message(page, "Consent recorded.")
    expect(page.locator("section[aria-labelledby='consent-h']")).to_contain_text(
        "The person agrees to sharing with service providers."
    )

    # --- screening with the Delphi checklist for adults, labour exploitation ------------------------------------
    open_tab(page, "Screening and status")
    screening = page.locator("section[aria-labelledby='screen-h']")
    expect(screening).to_contain_text("List: Adults, labour exploitation.")
    for dimension, text in INDICATORS:
        fieldset = screening.locator("fieldset").filter(has=page.locator("legend", has_text=dimension))
        fieldset.get_by_label(text).check()
    screening.get_by_label("Notes of the interview").fill("Interviewed with a Kiswahili-speaking colleague.")
    screening.get_by_role("button", name="Record the screening").click()
    expect_message(page, "Screening recorded.")
    suggestion = page.locator("section[aria-labelledby='suggest-h']")
    expect(suggestion.locator(".badge")).to_have_text("Actual victim of trafficking")
    expect(suggestion).to_contain_text(f"{len(INDICATORS)} indicators observed")
    expect(suggestion).to_contain_text("The combination rule is met")
    expect(suggestion).to_contain_text("The system only suggests.")

    # The officer decides (a first responder's identification: possible victim).
    decision = page.locator("section[aria-labelledby='decide-h'] form")
    decision.get_by_label("Trafficking status").select_option(label="Possible victim of trafficking")
    decision.get_by_label("Type of organisation deciding").select_option(label="Non-police government organisation")
    decision.get_by_label("Decision date").fill(today.isoformat())
    decision.get_by_label("Reasons for the decision").fill("Indicators met; formal determination by the police.")
    decision.get_by_role("button", name="Record the decision").click()
    expect_message(page, "Trafficking status recorded.")
    expect(page.locator(".case-header h1")).to_contain_text("Possible victim of trafficking")
    history = page.locator("section[aria-labelledby='history-h'] tbody tr")
    expect(history).to_have_count(1)
    expect(history.first).to_contain_text("Non-police government organisation")
    expect(history.first).to_contain_text(LABOUR_AGENCY)
    expect(history.first).to_contain_text(officer.username)

    # --- referral to the shelter, sharing only screening/status and care -----------------------------------------
    page.set_viewport_size(DESKTOP)
    open_tab(page, "Overview")
    page.locator("main .actions").get_by_role("link", name="Refer to a service").click()
    expect(page).to_have_url(re.compile(rf"/referrals/new/{case.public_id}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Refer case {case.reference} to a service")
    expect(page.get_by_role("alert")).to_have_count(0)  # consent allows sharing: no warning
    with page.expect_navigation():
        page.locator("#pick-service").select_option(label="Shelter")
    expect(page).to_have_url(re.compile(r"\?service=shelter"))
    send = page.locator("main form.panel")
    expect(send).to_contain_text("Service needed: Shelter")  # one service control: the form carries the choice
    expect(send.locator("input[name=service_type]")).to_have_value("shelter")
    send.get_by_label(re.compile(r"^Provider\b")).select_option(label=f"{SHELTER_AGENCY} (12 beds free)")
    shared = send.locator("div.field").filter(has_text="Parts of the case to share")
    expect(shared.get_by_label("Needs, care plan and services")).to_be_checked()  # suggested for a shelter
    shared.get_by_label("Screening and trafficking status").check()
    expect(shared.get_by_label("Identity and contacts")).not_to_be_checked()
    expect(shared.get_by_label("Consent", exact=True)).not_to_be_checked()
    expect(shared.get_by_label("Follow-ups")).not_to_be_checked()
    send.get_by_label("Notes for the provider").fill("Needs a safe bed tonight. Speaks Kiswahili and Kalenjin.")
    send.get_by_role("button", name="Send referral").click()

    expect(page).to_have_url(re.compile(rf"/referrals/{UUID}/$"))
    expect_message(page, re.compile(r"Referral \S+ sent\."))
    referral = Referral.objects.get(public_id=path_of(page).split("/")[2])
    assert sorted(referral.sections) == ["care", "status"], referral.sections
    facts = page.locator("main dl.facts").first
    expect(facts).to_contain_text(SHELTER_AGENCY)
    expect(facts).to_contain_text("Screening and trafficking status")
    expect(facts).to_contain_text("Needs, care plan and services")
    expect(page.locator("main h1")).to_contain_text("Sent, awaiting response")
    log_out(page)

    # --- the shelter: inbox, the case with only the shared sections, accept ------------------------------------------
    log_in(page, shelter_user)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Referrals").click()
    expect(page).to_have_url(re.compile(r"/referrals/inbox/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Referrals received")
    row = page.locator("main tbody tr").filter(has_text=referral.reference)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(case.reference)
    expect(row).to_contain_text(LABOUR_AGENCY)
    expect(row).to_contain_text("Shelter")
    expect(row).to_contain_text("Sent, awaiting response")
    row.get_by_role("link", name=referral.reference).click()
    expect(page).to_have_url(re.compile(rf"/referrals/{referral.public_id}/$"))

    page.locator("main dl.facts").get_by_role("link", name=case.reference).click()
    expect(page).to_have_url(re.compile(rf"/cases/{case.public_id}/$"))
    header = page.locator(".case-header")
    expect(header).to_contain_text("Shared with your agency: you see only the shared sections.")
    tabs = case_tabs(page).get_by_role("link")
    # the Attachments tab lists only the files filed under the shared sections
    expect(tabs).to_have_text(["Overview", "Screening and status", "Care", "Timeline", "Attachments"])
    for hidden in ("Consent", "Follow-ups", "Non-punishment", "Return"):
        expect(case_tabs(page).get_by_role("link", name=hidden, exact=True)).to_have_count(0)
    main = page.locator("main")
    expect(main).to_contain_text("Identity restricted")
    expect(main).not_to_contain_text("Chebet")
    expect(main).not_to_contain_text("Jebet")
    expect(page.locator("section[aria-labelledby='circ-h']")).to_have_count(0)  # circumstances were not shared
    expect(main.get_by_role("link", name="Refer to a service")).to_have_count(0)
    expect(main.get_by_role("link", name="Edit circumstances")).to_have_count(0)

    # The shared screening is there; the unshared consent is not, even by its address.
    open_tab(page, "Screening and status")
    expect(page.locator("section[aria-labelledby='history-h']")).to_contain_text("Possible victim of trafficking")
    expect(page.locator("section[aria-labelledby='screen-h']")).to_have_count(0)  # may not screen
    assert page.request.get(f"/cases/{case.public_id}/consent/").status == 404
    assert page.request.get(f"/cases/{case.public_id}/follow-ups/").status == 404
    open_tab(page, "Timeline")
    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text("Referral for Shelter sent to")
    expect(timeline).not_to_contain_text("Consent recorded")
    # Another case of the labour agency: as if it did not exist.
    response = page.goto(f"/cases/{world.other_case.public_id}/")
    assert response is not None and response.status == 404
    page.go_back()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Referrals").click()
    page.locator("main tbody tr").filter(has_text=referral.reference).get_by_role("link").first.click()
    page.locator("main").get_by_role("button", name="Accept").click()
    expect_message(page, "Referral accepted.")
    expect(page.locator("main h1")).to_contain_text("Accepted")
    expect(page.locator("main dl.facts").first).to_contain_text("11 beds free")
    log_out(page)

    # --- the labour officer again: follow-up, closure, timeline -----------------------------------------------
    log_in(page, officer)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
    page.locator("main tbody").get_by_role("link", name=case.reference).click()
    expect(page).to_have_url(re.compile(rf"/cases/{case.public_id}/$"))

    open_tab(page, "Follow-ups")
    due = today + timedelta(days=14)
    schedule = page.locator("section[aria-labelledby='fu-new-h'] form")
    schedule.get_by_label("Due").fill(due.isoformat())
    schedule.get_by_label("Purpose").fill("Visit her at the shelter")
    expect(schedule.get_by_label("Officer")).to_have_value(str(officer.pk))
    schedule.get_by_role("button", name="Schedule").click()
    expect_message(page, "Follow-up scheduled.")
    follow_up = page.locator("section[aria-labelledby='fu-h'] tbody tr").filter(has_text="Visit her at the shelter")
    expect(follow_up).to_contain_text(due.isoformat())
    follow_up.get_by_label("Outcome").fill("Settled at the shelter; wants help to find work.")
    follow_up.get_by_role("button", name="Done", exact=True).click()
    expect_message(page, "Follow-up done.")
    follow_up = page.locator("section[aria-labelledby='fu-h'] tbody tr").filter(has_text="Visit her at the shelter")
    expect(follow_up).to_contain_text(f"✓ {today.isoformat()} · {officer.username}")

    open_tab(page, "Overview")
    status_form = page.locator("section[aria-labelledby='status-h'] form")
    status_form.get_by_label("New status").select_option(label="Closed (referred on)")
    status_form.get_by_label("Reason for closing").select_option(
        label="Referred to another agency that takes the case over"
    )
    status_form.get_by_label("Note").fill("The shelter takes over her care.")
    status_form.get_by_role("button", name="Change status").click()
    expect_message(page, "Case status changed.")
    expect(page.locator(".case-header h1")).to_contain_text("Closed (referred on)")

    open_tab(page, "Timeline")
    timeline = page.locator("ol.timeline")
    steps = [
        f"Case {case.reference} opened by {LABOUR_AGENCY}",
        "Consent recorded (given by The person themself).",
        "Screening (Adults, labour exploitation): suggested Actual victim of trafficking.",
        "Trafficking status decided: Possible victim of trafficking (by Non-police government organisation).",
        f"Referral for Shelter sent to {SHELTER_AGENCY}.",
        f"Referral for Shelter accepted by {SHELTER_AGENCY}.",
        f"Follow-up scheduled for {due.isoformat()}.",
        "Follow-up done.",
        "Case closed: Referred to another agency that takes the case over.",
    ]
    for step in steps:
        expect(timeline).to_contain_text(step)
    text = timeline.inner_text()
    positions = [text.find(step) for step in steps]
    assert -1 not in positions and positions == sorted(positions, reverse=True), positions  # newest first

    case.refresh_from_db()
    referral.refresh_from_db()
    assert case.status == "ClosedReferred" and case.closure_reason == "referred_on"
    assert case.trafficking_status == "PossibleVictimOfTrafficking"
    assert referral.status == "accepted"
    elapsed = time.monotonic() - started
    assert elapsed < 60, f"journey A took {elapsed:.1f} s"


# --- journey B: a public tip in Kiswahili -> triage -> case ------------------------------------------------------


def test_public_tip_in_kiswahili_is_triaged_and_converted_into_a_case(page: Page, new_page, live_server, world):
    from django.core.cache import cache

    from ctip.cases.models import Case
    from ctip.intake.models import Tip

    cache.clear()  # the public pages' rate limits count per client address in the (per-process) cache
    started = time.monotonic()
    reporter = page

    # --- the reporter, on a phone, switches to Kiswahili and reports ---------------------------------------------
    reporter.set_viewport_size(PHONE)
    reporter.goto("/report/")
    expect(reporter.get_by_role("heading", level=1)).to_have_text("Report possible human trafficking")
    with reporter.expect_navigation():
        reporter.locator("#lang-select").select_option("sw")
    expect(reporter).to_have_url(re.compile(r"/report/$"))
    expect(reporter.locator("html")).to_have_attribute("lang", "sw")
    expect(reporter.get_by_role("heading", level=1)).to_have_text(
        "Ripoti kisa kinachoweza kuwa biashara haramu ya binadamu"
    )
    assert horizontal_overflow(reporter) <= PHONE["width"] + OVERFLOW_TOLERANCE_PX

    form = reporter.locator("main form")
    form.get_by_label("Mtu anayezuiliwa au kulazimishwa kufanya kazi").check()  # "Someone held or forced to work"
    form.get_by_label("Nini kilitokea?").fill(  # "What happened?"
        "Wasichana watatu wanafanya kazi nyumbani bila mshahara na hawaruhusiwi kutoka."
    )
    form.get_by_label("Wapi? Kaunti nchini Kenya").select_option(label="Mombasa")  # "Where? County in Kenya"
    form.get_by_label("Mji, jiji au mahali").fill("Likoni")  # "Town, city or place"
    form.get_by_label("Lini?").fill("Wiki iliyopita")  # "When?"
    form.get_by_role("button", name="Tuma taarifa").click()  # "Send the report"

    expect(reporter.get_by_role("heading", level=1)).to_have_text("Asante: taarifa yako imepokelewa")
    keep = reporter.locator("main dl.facts dd code")
    expect(keep).to_have_count(2)
    reference, pin = (keep.nth(0).inner_text().strip(), keep.nth(1).inner_text().strip())
    assert re.fullmatch(r"TIP-[\w-]+", reference), reference
    assert re.fullmatch(r"\d{4,12}", pin), pin
    assert pin not in reporter.url and reference not in reporter.url
    tip = Tip.objects.get(reference=reference)
    assert tip.source == "public" and tip.status == "new" and tip.language == "sw"

    def check_status() -> None:
        reporter.goto("/report/status/")
        status_form = reporter.locator("main form")
        status_form.get_by_label("Nambari ya rejea").fill(reference)  # "Reference number"
        status_form.get_by_label("PIN").fill(pin)
        status_form.get_by_role("button", name="Angalia").click()  # "Check"
        expect(reporter.get_by_role("heading", level=1)).to_have_text("Hali ya taarifa yako")  # "Status of ..."

    reporter.get_by_role("link", name="Angalia hali ya taarifa").click()  # "Check the status of a report"
    expect(reporter).to_have_url(re.compile(r"/report/status/$"))
    check_status()
    result = reporter.locator("main section.panel")
    expect(result).to_contain_text(reference)
    expect(result).to_contain_text("Imepokelewa: inasubiri kusomwa")  # "Received: waiting to be read"
    assert pin not in reporter.url

    # --- the national coordinator, on another computer: triage ---------------------------------------------------
    coordinator_page = new_page()
    log_in(coordinator_page, world.coordinator)
    coordinator_page.get_by_test_id("landing-cards").get_by_role("link", name=re.compile("My tasks")).click()
    tips = coordinator_page.locator("section.panel").filter(has_text="Public tips awaiting triage")
    tips.get_by_role("link", name=reference).click()
    expect(coordinator_page).to_have_url(re.compile(rf"/intake/tips/{tip.public_id}/$"))
    detail = coordinator_page.locator("main")
    expect(detail.locator("h1")).to_contain_text("New")
    expect(detail).to_contain_text("Someone held or forced to work")
    expect(detail).to_contain_text("Mombasa")
    expect(detail).to_contain_text("Likoni")
    expect(detail).to_contain_text("Wasichana watatu wanafanya kazi nyumbani")
    detail.get_by_role("button", name="Mark under review").click()
    expect_message(coordinator_page, f"Report {reference} is under review.")
    expect(detail.locator("h1")).to_contain_text("Under review")

    # The reporter sees that it is being looked into.
    check_status()
    expect(reporter.locator("main section.panel")).to_contain_text("Inashughulikiwa")  # "Being looked into"

    # --- convert into a case ------------------------------------------------------------------------------------
    detail.get_by_role("link", name="Convert into a case").click()
    expect(coordinator_page).to_have_url(re.compile(rf"/intake/tips/{tip.public_id}/convert/$"))
    convert = coordinator_page.locator("main form.wizard")
    expect(convert.get_by_label("County where identified")).to_have_value(str(tip.county_id))
    expect(convert.get_by_label("Forced labour", exact=True)).to_be_checked()
    expect(convert.get_by_label("What happened (circumstances)")).to_have_value(
        re.compile("Wasichana watatu wanafanya kazi nyumbani")
    )
    convert.get_by_label("First name", exact=True).fill("Neema")
    convert.get_by_label("Last name / family name").fill("Mwakio")
    convert.get_by_label("Sex", exact=True).select_option(label="Female")
    convert.get_by_label("Date of birth").fill("2001-09-02")
    convert.get_by_label("Message to the reporter (optional)").fill("Asante. Maafisa wanashughulikia taarifa yako.")
    convert.get_by_role("button", name="Check for existing records and open the case").click()

    expect(coordinator_page).to_have_url(re.compile(rf"/cases/{UUID}/$"))
    expect_message(coordinator_page, re.compile(r"Case \S+ opened\."))
    expect(coordinator_page.locator("section[aria-labelledby='circ-h']")).to_contain_text(
        "Channel: Anonymous public tip"
    )
    case = Case.objects.get(public_id=path_of(coordinator_page).split("/")[2])
    assert case.channel == "public_tip"
    tip.refresh_from_db()
    assert tip.status == "converted" and tip.case_id == case.pk
    open_tab(coordinator_page, "Timeline")
    expect(coordinator_page.locator("ol.timeline")).to_contain_text(f"Registered from intake report {reference}.")

    # --- the reporter sees the coordinator's message, and nothing about the case ------------------------------
    check_status()
    result = reporter.locator("main section.panel")
    expect(result).to_contain_text("Inashughulikiwa")
    expect(result).to_contain_text("Ujumbe kwako")  # "Message for you"
    expect(result).to_contain_text("Asante. Maafisa wanashughulikia taarifa yako.")
    expect(result).not_to_contain_text(case.reference)
    expect(result).not_to_contain_text("Neema")

    elapsed = time.monotonic() - started
    assert elapsed < 60, f"journey B took {elapsed:.1f} s"
