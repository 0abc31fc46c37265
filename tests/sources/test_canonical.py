import pytest

from factdesk.sources.canonical import NotFetchable, canonical_url


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("HTTPS://Example.ORG:443/Report?b=2&a=1#section", "https://example.org/Report?a=1&b=2"),
        ("http://example.org:80", "http://example.org/"),
        ("http://example.org:8080/x", "http://example.org:8080/x"),
        (
            "https://news.example/a?utm_source=tw&utm_medium=social&id=7&fbclid=abc&gclid=x",
            "https://news.example/a?id=7",
        ),
        ("https://bücher.example/straße", "https://xn--bcher-kva.example/straße"),
        ("  https://example.org/a?q=  ", "https://example.org/a?q="),
    ],
)
def test_canonical_urls(given, canonical):
    assert canonical_url(given) == canonical


def test_the_same_page_cited_differently_is_one_url():
    assert canonical_url("https://EXAMPLE.org/p?utm_campaign=x") == canonical_url(
        "https://example.org:443/p#top"
    )


def test_port_zero_is_not_the_default_port():
    """http://host:0/ and http://host/ were one source; port 0 names no page at all."""
    with pytest.raises(NotFetchable, match="port"):
        canonical_url("http://127.0.0.1:0/")


@pytest.mark.parametrize("url", ["http://127.0.0.1:65536/", "http://127.0.0.1:99999999/"])
def test_a_port_out_of_range_is_not_fetchable(url):
    with pytest.raises(NotFetchable, match="from 1 to 65535"):
        canonical_url(url)


def test_a_host_idna_cannot_encode_is_not_fetchable():
    with pytest.raises(NotFetchable, match="site name"):
        canonical_url("http://ex\ufffdample.com/")
