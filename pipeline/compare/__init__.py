"""Compare stage: does a child plan carry out what its parent (or its programme) mandates?

- `mandates`: what a parent plan asks of a child of a given level;
- `duties`, `text`, `match`: a child task covers a mandate when it commits to the same duty;
- `catalogue`: programme catalogues in rules/mandates/, written from any parent plan;
- `store`: every plan of the store against its parent in hand or a catalogue;
- `localization`, `changes`: how much of a plan is its own, and what changed between cycles.
"""

from .catalogue import build_catalogue, catalogue_mandates, dump_catalogue, find_catalogue, with_catalogue
from .mandates import Mandate, parent_mandates, task_specs
from .match import GROUP_METHOD, METHOD, SECTION_METHOD, SELF_METHOD, build_config, compare, load_rules
from .store import (
    NO_MANDATES,
    CrossDoc,
    compare_all,
    compare_store,
    coverage_and_reasons,
    item_units,
    mandates_for,
)
from .text import abbreviations_in

__all__ = ["Mandate", "compare", "mandates_for", "compare_store", "compare_all", "CrossDoc",
           "coverage_and_reasons", "parent_mandates", "task_specs", "catalogue_mandates", "find_catalogue",
           "build_catalogue", "dump_catalogue", "with_catalogue", "abbreviations_in", "item_units",
           "load_rules", "METHOD", "GROUP_METHOD", "SECTION_METHOD", "SELF_METHOD", "NO_MANDATES",
           "build_config"]
