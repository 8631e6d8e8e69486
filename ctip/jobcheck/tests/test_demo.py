"""The demo adds counts of checks and a draft version 2 whose rules are valid and match its text."""

from __future__ import annotations

import pytest
import yaml

pytestmark = pytest.mark.django_db


def test_demo_counts_and_a_valid_draft():
    from types import SimpleNamespace

    from ctip.jobcheck.demo import add_demo_checks
    from ctip.jobcheck.models import CheckTally, RuleSet
    from ctip.jobcheck.rules import validate

    add_demo_checks(seed=7, result=SimpleNamespace(persons=2000), actor=None)
    assert CheckTally.objects.count() > 100
    draft = RuleSet.objects.get(status="draft")
    assert draft.number == 2 and validate(draft.document)
    assert validate(yaml.safe_load(draft.source_text)) == draft.document
    add_demo_checks(seed=7, result=SimpleNamespace(persons=2000), actor=None)  # run twice: nothing more
    assert RuleSet.objects.count() == 2
