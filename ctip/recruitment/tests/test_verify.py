"""Public verification: the answer, the page, the JSON API, the SMS callback, rate limits, no internal data."""

from __future__ import annotations

import string
from datetime import date

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from ctip.recruitment import answers, public, selectors
from ctip.recruitment.selectors import PublicAgency, VerifyAnswer, VerifyMatch

pytestmark = pytest.mark.django_db
SECRET = "s3cret-callback-token"


def test_misspelt_name_finds_the_agency_and_warns_of_the_lookalike(register, fresh_index):
    answer = selectors.verify("jakartya ventures")
    assert answer.matches[0].agency.licence_number == "RA/2024/0311"
    assert [a.licence_number for a in answer.matches[0].lookalike_of] == ["RA/2019/0042"]
    assert selectors.verify("Upendo Recrutment").matches[0].agency.name == "Upendo Recruitment Services"


def test_licence_number_and_phone(register, fresh_index):
    assert selectors.verify("ra 2020 0077").matches[0].agency.status == "suspended"
    answer = selectors.verify("+254 712 000 001")
    assert answer.kind == "phone"
    assert [a.licence_number for a in answer.phone_of_warned] == ["RA/2019/0042"]


def test_unknown_name_resembling_a_deregistered_one(register, fresh_index):
    answer = selectors.verify("Jakarta Venturs")
    assert answer.matches  # the deregistered agency itself is found, with its status
    assert answer.matches[0].agency.status == "deregistered"
    nothing = selectors.verify("Zzyzx Quorpt")
    assert not nothing.found


def test_index_follows_status_changes(officer, register, fresh_index, django_capture_on_commit_callbacks):
    from ctip.recruitment import services

    assert selectors.verify("RA/2021/0100").matches[0].agency.status == "valid"
    with django_capture_on_commit_callbacks(execute=True):
        services.agency_set_status(
            actor=officer,
            agency=register["valid"],
            status="blacklisted",
            effective_on=date(2024, 6, 1),
            source="NEA notice",
            expected_version=register["valid"].version,
        )
    assert selectors.verify("RA/2021/0100").matches[0].agency.status == "blacklisted"


def test_verify_runs_one_query_at_most(register, fresh_index, django_assert_max_num_queries):
    selectors.verify("warm up")
    with django_assert_max_num_queries(1):  # the version token (a cache read; none with the memory cache)
        selectors.verify("Jakartya")
        selectors.verify("0712000001")
        selectors.verify("RA/2019/0042")


# --- the page ---------------------------------------------------------------------------------------------------


def test_page_answers_in_english_and_kiswahili(register, fresh_index):
    client = Client()
    assert client.get(reverse("verify:page")).status_code == 200
    response = client.post(reverse("verify:page"), {"q": "Jakartya Ventures"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Jakartya Ventures Limited" in body and "Jakarta Ventures Ltd" in body
    assert str(register["lookalike"].public_id) not in body
    response = client.post(reverse("verify:page"), {"q": "Jakartya Ventures"}, HTTP_ACCEPT_LANGUAGE="sw")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Hakiki shirika la uajiri kabla ya kulipa" in body and "LESENI HALALI" in body


def test_page_never_shows_directors(officer, register, fresh_index):
    from ctip.people.identity import Identity
    from ctip.recruitment import services

    services.director_add(
        actor=officer,
        agency=register["deregistered"],
        choice=services.PersonChoice(identity=Identity(first_name="Baraka", last_name="Kipchumba"), confirm_new=True),
    )
    body = Client().post(reverse("verify:page"), {"q": "Jakarta Ventures"}).content.decode()
    assert "Kipchumba" not in body and "Baraka" not in body


def test_page_requires_csrf(register):
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("verify:page"), {"q": "Jakarta"}).status_code == 403


def test_page_bad_input(register):
    response = Client().post(reverse("verify:page"), {"q": "x" * 500})
    assert response.status_code == 400
    assert Client().post(reverse("verify:page"), {}).status_code == 400


def test_page_rate_limited(register, monkeypatch, caplog):
    monkeypatch.setattr(public, "PAGE_LIMIT", public.ratelimit.Limit("verify_page_t", 2, 600))
    client = Client()
    codes = [client.post(reverse("verify:page"), {"q": "Jakarta"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert "rate limit" in caplog.text and "127.0.0.1" not in caplog.text


# --- the JSON API -----------------------------------------------------------------------------------------------


def test_api_answer_has_no_internal_ids(register, fresh_index):
    response = Client().post(
        reverse("api-recruitment-verify"), {"q": "jakartya", "language": "sw"}, content_type="application/json"
    )
    assert response.status_code == 200
    data = response.json()
    result = data["results"][0]
    assert result["licence_number"] == "RA/2024/0311" and result["status"] == "valid"
    assert result["resembles"][0]["status"] == "deregistered" and result["warning"]
    text = response.content.decode()
    assert "public_id" not in text and '"pk"' not in text and str(register["lookalike"].public_id) not in text


def test_api_bad_input_and_rate_limit(register, monkeypatch):
    client = Client()
    response = client.post(reverse("api-recruitment-verify"), {"q": ""}, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "validation_error"
    monkeypatch.setattr("ctip.recruitment.api.API_LIMIT", public.ratelimit.Limit("verify_api_t", 1, 600))
    assert (
        client.post(reverse("api-recruitment-verify"), {"q": "a"}, content_type="application/json").status_code == 200
    )
    response = client.post(reverse("api-recruitment-verify"), {"q": "a"}, content_type="application/json")
    assert response.status_code == 429 and response.json()["code"] == "rate_limited"


# --- SMS --------------------------------------------------------------------------------------------------------


def sms(client, text, sender="+254700111222", secret=SECRET):
    url = reverse("verify:sms") + (f"?secret={secret}" if secret else "")
    return client.post(url, {"from": sender, "to": "22384", "text": text, "id": "ATXid_1", "date": "2024-07-01"})


@override_settings(CTIP_SMS_CALLBACK_SECRET=SECRET)
def test_sms_verify_and_hakiki(register, fresh_index):
    client = Client()
    english = sms(client, "VERIFY Jakartya Ventures")
    assert english.status_code == 200
    reply = english.content.decode()
    assert len(reply) <= 160 and "LICENSED" in reply and "Jakarta" in reply
    swahili = sms(client, "hakiki RA/2019/0042").content.decode()
    assert len(swahili) <= 160 and "RA/2019/0042" in swahili and "IMEFUTIWA USAJILI" in swahili
    usage = sms(client, "VERIFY").content.decode()
    assert "VERIFY" in usage and len(usage) <= 160


@override_settings(CTIP_SMS_CALLBACK_SECRET=SECRET)
def test_sms_phone_of_a_deregistered_agency(register, fresh_index):
    reply = sms(Client(), "VERIFY 0712000001").content.decode()
    assert reply.startswith("WARNING") and len(reply) <= 160


@override_settings(CTIP_SMS_CALLBACK_SECRET=SECRET)
def test_sms_secret_and_bad_input(register):
    client = Client()
    assert sms(client, "VERIFY x", secret="wrong").status_code == 403
    assert sms(client, "VERIFY x", secret="").status_code == 403
    url = reverse("verify:sms") + f"?secret={SECRET}"
    assert client.post(url, {"text": "VERIFY x"}).status_code == 400  # no sender, no id
    assert client.get(url).status_code == 405


def test_sms_off_without_a_secret(register):
    assert sms(Client(), "VERIFY x").status_code == 404


@override_settings(CTIP_SMS_CALLBACK_SECRET=SECRET)
def test_sms_rate_limited_per_sender_without_logging_the_number(register, monkeypatch, caplog):
    monkeypatch.setattr(public, "SMS_LIMIT", public.ratelimit.Limit("verify_sms_t", 2, 3600))
    client = Client()
    replies = [sms(client, "VERIFY Upendo").content.decode() for _ in range(3)]
    assert "Too many" in replies[2] and "Too many" not in replies[1]
    assert "Too many" not in sms(client, "VERIFY Upendo", sender="+254700999888").content.decode()
    assert "700111222" not in caplog.text


@override_settings(CTIP_SMS_CALLBACK_SECRET=SECRET, CTIP_SMS_USERNAME="ctip", CTIP_SMS_API_KEY="k")
def test_reply_sent_through_the_gateway_api(register, fresh_index, monkeypatch):
    sent = {}

    class FakeResponse:
        def __enter__(self):
            return self

        def __exit__(self, *a):
            return False

        def read(self):
            return b'{"SMSMessageData": {"Recipients": [{"statusCode": 101}]}}'

    def fake_urlopen(request, timeout):
        sent["url"] = request.full_url
        sent["body"] = request.data.decode()
        sent["key"] = request.headers.get("Apikey")
        return FakeResponse()

    monkeypatch.setattr("urllib.request.urlopen", fake_urlopen)
    sms(Client(), "VERIFY Upendo")
    assert sent["url"] == "https://api.africastalking.com/version1/messaging"
    assert "to=%2B254700111222" in sent["body"] and "from=22384" in sent["body"] and sent["key"] == "k"


def test_parse_command():
    assert public.parse_command("verify  Jakarta Ventures") == ("en", "Jakarta Ventures")
    assert public.parse_command("HAKIKI: RA/1") == ("sw", "RA/1")
    assert public.parse_command("Jakarta") == ("en", "Jakarta")
    assert public.parse_command("   ") == ("", "")


# --- SMS length in both languages, whatever the names (hypothesis) ---------------------------------------------

name = st.text(alphabet=string.ascii_letters + string.digits + " .&'-éü", min_size=1, max_size=200)
status = st.sampled_from(["valid", "expired", "suspended", "deregistered", "blacklisted", "denied"])


@st.composite
def public_agency(draw):
    return PublicAgency(
        pk=1,
        licence_number=draw(st.text(alphabet=string.ascii_uppercase + string.digits + "/", min_size=1, max_size=40)),
        name=draw(name),
        trading_name="",
        status=draw(status),
        status_since=date(2024, 12, 31),
        updated_at=None,
        county="",
    )


@st.composite
def verify_answer(draw):
    kind = draw(st.sampled_from(["match", "lookalike", "phone", "none", "resembles"]))
    a, b = draw(public_agency()), draw(public_agency())
    query = draw(name)
    if kind == "match":
        return VerifyAnswer(query, "name", (VerifyMatch(a, "name", 90.0),), (), ())
    if kind == "lookalike":
        return VerifyAnswer(query, "name", (VerifyMatch(a, "name", 90.0, (b,)),), (), ())
    if kind == "phone":
        return VerifyAnswer(query, "phone", (VerifyMatch(a, "phone", 100.0),), (), (b,))
    if kind == "resembles":
        return VerifyAnswer(query, "name", (), (b,), ())
    return VerifyAnswer(query, "name", (), (), ())


@settings(max_examples=300, deadline=None)
@given(verify_answer(), st.sampled_from(["en", "sw"]))
def test_sms_is_one_gsm_message_in_both_languages(answer, language):
    text = answers.sms_text(answer, language)
    assert 0 < len(text) <= 160
    assert answers.gsm(text) == text  # plain GSM-7, one character each


@pytest.mark.parametrize("language", ["en", "sw"])
def test_fixed_sms_texts_fit(language):
    assert len(answers.sms_usage(language)) <= 160
    assert len(answers.sms_busy(language)) <= 160
