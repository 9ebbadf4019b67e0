"""Value types shared by the rule-file schemas (`pipeline.ruleschema`, `pipeline.ruleschema_compare`).

A `Regex` compiles when the file loads; the enumerations are the contract's values.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def _compiles(pattern: str) -> str:
    # `{locality}` and the like stand for values filled in at run time: compile with a stand-in
    try:
        re.compile(re.sub(r"\{[a-z_]+\}", "x", pattern))
    except re.error as exc:
        raise ValueError(f"not a valid regular expression ({exc}): {pattern!r}") from None
    return pattern


Regex = Annotated[str, AfterValidator(_compiles)]
Words = list[str]
Level = Literal["national", "ministry", "province", "province_dept", "district", "commune", "multi"]
IssuerLevel = Literal["national", "ministry", "province", "province_dept", "district", "commune",
                      "unknown", "by_place"]
Severity = Literal["error", "warning", "info"]
SectionKind = Literal["purpose", "objectives", "tasks", "assignment", "budget", "organization",
                      "reporting", "other"]
RefKind = Literal["ke_hoach", "quyet_dinh", "chuong_trinh", "luat", "nghi_dinh", "nghi_quyet", "chi_thi",
                  "ket_luan", "thong_tu", "cong_van", "other"]
DocKind = Literal["ke_hoach", "quyet_dinh", "chuong_trinh", "cong_van", "bao_cao", "other"]
Comparator = Literal["eq", "gt", "ge", "lt", "le"]
Recurrence = Literal["daily", "weekly", "monthly", "quarterly", "semiannual", "annual"]
Weight = Annotated[float, Field(ge=0)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
