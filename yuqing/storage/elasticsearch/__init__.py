"""The Elasticsearch backend (issue #8): the same :class:`~yuqing.storage.base.Store` contract as
SQLite, for more posts than one machine holds. Posts live in monthly indices
``<prefix>-posts-YYYY.MM`` behind the alias ``<prefix>-posts``; everything else in small
single-shard indices. See docs/scaling-out.md."""
