"""Page furniture found in a page's text: widgets, appeals, disclaimers, comment prompts,
share buttons, the byline repeated and related headlines at the end; article text kept."""

from factdesk.intake.furniture import furniture_lines, lines

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
