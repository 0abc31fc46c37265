"""Reading a page's text: what the extractor gets wrong on real news pages, corrected."""

from factdesk.sources.reading import read_html

PARAGRAPH = "<p>{} The council said the figures would be published in full next month.</p>"


def page(body: str, title: str = "Council budget rises by 3 per cent") -> str:
    return (
        f"<!doctype html><html><head><title>{title}</title></head><body>"
        f"<nav><a href='/'>Home</a></nav><main><h1>{title}</h1>{body}</main>"
        "<footer>Copyright 2026 The Ledger</footer></body></html>"
    )


def test_a_body_split_by_adverts_is_read_whole():
    first = "".join(PARAGRAPH.format(f"First part, paragraph {n}.") for n in range(4))
    second = "".join(PARAGRAPH.format(f"Second part, paragraph {n}.") for n in range(4))
    html = page(
        f"<div class='article__body'>{first}</div>"
        "<div class='ad'><span>Advertisement</span></div>"
        f"<div class='article__body'>{second}</div>"
    )
    text = read_html(html, "https://ledger.example/budget").text
    assert "First part, paragraph 0." in text
    assert "Second part, paragraph 3." in text


def test_the_headline_and_page_furniture_are_not_the_text():
    body = "".join(PARAGRAPH.format(f"Paragraph {n}.") for n in range(4))
    body += "<p>READ MORE: Council tax to rise again</p><p>Don't miss our newsletter</p>"
    reading = read_html(page(f"<article>{body}</article>"), "https://ledger.example/b")
    assert reading.title == "Council budget rises by 3 per cent"
    assert reading.text.startswith("Paragraph 0.")
    assert "READ MORE" not in reading.text
    assert "newsletter" not in reading.text
