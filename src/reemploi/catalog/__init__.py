"""Equipment models: what a device is, its power, mass, support dates and embodied impact."""
