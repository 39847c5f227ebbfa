"""Imports every table so that ``Base.metadata`` is complete (Alembic, tests)."""

from reemploi.accounts.models import ApiToken, User
from reemploi.catalog.models import EquipmentModel, ModelAlias
from reemploi.db import Base
from reemploi.design.models import Calibration, FloorPlanRecord, SiteAp, SiteDesign, SurveyPoint
from reemploi.inventory.models import Device, Location, Lot, UnmatchedScan
from reemploi.jobs.models import JobFile, JobRecord
from reemploi.planning.models import NeedOverride, Plan, PlanDevice, Shipment, Site, Zone
from reemploi.refurb.models import Disposal, FirmwareUpgrade, Repair, Sanitization, TestRecord
from reemploi.settings.models import Setting
from reemploi.workflow.models import AuditEvent, AuditHead

__all__ = [
    "Base", "EquipmentModel", "ModelAlias", "Device", "Location", "Lot", "UnmatchedScan", "AuditEvent", "AuditHead",
    "TestRecord", "Repair", "Sanitization", "FirmwareUpgrade", "Disposal", "Setting", "Site", "Zone", "NeedOverride",
    "Plan", "PlanDevice", "Shipment", "User", "ApiToken", "JobRecord", "JobFile", "FloorPlanRecord", "SiteAp",
    "SurveyPoint", "SiteDesign", "Calibration",
]  # fmt: skip
