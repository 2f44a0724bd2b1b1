"""`maillage search reindex` rebuilds the index from the content, with a progress bar."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command

from maillage.core import search
from maillage.core.management.commands.search import ProgressBar
from maillage.core.search.models import SearchDocument
from tests.factories import ArticleFactory, BookmarkFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_reindex_rebuilds_everything_from_the_content() -> None:
    ArticleFactory(title="Cyanotype et photographie")
    BookmarkFactory(title="Sténopé", visibility="public")
    assert search.search(viewer=None, text="cyanotype").total == 0  # made behind the index
    output = StringIO()
    call_command("search", "reindex", stdout=output)
    assert "documents indexed" in output.getvalue() or "documents indexés" in output.getvalue()
    assert re.search(r"\] 100\s%", output.getvalue())  # the bar, at its end
    assert search.search(viewer=None, text="cyanotype").total == 1
    assert search.search(viewer=None, text="stenope").total == 1
    first = SearchDocument.objects.count()
    call_command("search", "reindex", "--no-progress", stdout=StringIO())
    assert SearchDocument.objects.count() == first  # run twice: the same index
    call_command("search", "reindex", "--no-progress", "--processes", "2", stdout=StringIO())
    assert SearchDocument.objects.count() == first  # the text analysed in two processes
    assert search.search(viewer=None, text="stenope").total == 1


def test_reindex_of_one_kind_leaves_the_others() -> None:
    ArticleFactory(title="Cyanotype")
    call_command("search", "reindex", "--no-progress", stdout=StringIO())
    BookmarkFactory(title="Cyanotype au soleil", visibility="public")
    call_command("search", "reindex", "--kind", "bookmark", "--no-progress", stdout=StringIO())
    assert dict(search.search(viewer=None, text="cyanotype").counts) == {
        "article": 1,
        "bookmark": 1,
    }


def test_stats_and_query() -> None:
    UserFactory(display_name="Gwenaëlle Le Du")
    call_command("search", "reindex", "--no-progress", stdout=StringIO())
    output = StringIO()
    call_command("search", "stats", stdout=output)
    assert "member\tpublic\t1" in output.getvalue()
    output = StringIO()
    call_command("search", "query", "gwenaelle", stdout=output)
    assert "/membres/" in output.getvalue() or "member" in output.getvalue()


class Terminal(StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_redraws_in_place_on_a_terminal() -> None:
    from django.core.management.base import OutputWrapper

    terminal = Terminal()
    bar = ProgressBar(OutputWrapper(terminal))
    bar(500, 1000)
    bar(1000, 1000)
    bar.finish()
    text = terminal.getvalue()
    assert re.match(r"\r\[#{15}·{15}\]  50\s% 500/1,000", text)
    assert re.search(r"\r\[#{30}\] 100\s% 1,000/1,000", text) and text.endswith("\n")
