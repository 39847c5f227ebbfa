"""The Paris 2024 -> La Poste scenario, generated from facts and a seed."""
