"""reemploi: second life for network equipment after a temporary deployment."""

__version__ = "0.1.0"
