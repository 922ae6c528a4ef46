"""Getting posts in: export files (``yuqing import``) and forums and feeds (``yuqing crawl``).

- :mod:`.parsers` — pure parsers, one module per format family, plus content-based format
  detection (:mod:`.parsers.detect`) and decoding (:mod:`.parsers.decode`).
- :mod:`.cleaning` — HTML → text, whitespace and full-width normalisation (pure).
- :mod:`.sources` — which configured source a chat/account/forum is; unknown chats become
  pending sources.
- :mod:`.reading`, :mod:`.importer` — streaming import of files and folders, once per content
  hash; :func:`.importer.import_paths` and :func:`.importer.watch`.
- Scrapy: :mod:`.settings`, :mod:`.items`, :mod:`.pipelines`, :mod:`.spiders` (Discuz,
  Discourse, RSS/Atom, YAML site profiles, the drop-folder exports spider), run by :mod:`.run`.
- :mod:`.commands` — the ``import`` and ``crawl`` CLI commands.
"""
