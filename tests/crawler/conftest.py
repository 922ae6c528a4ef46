from __future__ import annotations

from pathlib import Path

import pytest

from yuqing.config import Config

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "crawler"
SHARED_FORMATS = Path(__file__).resolve().parents[3] / "shared" / "data" / "formats"


@pytest.fixture
def config(tmp_path):
    return Config(data_dir=tmp_path / "data")
