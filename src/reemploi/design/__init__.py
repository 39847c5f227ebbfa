"""Site design, one building at a time: floor plans, materials and radios, predicted coverage,
AP placement, channel plan, survey calibration and heatmaps.

The package takes plain values (a building's plan, the models it may place and how many
are in stock) and returns plain values; it never reads the inventory. ``plan`` is the
one model every floor-plan reader fills; ``propagation`` the numeric kernel;
``placement`` the optimiser; ``service`` stores plans and designs for a site.
"""
