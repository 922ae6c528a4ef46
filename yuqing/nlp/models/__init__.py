"""The trained models shipped with yuqing (data only): ``<name>.skops`` pipelines, their numpy exports
``<name>.npz`` and manifests ``<name>.json`` for sentiment, topic and risk, the keyword table
``keywords.json``, the model card ``README.md`` (written by `yuqing train` from the manifests,
``benchmarks.json`` and the hand-written ``card_notes.md``). Read with :mod:`importlib.resources`
(:func:`yuqing.nlp.persist.packaged_models_dir`); retrained models go to ``[nlp] models_dir``."""
