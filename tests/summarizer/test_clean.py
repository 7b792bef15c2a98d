"""Cleaning: what a reader of the pages expects to be kept, dropped and set apart."""

from pathlib import Path

from summarizer.clean import clean
from summarizer.load import load_paths
from summarizer.records import RawDocument

BOILERPLATE = [
    "Read Next",
    "About the author",
    "olor sit amet",
    "adipiscing",
    "@NBCNews",
    "t.co/",
    "via NBCNEWS",
    "fedilink",
    "arrow-up",
    "months ago",
    "follow him on Twitter",
    "Author: Dave DeCamp",
]


def _seed_docs(seeds_dir):
    return {raw.name[:3]: clean(raw) for raw in load_paths([seeds_dir]).documents}


def test_seed_articles_have_no_page_furniture(seeds_dir):
    docs = _seed_docs(seeds_dir)
    assert len(docs) == 5
    for doc in docs.values():
        article = doc.article_text()
        for marker in BOILERPLATE:
            assert marker not in article, f"{doc.name} still contains {marker!r}"


def test_comment_thread_is_kept_apart_and_labelled(seeds_dir):
    doc = _seed_docs(seeds_dir)["001"]
    kinds = [p.kind for p in doc.parts]
    assert kinds == ["article", "comments"]
    comments = doc.parts[1].text
    assert "meat grinder" in comments and "fascists" in comments
    assert "meat grinder" not in doc.article_text()
    # Every comment keeps its author; chrome lines are gone from the thread too.
    assert "panopticon:" in comments and "lorty:" in comments
    assert "fedilink" not in comments and "arrow-up" not in comments
    # The article itself survives whole.
    assert doc.article_text().startswith("WASHINGTON")
    assert "Officials fear that shift" in doc.article_text()


def test_repeated_paragraph_and_embedded_post_are_dropped(seeds_dir):
    docs = _seed_docs(seeds_dir)
    lead = "US and European officials have initiated behind-the-scenes discussions"
    assert docs["000"].article_text().count(lead) == 1
    repost = docs["002"].article_text()
    assert repost.count("have begun quietly talking") == 1
    assert docs["000"].title.startswith("US and European Diplomats")


def _raw(text: str, name: str = "page.html", fmt: str = "html") -> RawDocument:
    return RawDocument(path=Path(name), name=name, format=fmt, text=text, sha256="0" * 64)


def test_html_goes_through_the_extractor_and_keeps_comments_apart():
    body = " ".join(
        f"Paragraph {i}: the city council voted to approve the new budget after a long debate about schools."
        for i in range(6)
    )
    html = f"""<html><head><title>Council approves budget</title><script>var tracking = "SECRET_SCRIPT";</script></head>
    <body><nav><a href="/">Home</a> | <a href="/news">News</a> | NAVIGATION_LINKS</nav>
    <article><h1>Council approves budget</h1><p>{body}</p>
    <p>The mayor said the vote was close, with five members in favour and four against.</p></article>
    <div id="comments" class="comments"><div class="comment"><p>COMMENT_TEXT this is a reader opinion about the vote.</p></div></div>
    <footer>Copyright FOOTER_TEXT</footer></body></html>"""
    doc = clean(_raw(html))
    article = doc.article_text()
    assert "city council voted" in article and "five members in favour" in article
    for junk in ("SECRET_SCRIPT", "NAVIGATION_LINKS", "FOOTER_TEXT", "COMMENT_TEXT"):
        assert junk not in article
    comments = [p.text for p in doc.parts if p.kind == "comments"]
    assert comments and "COMMENT_TEXT" in comments[0]


def test_plain_text_with_generic_forum_chrome():
    text = (
        "Storm closes harbour\n\nThe harbour was closed on Monday after a storm damaged two piers, the port authority said.\n\n"
        "  • sailor42@boats.example\n    link\n    fedilink\n    arrow-up\n    12\n    ·\n    3 days ago\n\n"
        "    They should have closed it earlier.\n"
    )
    doc = clean(_raw(text, "storm.txt", "text"))
    assert doc.title == "Storm closes harbour"
    assert doc.article_text() == "The harbour was closed on Monday after a storm damaged two piers, the port authority said."
    assert doc.parts[1].kind == "comments" and "closed it earlier" in doc.parts[1].text


def test_text_and_markdown_lose_stray_html_as_html_pages_do():
    text = (
        "Storm closes harbour\n\n"
        '<p>The harbour was closed on Monday after a storm damaged <b onmouseover="alert(1)">two piers</b>, '
        "the port authority said.</p><img src=x onerror=alert(1)><script>steal()</script>\n\n"
        "Repairs will cost &euro;2&nbsp;million &amp; take a month, officials said.<!-- tracking -->\n\n"
        "&lt;p&gt;Feeds encode their markup too, the authority added.&lt;/p&gt; Rates rose by &lt; 1% and 3 < 4.\n"
    )
    for fmt in ("text", "markdown"):
        doc = clean(_raw(text, "storm.txt", fmt))
        article = doc.article_text()
        assert "two piers, the port authority said." in article
        assert "€2 million & take a month" in article
        assert "Feeds encode their markup too, the authority added." in article and "<p>" not in article
        assert "Rates rose by < 1% and 3 < 4." in article  # a "<" that opens no tag is text
        for gone in ("<b", "onmouseover", "<img", "onerror", "steal()", "tracking", "&amp;", "&lt;p"):
            assert gone not in article
        assert any("<script>" in r for r in doc.removed)


def test_a_headline_with_one_line_under_it_is_an_article():
    standfirst = "Ferries will run again between Kessel and the islands from Monday"
    doc = clean(_raw(f"# Ferry service to resume\n\n{standfirst}\n", "brief.md", "markdown"))
    assert doc.title == "Ferry service to resume"
    assert doc.article_text() == standfirst + "."  # the stop headlines go without, so it reads as a sentence
    alone = clean(_raw(standfirst + "\n", "one_line.txt", "text"))
    assert alone.article_text() == standfirst + "."
    # With a real body, sub-heads stay out of it as before.
    full = clean(_raw(f"Ferry service to resume\n\nTimetable\n\n{standfirst}, the port authority said.\n", "f.txt", "text"))
    assert full.article_text() == f"{standfirst}, the port authority said." and "Timetable" in full.removed


def test_a_long_headline_on_the_first_line_is_the_title(tmp_path):
    headline = "More boys freed from Thailand cave, but rescuers face 'war with water and time' to get to others"
    lead = "Rescuers in Thailand on Monday freed at least three more members of the boys soccer team."
    (tmp_path / "cave.txt").write_text(f"{headline}\n\n{lead}\n", encoding="utf-8")
    doc = clean(load_paths([tmp_path]).documents[0])
    assert doc.title == headline and doc.article_text().strip() == lead
