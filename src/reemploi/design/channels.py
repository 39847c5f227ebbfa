"""A channel plan for placed APs: neighbours that hear each other get different channels.

European channels (ETSI): 20 MHz at 2.4 GHz (1, 5, 9, 13), 20 or 40 MHz at 5 GHz
(36-64 and 100-140; outdoors 100-140 only: 5150-5350 MHz is indoor-only), 40 MHz at
6 GHz (5945-6425 MHz, low-power indoor; outdoors very-low-power only). Two APs are
neighbours when either hears the other above ``CCA_DBM`` (the level at which Wi-Fi
defers to another cell); colouring is DSatur (most-constrained AP first), the channels
re-used as far apart as possible. What cannot be separated is reported as co-channel
pairs with the level at which they hear each other.
"""

from __future__ import annotations

import numpy as np

CCA_DBM = -82.0
CHANNELS: dict[tuple[str, int], list[int]] = {
    ("2.4", 20): [1, 5, 9, 13],
    ("5", 20): [36, 40, 44, 48, 52, 56, 60, 64, 100, 104, 108, 112, 116, 120, 124, 128, 132, 136, 140],
    ("5", 40): [38, 46, 54, 62, 102, 110, 118, 126, 134],
    ("6", 40): [3, 11, 19, 27, 35, 43, 51, 59, 67, 75, 83, 91],
}
DEFAULT_WIDTH = {"2.4": 20, "5": 40, "6": 40}
OUTDOOR_5GHZ_FROM = 100  # ETSI EN 301 893: outdoors, 5470-5725 MHz only (channels 100-140)


def plan_channels(hear: np.ndarray, band: str, width: int | None = None,
                  outdoor: np.ndarray | None = None) -> tuple[list[int], list[tuple[int, int, float]]]:  # fmt: skip
    """Channels for APs whose mutual levels are ``hear`` (n × n, dBm; the diagonal ignored).

    ``outdoor`` marks the APs that are outdoors: at 5 GHz they only take channels 100 and up.
    Returns (channel per AP, co-channel pairs (i, j, level dBm) that still hear each other).
    """
    width = width or DEFAULT_WIDTH[band]
    every = CHANNELS[(band, width)]
    outside = [ch for ch in every if ch >= OUTDOOR_5GHZ_FROM] if band == "5" else every
    n = len(hear)
    level = np.maximum(hear, hear.T) if n else hear
    adj = (level >= CCA_DBM) & ~np.eye(n, dtype=bool)
    chosen = [-1] * n
    for _ in range(n):
        # DSatur: the uncoloured AP with the most distinct neighbour channels, then the most neighbours.
        best, key = -1, (-1, -1)
        for i in range(n):
            if chosen[i] >= 0:
                continue
            neigh = np.flatnonzero(adj[i])
            k = (len({chosen[j] for j in neigh if chosen[j] >= 0}), len(neigh))
            if k > key:
                best, key = i, k
        used: dict[int, float] = {}
        for j in np.flatnonzero(adj[best]):
            if chosen[j] >= 0:
                used[chosen[j]] = max(used.get(chosen[j], -1e9), float(level[best, j]))
        channels = outside if outdoor is not None and outdoor[best] else every
        free = [ch for ch in channels if ch not in used]
        if free:
            chosen[best] = free[0]
        else:  # every channel is taken around: the one heard the least
            chosen[best] = min(channels, key=lambda ch: used.get(ch, -1e9))
    pairs = [(i, j, float(level[i, j])) for i in range(n) for j in range(i + 1, n)
             if adj[i, j] and chosen[i] == chosen[j]]  # fmt: skip
    return chosen, pairs
