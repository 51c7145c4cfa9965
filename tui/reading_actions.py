"""The app's actions for reading one article: full screen, its links, its media, its page.

A mixin, so the app (or the screen that holds the article list) gains them by inheriting;
it needs ``library``, ``settings``, ``current_id()``, ``open_article_data``,
``open_mentions`` and ``terms`` from its host. Launching programs happens in a thread
(``tui.launch``), so a slow browser start never blocks the screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newsreader.index.errors import NewsreaderError
from newsreader.index.models import Article
from textual import work

from . import launch

if TYPE_CHECKING:
    from newsreader.tui.screens.links import LinkChoice


class ReadingActions:
    """Actions on the open article; mixed into the App."""

    # provided by the host
    library: Any
    settings: Any
    open_article_data: Article | None
    open_mentions: list[Any]
    terms: list[str]

    def current_id(self) -> str | None: ...  # pragma: no cover - the host's

    def _reading_article(self) -> Article | None:
        """The open article (or the selected one), freshly read; None with a notice."""
        host: Any = self
        article_id = self.current_id()
        if article_id is None:
            host.notify("No article selected.", severity="warning")
            return None
        try:
            return self.library.article(article_id)
        except NewsreaderError as exc:
            host.notify(str(exc), severity="error")
            return None

    def action_read_full_screen(self) -> None:
        from newsreader.tui.screens.reader import ReaderScreen

        host: Any = self
        if isinstance(host.screen, ReaderScreen):
            host.screen.dismiss(None)
            return
        article = self._reading_article()
        if article is None:
            return
        mentions = self.open_mentions if self._is_open(article) else []
        host.push_screen(ReaderScreen(article, mentions, self.terms))

    def _is_open(self, article: Article) -> bool:
        return self.open_article_data is not None and self.open_article_data.id == article.id

    def action_show_links(self) -> None:
        from newsreader.tui.screens.links import LinksScreen

        host: Any = self
        if isinstance(host.screen, LinksScreen):
            return
        article = self._reading_article()
        if article is None:
            return
        choices = link_choices(article)
        if not choices:
            host.notify("This article has no links.", severity="warning")
            return
        host.push_screen(LinksScreen(article.title or "(untitled)", choices, self))

    def action_play_media(self) -> None:
        host: Any = self
        article = self._reading_article()
        if article is None:
            return
        media = [e for e in article.enclosures if e.media] or list(article.enclosures)
        if not media:
            host.notify("This article has no audio or video.", severity="warning")
            return
        self.play_address(media[0].url)

    def action_fetch_full_text(self) -> None:
        """Fetch the article's page in a thread; the article is shown again when it is in."""
        host: Any = self
        article_id = self.current_id()
        if article_id is None:
            host.notify("No article selected.", severity="warning")
            return
        host.notify("Fetching the article's page…")
        self._full_text_worker(article_id)

    @work(thread=True, exit_on_error=False, group="full-text")
    def _full_text_worker(self, article_id: str) -> None:
        host: Any = self
        try:
            article = self.library.fetch_full_text(article_id)
        except NewsreaderError as exc:
            host.call_from_thread(host.notify, f"No full text: {exc}", severity="error")
            return
        host.call_from_thread(self._show_full_text, article)

    def _show_full_text(self, article: Article) -> None:
        from newsreader.tui.screens.reader import ReaderScreen

        host: Any = self
        for screen in host.screen_stack:
            if isinstance(screen, ReaderScreen) and screen.article.id == article.id:
                screen.show(article)  # the old entities no longer fit: the next enrichment
        if self.current_id() == article.id:
            host.open_article(article.id, mark=False, quiet=True)
        host.notify("The full text is in (its entities are found by the next enrichment).")

    def action_toggle_feed_full_text(self) -> None:
        """Palette: fetch every new article's page for the selected feed, or stop."""
        host: Any = self
        feed_id = host._selected_feed_id()
        if feed_id is None:
            host.notify("No feed selected.", severity="warning")
            return
        try:
            on = not self.library.find_feed(feed_id).full_text
            feed = self.library.set_feed_full_text(feed_id, on)
        except NewsreaderError as exc:
            host.notify(str(exc), severity="error")
            return
        state = "fetches each new article's page" if on else "keeps the feed's own text"
        host.notify(f"{feed.title}: refresh now {state}.")

    # -- what the link list asks for ------------------------------------------------------

    def open_address(self, url: str) -> None:
        self._launch_worker(url, self.settings.browser, "browser")

    def play_address(self, url: str) -> None:
        host: Any = self
        if not self.settings.player:
            host.notify(
                'No player set: add player = "mpv %u" (any command with %u) under [app]'
                " in config.toml.",
                severity="warning",
            )
            return
        self._launch_worker(url, self.settings.player, "player")

    def copy_address(self, url: str) -> None:
        host: Any = self
        host.copy_to_clipboard(url)
        host.notify(f"Copied {url}: {launch.copy_note()}")

    @work(thread=True, exit_on_error=False, group="launch")
    def _launch_worker(self, url: str, command: str, kind: str) -> None:
        host: Any = self
        try:
            if kind == "player":
                launch.launch(command, url)
            else:
                launch.open_in_browser(url, command)
        except launch.LaunchError as exc:
            host.call_from_thread(host.notify, f"Could not open the link: {exc}", severity="error")


def link_choices(article: Article) -> list[LinkChoice]:
    """The article's own link, then its numbered links, then its enclosures."""
    from newsreader.index.exports import enclosure_facts
    from newsreader.index.reading.article import article_layout
    from newsreader.tui.screens.links import LinkChoice

    choices: list[LinkChoice] = []
    if article.link:
        choices.append(LinkChoice("article", article.link))
    for number, url in enumerate(article_layout(article).links, 1):
        choices.append(LinkChoice(f"[{number}]", url))
    for enc in article.enclosures:
        choices.append(LinkChoice(enclosure_facts(enc), enc.url, media=True))
    return choices
