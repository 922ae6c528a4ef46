"""yuqing's spiders. ``yuqing crawl`` runs one per configured source of kind ``forum``/``rss``,
chosen by ``options.engine``:

=============  ======================================================================
engine         source options (``[[sources]] … options = {…}``)
=============  ======================================================================
``discuz``     ``boards`` (list URLs, default: discovered from ``url``), ``max_list_pages``
``discourse``  ``max_list_pages``
``rss``        (``url`` is the feed; the default for ``kind = "rss"``)
``profile``    ``profile`` (YAML site profile path, relative to the data directory)
=============  ======================================================================

Every engine also takes ``cookies = {name = "value"}`` (members-only forums) and ``t2s = true``
(traditional → simplified). :mod:`.exports` reads a drop folder (``yuqing crawl --exports``).
Spiders only extract; cleaning, PII, dedupe and storing are the pipelines' jobs.
"""
