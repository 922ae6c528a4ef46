from datetime import date

import pytest

from yuqing.demo.generate import generate_demo

END = date(2026, 11, 22)


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """One generated demo data set shared by the demo tests (generation takes a few seconds)."""
    out = tmp_path_factory.mktemp("demo")
    return generate_demo(out, end=END, seed=7)
