"""The identifiers found in a tip's words: Kenyan mobile numbers (any common spelling) and M-Pesa codes."""

from hypothesis import given
from hypothesis import strategies as st

from ctip.leads.parsing import find_mpesa_codes, find_phones, names_in, normalise_phone, split_lines

DIGITS = st.text("0123456789", min_size=8, max_size=8)


@given(prefix=st.sampled_from(["7", "1"]), rest=DIGITS, style=st.sampled_from(["0", "+254", "254", "+254 "]))
def test_every_spelling_of_a_mobile_number_normalises_to_the_same(prefix, rest, style):
    raw = f"{style}{prefix}{rest[:2]} {rest[2:5]}-{rest[5:]}"
    expected = f"0{prefix}{rest}"
    assert normalise_phone(raw) == expected
    assert find_phones(f"call him on {raw}, quickly") == [expected]


@given(st.text(max_size=200))
def test_finding_never_fails_and_finds_only_well_formed_values(text):
    for phone in find_phones(text):
        assert len(phone) == 10 and phone[:2] in ("07", "01") and phone.isdigit()
    for code in find_mpesa_codes(text):
        assert len(code) == 10 and code[0].isalpha() and code.isalnum()
    for name in names_in(text):
        assert name and any(ch.isalpha() for ch in name)


def test_examples():
    text = "Agent Mwangi 0712 345 678\nMama Halima (QWE1RT2Y3U), +254722000111; 12345"
    assert find_phones(text) == ["0712345678", "0722000111"]
    assert find_mpesa_codes(text) == ["QWE1RT2Y3U"]
    assert names_in(text) == ["Agent Mwangi", "Mama Halima"]
    assert split_lines("a, b\n\nb;c") == ["a", "b", "c"]
    assert normalise_phone("0812345678") is None
    assert find_mpesa_codes("PASSPORTED ABCDEFGHIJ") == []  # no digits: a word, not a code
