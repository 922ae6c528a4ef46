"""The Streamlit dashboard (`yuqing dashboard`): entry file ``app.py``, one page per file in
``views/``, cached data access in ``queries.py``, login in ``session.py``.

The page folder is deliberately not called ``pages/``: Streamlit treats a ``pages/`` folder next
to the entry file as a legacy multipage app, and then every deep link (``/issues?issue=7``)
opens with a "Page not found" notice and AppTest loses form state between runs.
"""
