"""Destination sites, their zones, and the Wi-Fi needs computed from them."""
