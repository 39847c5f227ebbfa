"""What the allocation matches: groups of interchangeable ready devices, and site needs.

Shared by the allocation (which builds them from the database) and the solver (which
matches them), in a module below both so that neither imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Group:
    model_id: int
    model: str
    vendor: str
    need_class: str
    generation: int
    draw_w: float
    mass_kg: float
    grade: str
    location: str
    lat: float | None
    lon: float | None
    device_ids: list[int] = field(default_factory=list)
    serials: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.device_ids)


@dataclass
class Need:
    site_id: int
    site: str
    site_name: str
    need_class: str
    count: int
    min_generation: int | None
    vendor: str | None
    priority: int
    lat: float | None
    lon: float | None
    poe_budget_w: float | None
    model: str | None = None  # switch needs: the one model chosen for the site
    # A need for design positions (``planning.positions``): the models that fit them, and their names.
    models: frozenset[str] | None = None
    positions: tuple[str, ...] = ()
