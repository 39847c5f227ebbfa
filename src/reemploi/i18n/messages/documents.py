"""Printed documents: the sanitization certificate and the labels."""

from reemploi.i18n.registry import M

M("certificate.title", "Data sanitization certificate")
M("certificate.lot", "Lot")
M("certificate.origin", "Origin")
M("certificate.generated", "Generated (UTC)")
M("certificate.software", "Software")
M("certificate.devices", "Devices")
M("certificate.count_passed", "Sanitization passed")
M("certificate.count_failed", "Sanitization failed")
M("certificate.count_missing", "No sanitization recorded")
M("certificate.serial", "Serial")
M("certificate.model", "Model")
M("certificate.method", "Method")
M("certificate.result", "Result")
M("certificate.operator", "Operator")
M("certificate.verifier", "Verifier")
M("certificate.time", "Time (UTC)")
M("certificate.digest", "SHA-256 digest of the records")
M("certificate.page", "page")
M("certificate.pass", "passed")
M("certificate.fail", "failed")
M("certificate.missing", "missing")
M(
    "certificate.intro",
    "This document lists every device of the lot and the last sanitization recorded for it (method, "
    "result, operator, verifier, time).",
)
M("label.model", "Model")
M("label.grade", "Grade")
M("label.asset_tag", "Asset tag")
M("label.lot", "Lot")
M("label.devices", "Devices")
M("label.origin", "Origin")
M("label.site", "Site")
M("label.floor_closet", "Floor · telecom room")
M("label.serial_model", "Device")
M("label.title", "reemploi labels")
