"""core.text: Markdown renders, and nothing executable survives rendering or sanitising."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.template import Context, Template

from maillage.core.text import ALLOWED_TAGS, render_markdown, sanitize_html

SAFE_SCHEMES = {"http", "https", "mailto"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "background"}

XSS_PAYLOADS = [
    # script tags
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '"><script>alert(1)</script>',
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    # event handler attributes
    "<img src=x onerror=alert(1)>",
    '<img src="https://ok.example/a.png" onerror="alert(1)">',
    "<body onload=alert(1)>",
    "<div onmouseover='alert(1)'>hover</div>",
    "<a href='https://ok.example' onclick='alert(1)'>x</a>",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    # javascript:, vbscript:, data: in raw HTML
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="&#x6A;&#x61;vascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    '<a href="java\nscript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="VBScript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<img src="javascript:alert(1)">',
    # markdown links and images with dangerous targets
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](jav&#x61;script:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](<java script:alert(1)>)",
    "[x](<javascript:alert(1)>)",
    "[x]( javascript:alert(1) )",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](file:///etc/passwd)",
    "![x](javascript:alert(1))",
    "![x](data:image/png;base64,iVBORw0KGgo=)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[x][evil]\n\n[evil]: javascript:alert(1)",
    '[x](https://ok.example "title\\" onmouseover=\\"alert(1)")',
    '[x](https://ok.example/" onmouseover="alert(1))',
    "[<img src=x onerror=alert(1)>](https://ok.example)",
    # autolinks (CommonMark and linkify)
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    "<vbscript:msgbox(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "javascript:alert(1)",
    "www.example.org/<script>alert(1)</script>",
    'http://example.org/"onmouseover="alert(1)',
    # SVG and MathML tricks
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    '<svg><use href="data:image/svg+xml;base64,PHN2ZyBpZD0neCc+PC9zdmc+#x"/></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math href="javascript:alert(1)">x</math>',
    # frames, objects, styles, forms, meta
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p style="x:expression(alert(1))">x</p>',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:/">',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    # comments, noscript, templates (mutation XSS)
    "<!--<img src=x onerror=alert(1)>-->",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<template><script>alert(1)</script></template>",
    '<table><td background="javascript:alert(1)">x</td></table>',
    "| a |\n|---|\n| <script>alert(1)</script> |",
]


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))


def _scheme(url: str) -> str | None:
    # Browsers drop ASCII whitespace and control characters inside a scheme ("java\tscript:").
    squeezed = re.sub(r"[\x00-\x20]", "", url).lower()
    match = re.match(r"^([a-z][a-z0-9+.-]*):", squeezed)
    return match.group(1) if match else None


def assert_nothing_executable(html: str) -> None:
    parser = _Collector()
    parser.feed(html)
    parser.close()
    for tag, attrs in parser.elements:
        assert tag in ALLOWED_TAGS, f"tag <{tag}> survived in {html!r}"
        for name, value in attrs:
            assert not name.startswith("on"), f"{name} on <{tag}> survived in {html!r}"
            assert name != "style", f"style on <{tag}> survived in {html!r}"
            if name in URL_ATTRIBUTES and value:
                scheme = _scheme(value)
                assert scheme is None or scheme in SAFE_SCHEMES, f"{name}={value!r} in {html!r}"


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_markdown_leaves_nothing_executable(payload: str) -> None:
    assert_nothing_executable(render_markdown(payload))


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_sanitize_html_leaves_nothing_executable(payload: str) -> None:
    # sanitize_html also cleans HTML that arrives from elsewhere (feeds, imports).
    assert_nothing_executable(sanitize_html(payload))


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_script_element_survives_even_as_an_unparsed_fragment(payload: str) -> None:
    # Independent of html.parser: a "<script" in the output can only be a tag (text is escaped).
    for html in (render_markdown(payload), sanitize_html(payload)):
        assert "<script" not in html.lower()
        assert "<svg" not in html.lower()
        assert "<iframe" not in html.lower()


def test_the_checker_catches_what_it_should() -> None:
    with pytest.raises(AssertionError):
        assert_nothing_executable("<script>alert(1)</script>")
    with pytest.raises(AssertionError):
        assert_nothing_executable('<a href="java&#x09;script:alert(1)">x</a>')
    with pytest.raises(AssertionError):
        assert_nothing_executable('<img src="x" onerror="alert(1)">')


def test_raw_html_is_shown_as_text() -> None:
    assert render_markdown("<b>bold</b> & <i>co</i>") == (
        "<p>&lt;b&gt;bold&lt;/b&gt; &amp; &lt;i&gt;co&lt;/i&gt;</p>\n"
    )


def test_normal_markdown_renders() -> None:
    html = render_markdown(
        "Un **atelier** sur la *veille*, avec `code` et ~~rature~~.\n\n"
        "- un\n- deux\n\n"
        "3. trois\n4. quatre\n\n"
        "> citation\n\n"
        "```\n<pas du html>\n```\n\n"
        "---\n\n"
        '[le réseau](https://example.org/reseau "Doc@Rennes")\n\n'
        "![logo](https://example.org/logo.png)"
    )
    assert "<strong>atelier</strong>" in html
    assert "<em>veille</em>" in html
    assert "<code>code</code>" in html
    assert "<s>rature</s>" in html
    assert "<ul>\n<li>un</li>\n<li>deux</li>\n</ul>" in html
    assert '<ol start="3">' in html
    assert "<blockquote>\n<p>citation</p>\n</blockquote>" in html
    assert "<pre><code>&lt;pas du html&gt;\n</code></pre>" in html
    assert "<hr>" in html
    assert (
        '<a href="https://example.org/reseau" title="Doc@Rennes" rel="nofollow noopener ugc">'
        "le réseau</a>"
    ) in html
    assert '<img src="https://example.org/logo.png" alt="logo">' in html


def test_headings_start_below_the_page_title() -> None:
    html = render_markdown("# Titre\n\n## Partie\n\n###### Fin")
    assert "<h2>Titre</h2>" in html
    assert "<h3>Partie</h3>" in html
    assert "<h6>Fin</h6>" in html
    assert "<h1" not in html


def test_tables_render_with_alignment_and_no_inline_style() -> None:
    html = render_markdown(
        "| Outil | Usagers | Note |\n|:---|---:|:-:|\n| Netvibes | 120 | bien |\n"
    )
    assert "<table>" in html and "<thead>" in html and "<tbody>" in html
    assert '<th align="left">Outil</th>' in html
    assert '<td align="right">120</td>' in html
    assert '<td align="center">bien</td>' in html
    assert "style=" not in html


def test_autolinks_and_linkify() -> None:
    html = render_markdown(
        "Voir <https://example.org/a>, www.example.net et https://example.com/b?c=d "
        "ou écrire à veille@example.org."
    )
    assert '<a href="https://example.org/a" rel="nofollow noopener ugc">' in html
    assert (
        '<a href="http://www.example.net" rel="nofollow noopener ugc">www.example.net</a>' in html
    )
    assert '<a href="https://example.com/b?c=d" rel="nofollow noopener ugc">' in html
    assert '<a href="mailto:veille@example.org" rel="nofollow noopener ugc">' in html


def test_every_link_gets_a_safe_rel() -> None:
    html = sanitize_html('<a href="https://example.org" rel="opener" target="_blank">x</a>')
    assert html == '<a href="https://example.org" rel="nofollow noopener ugc">x</a>'


def test_empty_text_renders_nothing() -> None:
    assert render_markdown("") == ""


def test_markdown_filter_renders_and_is_not_escaped_again() -> None:
    template = Template("<div>{{ body|markdown }}</div>")
    html = template.render(Context({"body": "**Bonjour** <script>alert(1)</script>"}))
    assert html == (
        "<div><p><strong>Bonjour</strong> &lt;script&gt;alert(1)&lt;/script&gt;</p>\n</div>"
    )


def test_markdown_filter_accepts_none() -> None:
    assert Template("{{ body|markdown }}").render(Context({"body": None})) == ""


def test_markdown_filter_cleans_payloads_in_templates() -> None:
    template = Template("{{ body|markdown }}")
    for payload in XSS_PAYLOADS:
        assert_nothing_executable(template.render(Context({"body": payload})))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Pourquoi ?", "Pourquoi\u202f?"),
        ("Attention !", "Attention\u202f!"),
        ("un ; deux", "un\u202f; deux"),
        ("Réponse : former", "Réponse\u00a0: former"),
        ("« ce n’est pas pour moi »", "«\u00a0ce n’est pas pour moi\u00a0»"),
        ("Rendez-vous à 10:30", "Rendez-vous à 10:30"),
        ("Why? Because!", "Why? Because!"),
    ],
)
def test_french_spacing_makes_existing_spaces_unbreakable(source, expected):
    assert unescape(render_markdown(source)) == f"<p>{expected}</p>\n"


def test_french_spacing_leaves_code_and_addresses_alone():
    rendered = unescape(
        render_markdown("Voir `a : b` et https://example.org/?q=1 :\n\n    x = y ; z\n")
    )
    assert "<code>a : b</code>" in rendered
    assert 'href="https://example.org/?q=1"' in rendered
    assert "x = y ; z" in rendered
    assert "q=1</a>\u00a0:" in rendered


def test_html_from_elsewhere_keeps_its_blocks_and_loses_its_attributes() -> None:
    assert sanitize_html('<div onclick="x()">un</div><div class="a">deux</div>') == (
        "<div>un</div><div>deux</div>"
    )


def test_the_text_of_blocks_does_not_run_together() -> None:
    from maillage.core.text import html_to_text

    assert html_to_text("<div>un</div><div>deux</div><p>trois<br>quatre</p>") == (
        "un deux trois quatre"
    )
    assert html_to_text("<p>un <em>mot</em>, et <strong>l</strong>'autre</p>") == (
        "un mot, et l'autre"
    )


def test_the_text_of_a_status_keeps_its_paragraphs_and_breaks_as_lines() -> None:
    from maillage.core.text import html_to_text

    status = '<p>Bonjour <span class="h-card">@musee</span>,</p><p>une question :<br>où ?</p>'
    assert html_to_text(status, keep_lines=True) == "Bonjour @musee,\n\nune question :\noù ?"
    assert html_to_text("<p>a<script>alert(1)</script></p>", keep_lines=True) == "a"
