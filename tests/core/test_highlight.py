"""Cutting a text into runs by overlapping and nested spans (the article page's highlights)."""

from factdesk.core.highlight import layered_runs

TEXT = "The rate fell to 4.2 per cent in March."


def runs(spans):
    return [(run.text, run.items) for run in layered_runs(TEXT, spans)]


def test_overlapping_spans_both_show_on_the_shared_words():
    a = (TEXT.index("rate"), TEXT.index(" per"), "a")  # rate fell to 4.2
    b = (TEXT.index("4.2"), TEXT.index(" in"), "b")  # 4.2 per cent
    assert runs([a, b]) == [
        ("The ", []),
        ("rate fell to ", ["a"]),
        ("4.2", ["a", "b"]),
        (" per cent", ["b"]),
        (" in March.", []),
    ]


def test_a_nested_span_sits_inside_its_outer_one_and_the_text_stays_whole():
    outer = (0, len(TEXT), "outer")
    inner = (TEXT.index("4.2"), TEXT.index("4.2") + 3, "inner")
    result = runs([inner, outer])
    assert "".join(text for text, _ in result) == TEXT
    assert result == [
        ("The rate fell to ", ["outer"]),
        ("4.2", ["outer", "inner"]),
        (" per cent in March.", ["outer"]),
    ]


def test_spans_outside_the_text_are_clipped_and_empty_ones_dropped():
    assert runs([(30, 99, "long"), (5, 5, "empty")]) == [(TEXT[:30], []), (TEXT[30:], ["long"])]
