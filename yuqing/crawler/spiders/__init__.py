"""yuqing's spiders. ``yuqing crawl`` runs one per configured source of kind ``forum``/``rss``,
chosen by ``options.engine``:

=============  ======================================================================
engine         source options (``[[sources]] … options = {…}``)
=============  ======================================================================
``discuz``     ``boards`` (list URLs, default: discovered from ``url``), ``max_list_pages``,
               ``recheck_days``, ``username`` + ``password_env`` (members-only boards),
               ``login_url``
``discourse``  ``max_list_pages``
``rss``        (``url`` is the feed; the default for ``kind = "rss"``)
``profile``    ``profile`` (YAML site profile path, relative to the data directory)
=============  ======================================================================

Every engine also takes ``cookies = {name = "value"}`` (members-only forums; for Discuz the pair
``{cookiepre}auth`` and ``{cookiepre}saltkey``) and ``t2s = true`` (traditional → simplified).
docs/crawling.md describes logins, the change tracking and how a failed source is reported.
:mod:`.exports` reads a drop folder (``yuqing crawl --exports``).
Spiders only extract; cleaning, PII, dedupe, comparing and storing are the pipelines' jobs.
"""
