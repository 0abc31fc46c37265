# ruff: noqa: RUF001 - the curly quotes are what is tested
"""Sentences with code-point offsets that agree with claim quotes, and transcript turns
that keep their speaker."""

from factdesk.intake.sentences import speaker_label, split_sentences


def texts(text):
    return [sentence.text for sentence in split_sentences(text)]


def test_offsets_are_code_points_after_emoji_accents_and_curly_quotes():
    text = (
        "Café owners 🚌 said “fares doubled”. "
        "The U.S. Treasury said on Jan. 20 that Mr. Smith’s plan costs £4.5bn.\n\n"
        "Naïve readers 👍🏽 asked: why? Nobody answered."
    )
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "Café owners 🚌 said “fares doubled”.",
        "The U.S. Treasury said on Jan. 20 that Mr. Smith’s plan costs £4.5bn.",
        "Naïve readers 👍🏽 asked: why?",
        "Nobody answered.",
    ]
    for sentence in sentences:
        assert text[sentence.start : sentence.end] == sentence.text  # Python indices


def test_a_sentence_never_crosses_a_line_and_blank_lines_are_skipped():
    text = "Headline without a stop\n\n  First para ends here.  \nSecond line. Third one!\n"
    assert texts(text) == [
        "Headline without a stop",
        "First para ends here.",
        "Second line.",
        "Third one!",
    ]


def test_a_repeated_sentence_gets_its_own_offsets_each_time():
    text = "Prices rose. Prices rose. Prices rose."
    assert [s.start for s in split_sentences(text)] == [0, 13, 26]


def test_transcript_turns_keep_their_speaker_and_leave_out_the_label():
    text = (
        "HOLT: Mr. Trump, your taxes. Will you release them?\n"
        "TRUMP: I will release them when the audit ends. It is a routine audit.\n"
        "Jane Holt: Thank you.\n"
        "Note: this transcript was edited."
    )
    sentences = split_sentences(text)
    assert [(s.speaker, s.text) for s in sentences] == [
        ("HOLT", "Mr. Trump, your taxes."),
        ("HOLT", "Will you release them?"),
        ("TRUMP", "I will release them when the audit ends."),
        ("TRUMP", "It is a routine audit."),
        ("Jane Holt", "Thank you."),
        ("", "Note: this transcript was edited."),
    ]
    for sentence in sentences:
        assert text[sentence.start : sentence.end] == sentence.text


def test_a_colon_inside_a_sentence_is_no_speaker():
    assert speaker_label("The minister said: prices will fall.") == ("", 0)
    assert speaker_label("MODERATOR (Lester Holt): Good evening.")[0] == "MODERATOR"
