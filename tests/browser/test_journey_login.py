"""Browser journeys through log-in, TOTP enrolment, the landing page, the language switch and log-out.

Run: DJANGO_ALLOW_ASYNC_UNSAFE=true .venv/bin/python -m pytest tests/browser -q
"""

from __future__ import annotations

import base64
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Correct-Horse-Battery-9"  # the root conftest's fixture password
PHONE = {"width": 375, "height": 667}
OVERFLOW_TOLERANCE_PX = 2


# --- helpers ---------------------------------------------------------------------------------------


def path_of(page: Page) -> str:
    return urlsplit(page.url).path


def submit_login(page: Page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    main = page.locator("main")
    main.get_by_label("Username").fill(username)
    main.get_by_label("Password").fill(password)
    main.get_by_role("button", name="Log in").click()


def totp_now(user, page_secret: str) -> str:
    """The current code for the key the set-up page shows. Opening the page stores no device: the key lives in
    the session until the user confirms it."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    assert not TOTPDevice.objects.filter(user=user).exists(), "the set-up page created a device before confirmation"
    padded = page_secret + "=" * (-len(page_secret) % 8)
    return f"{totp(base64.b32decode(padded), step=30, t0=0, digits=6):06d}"


def enrol_totp(page: Page, user) -> None:
    """On the 2FA set-up page: read the key shown, compute the code, confirm it with the password."""
    expect(page).to_have_url(re.compile(r"/accounts/2fa/setup/"))
    secret = page.get_by_test_id("totp-secret").get_attribute("data-secret")
    assert secret and re.fullmatch(r"[A-Z2-7]+", secret), secret
    page.locator("main").get_by_label("6-digit code").fill(totp_now(user, secret))
    page.locator("main").get_by_label("Your password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Confirm").click()


def login_with_totp(page: Page, user) -> None:
    submit_login(page, user.username, PASSWORD)
    enrol_totp(page, user)
    expect(page).to_have_url(re.compile(r"/$"))


def tab_to(page: Page, element_id: str, max_presses: int = 25) -> None:
    """Press Tab until the element with `element_id` has focus (keyboard only, no clicks)."""
    for _ in range(max_presses):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"#{element_id} never received focus after {max_presses} Tab presses")


def assert_only_local_requests(page: Page, live_server) -> None:
    requested = page.requested_urls
    assert requested, "no request was recorded"
    foreign = [url for url in requested if not (url.startswith(live_server.url + "/") or url == live_server.url)]
    assert not foreign, f"requests left the live server ({live_server.url}): {foreign}"


def horizontal_overflow(page: Page) -> dict:
    return page.evaluate(
        """() => {
            const wide = [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
                .slice(0, 5)
                .map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')
                           + ' right=' + Math.round(el.getBoundingClientRect().right));
            return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, wide};
        }"""
    )


# --- journey 1: enrolment, landing page, Kiswahili, log-out ------------------------------------------


def test_case_worker_enrols_totp_switches_to_kiswahili_and_logs_out(page: Page, live_server, case_worker):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    # Anonymous: the landing page sends to log-in.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # Password step: a case worker sees identity data, so the next stop is TOTP enrolment.
    submit_login(page, case_worker.username, PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/setup/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor authentication")
    expect(page.locator(".qr svg")).to_be_visible()
    expect(page.locator("nav.main-nav")).to_have_count(0)  # nothing to navigate to before the second factor

    # Until enrolled, the landing page is out of reach.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/setup/"))

    enrol_totp(page, case_worker)
    expect(page).to_have_url(f"{live_server.url}/")
    assert TOTPDevice.objects.filter(user=case_worker, confirmed=True).count() == 1

    # Landing page, case-worker view.
    expect(page.locator(".messages")).to_contain_text("Two-factor authentication is set up.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Wanjiku")
    expect(page.locator("main")).to_contain_text("You are logged in as Case worker.")
    expect(page.locator("main")).to_contain_text("Home Agency Anti-Trafficking Unit")
    cards = page.get_by_test_id("landing-cards")
    expect(cards).to_contain_text("Persons you can see")
    for not_for_case_workers in ("Active user accounts", "Break-the-glass accesses", "Audit events"):
        expect(cards).not_to_contain_text(not_for_case_workers)
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Home")).to_have_attribute("aria-current", "page")
    expect(nav.get_by_role("link", name="Persons")).to_be_visible()
    expect(nav.get_by_role("link", name="Users")).to_have_count(0)
    expect(nav.get_by_role("link", name="Audit trail")).to_have_count(0)
    expect(page.locator("header .who")).to_contain_text("cw-browser")

    # Language switch through the header control (the select submits itself on change). Its label is translated
    # too, so it is found by id from here on.
    switcher = page.locator("#lang-select")
    expect(page.get_by_label("Language")).to_have_value("en")
    with page.expect_navigation():
        switcher.select_option("sw")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "sw")
    expect(page.get_by_label("Lugha")).to_have_value("sw")
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert cookies.get("django_language") == "sw"
    case_worker.refresh_from_db()
    assert case_worker.preferred_language == "sw"
    # Known strings of ctip/locale/sw/LC_MESSAGES/django.po.
    expect(page.get_by_role("heading", level=1)).to_have_text("Karibu, Wanjiku")  # "Welcome, %(name)s"
    expect(page.locator("main")).to_contain_text("Umeingia kama Afisa wa kesi.")  # "You are logged in as Case worker."
    expect(cards).to_contain_text("Watu unaoweza kuwaona")  # "Persons you can see"
    sw_nav = page.get_by_role("navigation", name="Kuu")  # "Main"
    expect(sw_nav.get_by_role("link", name="Mwanzo")).to_have_attribute("aria-current", "page")  # "Home"
    expect(sw_nav.get_by_role("link", name="Watu")).to_be_visible()  # "Persons"
    expect(page.locator("header form.lang button")).to_have_text("Badilisha")  # "Change"

    # Log out: back on the log-in page, still in Kiswahili.
    page.locator("header .who").get_by_role("button", name="Toka").click()  # "Log out"
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.locator("html")).to_have_attribute("lang", "sw")
    expect(page.locator(".messages")).to_contain_text("Umetoka.")  # "You have logged out."
    expect(page.get_by_role("heading", level=1)).to_have_text("Ingia kwenye CTIP")  # "Log in to CTIP"
    expect(page.locator("main").get_by_label("Nenosiri")).to_be_visible()  # "Password"
    expect(page.locator("header .who")).to_have_count(0)

    # The session is gone: the landing page sends to log-in again.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))

    assert_only_local_requests(page, live_server)


def test_anonymous_visitor_gets_kiswahili_from_the_language_cookie(page: Page, live_server):
    page.context.add_cookies([{"name": "django_language", "value": "sw", "url": live_server.url}])
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "sw")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ingia kwenye CTIP")  # "Log in to CTIP"
    expect(page.locator("main").get_by_role("button", name="Ingia")).to_be_visible()  # "Log in"
    expect(page.locator("main").get_by_label("Jina la mtumiaji")).to_be_visible()  # "Username"
    assert_only_local_requests(page, live_server)


# --- journey 2: wrong password, keyboard only ----------------------------------------------------------


def test_wrong_password_shows_an_error(page: Page, live_server, case_worker):
    submit_login(page, case_worker.username, "not-the-password")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Please enter a correct username and password")
    expect(page.locator("main").get_by_label("Username")).to_have_value(case_worker.username)
    expect(page.locator("main").get_by_label("Password")).to_have_value("")  # never echoed back
    expect(page.locator("header .who")).to_have_count(0)
    assert_only_local_requests(page, live_server)


def test_login_and_enrolment_work_with_the_keyboard_only(page: Page, live_server, case_worker):
    page.goto("/accounts/login/")
    page.locator("body").focus()
    tab_to(page, "id_username")
    page.keyboard.type(case_worker.username)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_password"
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/setup/"))

    secret = page.get_by_test_id("totp-secret").get_attribute("data-secret")
    tab_to(page, "id_token")
    page.keyboard.type(totp_now(case_worker, secret))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_password"
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Wanjiku")

    # The skip link is the first stop and its target takes focus.
    page.locator("body").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert_only_local_requests(page, live_server)


# --- journey 3: phone-sized viewport ----------------------------------------------------------------


@pytest.mark.parametrize("browser_context_args", [{"viewport": PHONE, "is_mobile": True, "has_touch": True}])
def test_landing_page_fits_a_phone_and_navigation_works(page: Page, live_server, case_worker):
    page.goto("/accounts/login/")
    overflow = horizontal_overflow(page)
    assert overflow["scrollWidth"] <= PHONE["width"] + OVERFLOW_TOLERANCE_PX, overflow

    login_with_totp(page, case_worker)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    overflow = horizontal_overflow(page)
    assert overflow["innerWidth"] == PHONE["width"], overflow
    assert overflow["scrollWidth"] <= PHONE["width"] + OVERFLOW_TOLERANCE_PX, overflow

    nav = page.get_by_role("navigation", name="Main")
    expect(nav).to_be_visible()
    persons = nav.get_by_role("link", name="Persons")
    expect(persons).to_be_hidden()  # folded behind "Menu: Home" on a phone
    nav.get_by_text("Menu").tap()
    expect(persons).to_be_visible()
    overflow = horizontal_overflow(page)
    assert overflow["scrollWidth"] <= PHONE["width"] + OVERFLOW_TOLERANCE_PX, overflow
    expect(page.locator("header .who").get_by_role("button")).to_be_visible()
    persons.tap()
    expect(page).to_have_url(re.compile(r"/people/"))
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.locator("summary")).to_have_text("Menu: Persons")  # the folded menu says where you are
    nav.get_by_text("Menu").tap()
    expect(nav.get_by_role("link", name="Persons")).to_have_attribute("aria-current", "page")
    overflow = horizontal_overflow(page)
    assert overflow["scrollWidth"] <= PHONE["width"] + OVERFLOW_TOLERANCE_PX, overflow
    assert_only_local_requests(page, live_server)


# --- every asset is local, including the API documentation linked from the landing page ---------------


def test_api_docs_linked_from_landing_page_load_only_local_assets(page: Page, live_server, case_worker):
    login_with_totp(page, case_worker)
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name="API documentation").click()
    expect(page).to_have_url(re.compile(r"/api/docs/$"))
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("CTIP API")
    page.wait_for_load_state("networkidle")
    assert any("/api/schema/" in url for url in page.requested_urls), page.requested_urls
    assert_only_local_requests(page, live_server)


def test_switching_language_keeps_what_was_typed_in_a_form(page: Page, live_server):
    """The public tip form, half filled in, survives the language switch: the text, the radio choice and the
    county chosen are still there in Kiswahili, and nothing is left behind in the tab's storage."""
    page.goto("/report/")
    main = page.locator("main")
    main.locator("input[name=situation]").first.check()
    main.get_by_label("What happened?").fill("Three girls were promised hotel work abroad.")
    main.get_by_label("Town, city or place").fill("Malindi")
    main.get_by_label("Where? County in Kenya").select_option(label="Kilifi")
    with page.expect_navigation():
        page.locator("#lang-select").select_option("sw")
    expect(page.locator("html")).to_have_attribute("lang", "sw")
    expect(main.locator("textarea[name=description]")).to_have_value("Three girls were promised hotel work abroad.")
    expect(main.locator("input[name=place]")).to_have_value("Malindi")
    expect(main.locator("input[name=situation]").first).to_be_checked()
    expect(main.locator("select[name=county] option:checked")).to_have_text("Kilifi")
    assert page.evaluate("window.sessionStorage.getItem('ctip-language-carry')") is None
    # A later plain reload starts empty: the carried input was used once.
    page.reload()
    expect(main.locator("input[name=place]")).to_have_value("")
    assert_only_local_requests(page, live_server)


# --- the main menu fits every role, on a desktop and on a phone; the badge is readable ----------------


def _contrast(page: Page, selector: str) -> float:
    """WCAG contrast ratio between an element's text colour and its own background colour."""
    return page.evaluate(
        """(selector) => {
            const style = getComputedStyle(document.querySelector(selector));
            const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
            const lum = ([r, g, b]) => {
                const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
                return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
            };
            const a = lum(rgb(style.color)), b = lum(rgb(style.backgroundColor));
            return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        }""",
        selector,
    )


@pytest.mark.parametrize(
    "browser_context_args",
    [{"viewport": {"width": 1280, "height": 800}}, {"viewport": {"width": 390, "height": 844}, "is_mobile": True}],
    ids=["desktop-1280", "phone-390"],
)
def test_the_coordinators_menu_fits_and_the_badge_is_readable(page: Page, live_server, make_user, agency):
    from ctip.accounts.enums import Role
    from ctip.notifications.services import notify

    coordinator = make_user(Role.COORDINATOR, agency, username="coord-browser", first_name="Baraka")
    notify(users=[coordinator], kind="tip_new")
    login_with_totp(page, coordinator)
    width = page.viewport_size["width"]
    nav = page.get_by_role("navigation", name="Main")
    links = nav.get_by_role("link")
    if width < 640:
        expect(links.first).to_be_hidden()
        nav.get_by_text("Menu").click()
    expect(links.first).to_be_visible()
    assert links.count() >= 12  # the coordinator has the longest menu
    for i in range(links.count()):
        box = links.nth(i).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width + OVERFLOW_TOLERANCE_PX, (i, box)
    overflow = horizontal_overflow(page)
    assert overflow["scrollWidth"] <= width + OVERFLOW_TOLERANCE_PX, overflow
    expect(page.locator("header .badge")).to_have_text(re.compile(r"^[1-9][0-9]*$"))
    assert _contrast(page, "header .badge") >= 4.5
