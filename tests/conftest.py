from pathlib import Path

import pytest

from pipeline.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def rules():
    return load_rules()
