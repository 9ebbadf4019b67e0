"""kehoach: Vietnamese government plans to structured, source-grounded tables.

The stages, each a plain function over typed records (see `pipeline.records`):
ingest → clean → segment → extract → link → compare → write.
"""

from .clean import clean
from .compare import compare
from .extract import extract
from .ingest import ingest
from .link import link
from .rules import Rules, load_rules
from .segment import segment
from .write import write

__all__ = ["Rules", "clean", "compare", "extract", "ingest", "link", "load_rules", "segment", "write"]
