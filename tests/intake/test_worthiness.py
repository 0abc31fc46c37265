# ruff: noqa: RUF001 - the curly quotes are what is tested
"""The cold-start score and its reasons, in an editor's words."""

from factdesk.intake.worthiness import attribution, score


def reasons(sentence):
    return [str(reason) for reason in score(sentence).reasons]


def test_a_checkable_statement_says_why():
    found = reasons("Peskov said five top Russian banks were attacked on Wednesday.")
    assert "a number: ‘five’" in found
    assert "attributed: ‘Peskov said’" in found
    assert "a date: ‘Wednesday’" in found


def test_an_organisation_and_a_comparison_are_reasons():
    found = reasons("The Harbridge Bus Company carried more passengers than in 2019.")
    assert "names an organisation: ‘Harbridge Bus Company’" in found
    assert "a comparison: ‘more’" in found


def test_opinion_and_rhetoric_score_below_claims():
    claim = score("The council spent £4m on road repairs in 2025, its own figures show.")
    rhetoric = score("Could we be witnessing the beginning of a new era?")
    opinion = score("I think the mayor is a disgrace to this town.")
    assert claim.score > 0.6
    assert rhetoric.score < 0.3
    assert opinion.score < 0.3
    assert any(r.what == "opinion or rhetoric" for r in rhetoric.reasons)


def test_a_year_is_a_date_not_a_number():
    found = reasons("The bridge opened in 1998 after a long wait for it.")
    assert not any(r.startswith("a number") for r in found)
    assert "a date: ‘1998’" in found


def test_attribution_finds_who_and_the_words():
    assert attribution("Dmitry Peskov told the AP that it was safe.") == (
        "Dmitry Peskov",
        "Dmitry Peskov told",
    )
    assert attribution("“It was safe,” said Maren Holt.") == ("Maren Holt", "said Maren Holt")
    assert attribution("According to the Treasury, debt fell.")[0] == "Treasury"
    assert attribution("She said ridership doubled.") == ("She", "She said")
    assert attribution("Ridership doubled.") == ("", "")
