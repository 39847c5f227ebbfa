"""Devices, locations and lots; imports and exports."""
