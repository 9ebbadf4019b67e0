"""Hand-made section trees for extractor tests (independent of the segmenter)."""

from __future__ import annotations

from pipeline.records import CleanDoc, PlanInfo, Section, Segmented


def build(text: str, spec: list[tuple[str, str, str]], doc_id: str = "d") -> Segmented:
    """SPEC: (path, kind, start of the heading line) in document order."""
    starts = []
    pos = 0
    for path, kind, prefix in spec:
        i = text.index(prefix, pos)
        starts.append((path, kind, i))
        pos = i + 1
    sections = []
    for n, (path, kind, i) in enumerate(starts):
        level = path.count("/") + 1
        end = len(text)
        for path2, _, j in starts[n + 1:]:
            if path2.count("/") + 1 <= level:
                end = j
                break
        nl = text.find("\n", i)
        heading_end = end if nl < 0 or nl > end else nl
        parent = path.rsplit("/", 1)[0] if "/" in path else None
        marker = path.rsplit("/", 1)[-1]
        mtype = "roman" if level == 1 else ("bullet" if marker.startswith("-") else "arabic")
        sections.append(Section(
            doc_id=doc_id, section_id=f"{doc_id}:s:{path}",
            parent_section_id=f"{doc_id}:s:{parent}" if parent else None,
            path=path, level=level, marker=marker, marker_type=mtype, heading=text[i:heading_end].strip(),
            kind=kind, char_start=i, char_end=end, heading_end=heading_end,
        ))
    return Segmented(doc=CleanDoc(doc_id=doc_id, text=text), sections=tuple(sections), body_start=0,
                     body_end=len(text))


def plan(place: str | None = "Nhân Lý", locality: str | None = "xã Nhân Lý") -> PlanInfo:
    return PlanInfo(doc_id="d", doc_kind="ke_hoach", issuer="Ủy ban nhân dân xã Nhân Lý",
                    issuer_level="commune", title="t", place=place, locality=locality)
