"""Every HTCDS value label is marked for translation and has its Kiswahili (issue 13: no raw codes, labels in the
user's language)."""

import json
from pathlib import Path

import polib
import pytest
from django.utils import translation

from ctip.reference import htcds_i18n
from ctip.reference.selectors import htcds_choices, htcds_label

DATA = Path(htcds_i18n.__file__).parent / "data" / "htcds_values.json"
CATALOGUE = Path(htcds_i18n.__file__).parents[1] / "locale" / "sw" / "LC_MESSAGES" / "django.po"


def test_every_label_of_the_data_file_is_marked():
    labels = {v["label"] for f in json.loads(DATA.read_text()) for v in f["values"]}
    assert labels == set(htcds_i18n.LABELS)


def test_every_label_has_kiswahili():
    translated = {e.msgid: e.msgstr for e in polib.pofile(str(CATALOGUE)) if not e.obsolete}
    assert not [label for label in htcds_i18n.LABELS if not translated.get(label)]


@pytest.mark.django_db
def test_labels_follow_the_language():
    with translation.override("en"):
        assert htcds_label("vic_TypeOfExploitation", "ForcedLabour") == "Forced labour"
    choices = dict(htcds_choices("vic_MethodOfRecruitment"))
    with translation.override("sw"):
        assert htcds_label("vic_TypeOfExploitation", "ForcedLabour") == "Kazi ya kulazimishwa"
        assert str(choices["ThroughOnlineSocialNetworks"]) == "Kupitia mitandao ya kijamii"
    assert htcds_label("vic_TypeOfExploitation", "NoSuchValue") == "NoSuchValue"
