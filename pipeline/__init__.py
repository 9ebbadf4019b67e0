"""kehoach: Vietnamese government plans to structured, source-grounded tables."""

from .clean import clean
from .extract import extract
from .ingest import ingest
from .rules import Rules, load_rules
from .segment import segment
from .write import write

__all__ = ["Rules", "clean", "extract", "ingest", "load_rules", "segment", "write"]
