"""Letters issued at the same instant on PostgreSQL never share a number.

Each contender issues its own draft in its own thread and connection; the counter
row of the agency and year is locked (``select_for_update``) while the next number
is taken, so the numbers are 1…N with no duplicate and no gap, and a voided letter
keeps its number while the next issue continues after it.
"""

from __future__ import annotations

import pytest

from letters import services
from letters.models import Letter, LetterCounter
from requests_.models import Outcome
from tests.concurrency.conftest import race, requires_postgresql
from tests.letters import builders as b
from tests.letters.builders import letter_clock  # noqa: F401 - the fixture

pytestmark = [
    requires_postgresql,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("letter_clock"),
]

BURST = 12


def len_then_text(number: str) -> tuple[int, str]:
    """Order 〔2099〕9号 before 〔2099〕10号."""
    return len(number), number


def _drafts(editor, agency, count: int) -> list[int]:
    ids = []
    for _ in range(count):
        request, _secret = b.registered(editor, agency)
        request = b.reply_for(editor, request, Outcome.OTHER_OTHER)
        ids.append(
            services.letter_draft(actor=editor, request=request, kind="reply").pk
        )
    return ids


def test_concurrent_issues_take_distinct_numbers(matrix):
    """BURST letters issued at once (the first of the year, so the counter row is
    created in the race too) take numbers 1…BURST, each exactly once."""
    b.set_up_letters(matrix.agency_a, matrix.user("superuser"))
    editor = matrix.user("editor_a")
    ids = _drafts(editor, matrix.agency_a, BURST)

    outcome = race(
        [
            lambda pk=pk: (
                services.letter_issue(
                    actor=editor, letter=Letter.objects.get(pk=pk)
                ).number
            )
            for pk in ids
        ]
    )

    assert outcome.errors == {}
    expected = [f"黄府信公复〔2099〕{n}号" for n in range(1, BURST + 1)]
    assert sorted(outcome.winners, key=len_then_text) == expected
    stored = Letter.objects.filter(pk__in=ids).order_by("sequence")
    assert list(stored.values_list("sequence", flat=True)) == list(range(1, BURST + 1))
    assert LetterCounter.objects.get(
        agency=matrix.agency_a, year=2099
    ).last_sequence == (BURST)


def test_concurrent_issue_of_the_same_draft_numbers_it_once(matrix):
    """Two editors issue the same draft at once: one number is taken, not two."""
    b.set_up_letters(matrix.agency_a, matrix.user("superuser"))
    editor = matrix.user("editor_a")
    (pk,) = _drafts(editor, matrix.agency_a, 1)

    outcome = race(
        [
            lambda: (
                services.letter_issue(
                    actor=editor, letter=Letter.objects.get(pk=pk)
                ).number
            )
        ]
        * 2
    )

    assert outcome.winners == ["黄府信公复〔2099〕1号"]
    assert [e.code for e in outcome.errors.values()] == ["conflict"]
    assert (
        LetterCounter.objects.get(agency=matrix.agency_a, year=2099).last_sequence == 1
    )
