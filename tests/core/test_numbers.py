import pytest

from factdesk.core.numbers import whole_number

CASES = [
    ("12", 12),
    ("0", 0),
    ("", None),
    (None, None),
    ("-3", None),
    ("1e9", None),
    ("\u00b2", None),  # superscript two: isdigit() says yes, int() refuses it
    ("\u0663", None),  # Arabic-Indic three
    ("9" * 19, None),
    (" 4", None),
]


@pytest.mark.parametrize(("text", "number"), CASES)
def test_only_ascii_digits_make_a_number(text, number):
    assert whole_number(text) == number
