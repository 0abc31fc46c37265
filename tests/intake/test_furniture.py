"""Page furniture found in a page's text: widgets, appeals, disclaimers, credits, comment
prompts, share buttons and the byline repeated wherever they are, and the menus, other
stories' headlines, comments and footers around the article's stretch of running text; the
article's own lines kept (its headline, subheadings, short quotes, lists and tables)."""

from factdesk.intake.furniture import furniture_lines, is_appeal, is_widget, lines

PAGE = """Harbridge to double its bus fleet by 2028
By Jane Holt
Share on Facebook
The council said on Monday it will buy 40 electric buses, doubling the fleet.
Councillor Maren Holt said fares would stay at one pound.
Subscribe to our newsletter for the week's council news in your inbox.
Critics said the plan costs £12m more than the council admits.
The views expressed in this column are solely those of the author and not of the Ledger.
4.5 out of 5
Article Rating
0 0 votes
Support the Harbridge Ledger on Patreon!
What do you think?
Notify of
Inline Feedbacks
View all comments
Harbridge stadium loan questioned again
Rail strike called off at the last minute"""


def test_furniture_lines_are_found_and_article_lines_are_kept():
    furniture = {line.text for line in furniture_lines(PAGE, byline="Jane Holt")}
    article = {line.text for line in lines(PAGE)} - furniture
    assert article == {
        "Harbridge to double its bus fleet by 2028",
        "The council said on Monday it will buy 40 electric buses, doubling the fleet.",
        "Councillor Maren Holt said fares would stay at one pound.",
        "Critics said the plan costs £12m more than the council admits.",
    }
    assert "By Jane Holt" in furniture
    assert "Rail strike called off at the last minute" in furniture  # related, at the end


def test_offsets_point_at_the_lines_in_the_text():
    for line in furniture_lines(PAGE):
        assert PAGE[line.start : line.end] == line.text


def test_a_long_paragraph_that_mentions_a_newsletter_is_article_text():
    paragraph = (
        "The council's newsletter, which goes to every household, said the fleet would double "
        "by 2028; critics said the same newsletter had promised that in 2019 and in 2022, and "
        "that the buses bought then were still waiting for chargers at the depot on Quay "
        "Street, where residents have complained for years about the noise of idling engines "
        "and the cost, which the council has never published in full despite requests."
    )
    assert furniture_lines(paragraph) == []


def test_a_menu_and_a_dateline_are_furniture_and_a_lone_subheading_is_not():
    page = (
        "News\nPolitics\nSport\nWeather\n"
        "Tuesday, November 19, 2019\n"
        "The mayor said the new depot opened on time and under budget, at £8m.\n"
        "The cost\n"
        "Auditors said the depot cost £9.4m once the land was counted.\n"
    )
    folded = {line.text for line in furniture_lines(page)}
    assert folded == {"News", "Politics", "Sport", "Weather", "Tuesday, November 19, 2019"}


def kept(text: str, *, byline: str = "") -> list[str]:
    """The lines of `text` that are the article's, in order."""
    folded = {line.start for line in furniture_lines(text, byline=byline)}
    return [line.text for line in lines(text) if line.start not in folded]


WEB_PAGE = """Harbridge Ledger
News
Politics
Sport
Weather
Depot opens three weeks early, council says
By Jane Holt
Tuesday, November 19, 2019
The new bus depot on Quay Street opened on Monday, three weeks ahead of the council's schedule.
Councillor Maren Holt said the depot cost £8m, half a million pounds less than was budgeted.
Sam Reed/Getty Images
The land
Auditors said that figure left out the land, which the council bought from the port for £1.4m.
\u201cIt was never going to be cheap.\u201d
The council said it would publish the depot's full accounts at its meeting in March.
Share on Facebook
Most read
Harbridge stadium loan questioned again
Rail strike called off at the last minute
Flood defences delayed until spring
About us
Contact
Privacy policy
The Harbridge Ledger is published by Ledger Media Ltd and printed at the Quay Street works."""


def test_around_the_article_its_page_is_furniture_and_inside_it_only_patterns_fold():
    # The menu, the page's own headline and byline, other stories' headlines and the
    # footer's sentence all sit outside the stretch of running text; the photo credit
    # inside it is folded by its pattern, the subheading and the short quote are kept.
    assert kept(WEB_PAGE) == [
        "The new bus depot on Quay Street opened on Monday, three weeks ahead of the council's "
        "schedule.",
        "Councillor Maren Holt said the depot cost £8m, half a million pounds less than was "
        "budgeted.",
        "The land",
        "Auditors said that figure left out the land, which the council bought from the port "
        "for £1.4m.",
        "\u201cIt was never going to be cheap.\u201d",
        "The council said it would publish the depot's full accounts at its meeting in March.",
    ]


ARTICLE = (
    "The new bus depot on Quay Street opened on Monday, three weeks ahead of schedule.\n"
    "Councillor Maren Holt said the depot cost £8m, half a million pounds under budget.\n"
    "Auditors said that figure left out the land, bought from the port for £1.4m.\n"
)
COMMENTS = (
    "2 Comments\n"
    "The depot is fine, but the buses that leave it are still late every single morning on "
    "my route into town, and nobody at the council has ever answered my letters about it.\n"
    "Half a million under budget only because they left out the land, as the auditors said; "
    "I would like to see the full accounts before anyone at the council takes a bow for it.\n"
)


def test_comments_after_the_article_are_furniture_however_long_they_run():
    # Long comments outweigh a short article: without the heading's end, they would be
    # taken for it.
    assert kept(ARTICLE + COMMENTS) == ARTICLE.splitlines()


def test_a_comment_count_above_the_article_does_not_end_it():
    page = "Depot opens three weeks early\nComments (12)\n" + ARTICLE + COMMENTS
    assert kept(page) == ["Depot opens three weeks early", *ARTICLE.splitlines()]


def test_a_table_between_paragraphs_is_the_articles():
    cells = ["Route", "On time", "Late", "1", "91%", "9%", "4", "84%", "16%", "7", "62%", "38%"]
    page = "\n".join(
        [
            "Harbridge bus punctuality by route, 2025",
            "The council published each route's punctuality on Friday, the first time it has.",
            *cells,
            "Route 7, which crosses the river twice, was late more than a third of the time.",
            "Tags",
            "Buses",
            "Council",
        ]
    )
    assert kept(page) == page.splitlines()[:-3]


def test_a_short_opening_line_a_closing_list_and_a_sign_off_are_the_articles():
    page = (
        "Harbridge sets out its budget for 2026\n"
        "By Jane Holt\n"
        "The budget is through.\n"
        "The council approved its £214m budget for 2026 on Thursday after a four-hour debate.\n"
        "The main changes from this year are:\n"
        "Council tax up 4.99%\n"
        "Bus fares frozen at £1 for another year\n"
        "Two libraries to open on Sundays\n"
        "(Reporting by Jane Holt; editing by Sam Reed)\n"
        "Related\n"
        "Budget row: what the opposition wants\n"
        "Library hours explained"
    )
    folded = {line.text for line in furniture_lines(page, byline="Jane Holt")}
    assert folded == {
        "By Jane Holt",
        "Related",
        "Budget row: what the opposition wants",
        "Library hours explained",
    }


def test_japanese_sentences_are_paragraphs_and_their_menu_is_furniture():
    # Without spaces between words, a sentence would read as one word, a menu label.
    article = [
        "市議会は月曜日、新しいバスの車庫が予定より三週間早く開業したと発表しました。",
        "費用は八百万ポンドで、予算より五十万ポンド少なかったということです。",
        "土地の代金",
        "監査人は、この金額には港から購入した土地の代金が含まれていないと指摘しました。",
        "市は三月の会議で車庫の会計をすべて公表するとしています。",
    ]
    page = "\n".join(
        ["ホーム", "ニュース", "お問い合わせ", *article, "Facebook", "洪水対策、春まで延期"]
    )
    assert kept(page) == article


def test_a_text_without_a_paragraph_folds_only_what_patterns_say():
    page = "Fares are frozen.\nThe depot is open.\nLibraries open on Sundays.\nShare on Facebook"
    assert kept(page) == page.splitlines()[:-1]


def test_photo_credits_and_headings_of_other_stories_are_furniture():
    assert is_appeal("Sam Reed/Hindustan Times/Getty Images")
    assert is_appeal("Photograph: Sam Reed | Reuters")
    assert not is_appeal("The council's spokesman said as much to Reuters on Monday.")
    assert is_widget("Most read")
    assert is_widget("More from the Ledger")
    assert not is_widget("More buses were bought.")


def test_a_credit_names_a_source_and_a_longer_line_after_image_is_a_caption():
    assert is_appeal("Photo: Sam Reed/Reuters")
    assert is_appeal("Image: Harbridge Council")
    assert is_appeal("The depot on its first morning (Image: Harbridge Ledger)")
    caption = (
        "Cover image: an architect's drawing of the new depot on Quay Street, with the "
        "charging bays the council added after the consultation"
    )
    assert not is_appeal(caption)
    page = "\n".join([ARTICLE.splitlines()[0], caption, *ARTICLE.splitlines()[1:]])
    assert kept(page) == page.splitlines()  # inside the article, a caption is its own


def test_click_here_to_subscribe_or_get_the_app_is_furniture_and_to_a_report_is_not():
    assert is_appeal("Click here to subscribe to the Ledger's morning briefing")
    assert is_appeal("CLICK HERE TO GET THE LEDGER APP")
    assert is_appeal("Click here to sign up for breaking news alerts")
    assert not is_appeal("Click here to read the auditors' full report on the depot.")
    page = (
        ARTICLE + "Click here to read the auditors' full report on the depot.\n"
        "Click here to get the Ledger app\n"
    )
    assert kept(page) == page.splitlines()[:-1]


def test_a_sentence_that_ends_with_an_emoji_opens_the_article():
    opening = "Good news for everyone who takes the bus to work this winter \U0001f389"
    page = "\n".join(["News", "Politics", "Sport", opening, *ARTICLE.splitlines(), "Most read"])
    assert kept(page) == [opening, *ARTICLE.splitlines()]


def test_a_short_list_under_its_introduction_opens_the_article_and_a_menu_does_not():
    points = ["Key points from the council meeting:", "Depot open", "Buses on time", "Fares kept"]
    page = "\n".join(["News", "Politics", "Sport", *points, *ARTICLE.splitlines(), "Most read"])
    assert kept(page) == [*points, *ARTICLE.splitlines()]
    # A menu under a label that ends in a colon is still a menu: it is too long to be a list
    # the article opens with, and a label of one word introduces nothing.
    menu = ["Sections:", "News", "Politics", "Sport", "Business", "Travel"]
    page = "\n".join([*menu, *ARTICLE.splitlines()])
    assert kept(page) == ARTICLE.splitlines()
    many = ["In this edition:", *[f"Section {number}" for number in range(1, 11)]]
    page = "\n".join([*many, *ARTICLE.splitlines()])
    assert kept(page) == ARTICLE.splitlines()
