"""The Streamlit dashboard (`yuqing dashboard`): entry file ``app.py``, one page per file in
``pages/``, cached data access in ``queries.py``, login in ``session.py``."""
