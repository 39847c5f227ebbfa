"""Catalog use cases: load the shipped catalog, import a catalog file, list, resolve."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from reemploi.catalog.models import DataQuality, DeviceKind, EquipmentModel, ModelAlias
from reemploi.errors import UnknownModel
from reemploi.inventory.records import (
    RowError,
    RowsResult,
    import_rows,
    opt_date,
    opt_float,
    opt_int,
    opt_str,
)

SCALARS = (
    "wifi_generation", "bands", "poe_class", "max_draw_w", "max_draw_quality", "mass_kg", "mass_quality",
    "end_of_sale", "end_of_support", "embodied_kgco2e", "embodied_low", "embodied_high",
    "embodied_source", "embodied_quality", "ports", "poe_budget_w", "spec_source", "mgig_ports", "stack_max",
    "uplink_gbps",
)  # fmt: skip


def default_catalog_path() -> Path:
    return Path(str(resources.files("reemploi.catalog").joinpath("data/catalog.csv")))


def key_of(name: str) -> str:
    return " ".join(name.strip().upper().split())


def _parse(fields: dict[str, str]) -> dict[str, Any]:
    model = opt_str(fields, "model", 80)
    if not model:
        raise RowError("name_missing")
    kind = (fields.get("kind") or "").lower()
    kinds = [k.value for k in DeviceKind]
    if kind not in kinds:
        raise RowError("kind_invalid", value=kind, kinds=", ".join(kinds))
    values: dict[str, Any] = {
        "vendor": opt_str(fields, "vendor", 80) or "",
        "model": model,
        "key": key_of(model),
        "kind": kind,
        "wifi_generation": opt_int(fields, "wifi_generation", 4, 8),
        "bands": opt_str(fields, "bands", 20),
        "poe_class": opt_str(fields, "poe_class", 30),
        "max_draw_w": opt_float(fields, "max_draw_w", 0, 5000),
        "max_draw_quality": opt_str(fields, "max_draw_quality", 20),
        "mass_kg": opt_float(fields, "mass_kg", 0, 500),
        "mass_quality": opt_str(fields, "mass_quality", 20),
        "end_of_sale": opt_date(fields, "end_of_sale"),
        "end_of_support": opt_date(fields, "end_of_support"),
        "embodied_kgco2e": opt_float(fields, "embodied_kgco2e", 0, 100_000),
        "embodied_low": opt_float(fields, "embodied_low", 0, 100_000),
        "embodied_high": opt_float(fields, "embodied_high", 0, 100_000),
        "embodied_source": opt_str(fields, "embodied_source"),
        "embodied_quality": opt_str(fields, "embodied_quality", 20),
        "ports": opt_int(fields, "ports", 0, 10_000),
        "poe_budget_w": opt_float(fields, "poe_budget_w", 0, 100_000),
        "spec_source": opt_str(fields, "spec_source"),
        "mgig_ports": opt_int(fields, "mgig_ports", 0, 10_000),
        "stack_max": opt_int(fields, "stack_max", 1, 64),
        "uplink_gbps": opt_float(fields, "uplink_gbps", 0, 1_000),
    }
    qualities = [q.value for q in DataQuality]
    for q in ("max_draw_quality", "mass_quality", "embodied_quality"):
        if values[q] and values[q].lower() not in qualities:
            raise RowError("kind_invalid", value=values[q], kinds=", ".join(qualities))
        values[q] = values[q].lower() if values[q] else None
    low, mid, high = values["embodied_low"], values["embodied_kgco2e"], values["embodied_high"]
    if mid is not None and ((low is not None and low > mid) or (high is not None and high < mid)):
        raise RowError("number_range", field="embodied_kgco2e", value=mid, low=low, high=high)
    values["aliases"] = [a.strip() for a in (fields.get("aliases") or "").split("|") if a.strip()]
    return values


def import_catalog(
    session: Session, path: str | Path, *, rejects_path: str | Path | None = None, lang: str = "en"
) -> RowsResult:
    """Upsert models by name; a model's aliases are replaced by the file's."""
    models = {m.key: m for m in session.scalars(select(EquipmentModel).options(selectinload(EquipmentModel.aliases)))}
    owner = {a.key: m.key for m in models.values() for a in m.aliases}

    def handle(_line: int, fields: dict[str, str], _extras: list[tuple[str, str]]) -> str:
        values = _parse(fields)
        aliases = values.pop("aliases")
        key = values["key"]
        if key in owner and owner[key] != key:
            raise RowError("alias_taken", value=values["model"], model=owner[key])
        for a in aliases:
            akey = key_of(a)
            if akey == key:
                continue
            holder = owner.get(akey) or (akey if akey in models else None)
            if holder is not None and holder != key:
                raise RowError("alias_taken", value=a, model=holder)
        alias_keys = sorted({key_of(a) for a in aliases} - {key})
        m = models.get(key)
        if m is None:
            m = EquipmentModel(**values)
            m.aliases = [ModelAlias(alias=a, key=a) for a in alias_keys]
            session.add(m)
            models[key] = m
            outcome = "created"
        else:
            before = {k: getattr(m, k) for k in values}
            old_aliases = sorted(a.key for a in m.aliases)
            if before == values and old_aliases == alias_keys:
                return "unchanged"
            for k, v in values.items():
                setattr(m, k, v)
            if old_aliases != alias_keys:
                m.aliases = [ModelAlias(alias=a, key=a) for a in alias_keys]
            outcome = "updated"
        for akey in list(owner):
            if owner[akey] == key:
                del owner[akey]
        for a in alias_keys:
            owner[a] = key
        session.flush()
        return outcome

    return import_rows(path, handle, key="model", rejects_path=rejects_path, lang=lang)


def load_default(session: Session) -> RowsResult:
    return import_catalog(session, default_catalog_path())


def list_models(session: Session) -> list[EquipmentModel]:
    return list(
        session.scalars(
            select(EquipmentModel)
            .options(selectinload(EquipmentModel.aliases))
            .order_by(EquipmentModel.vendor, EquipmentModel.model)
        )
    )


def resolve(session: Session, name: str) -> EquipmentModel:
    key = key_of(name)
    m = session.scalar(select(EquipmentModel).where(EquipmentModel.key == key))
    if m is None:
        m = session.scalar(select(EquipmentModel).join(ModelAlias).where(ModelAlias.key == key))
    if m is None:
        raise UnknownModel(model=name)
    return m


def as_dict(m: EquipmentModel) -> dict[str, Any]:
    out: dict[str, Any] = {"vendor": m.vendor, "model": m.model, "kind": m.kind}
    for k in SCALARS:
        v = getattr(m, k)
        out[k] = v.isoformat() if hasattr(v, "isoformat") else v
    out["aliases"] = [a.alias for a in m.aliases]
    return out
