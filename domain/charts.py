"""What every server-drawn SVG chart shares: its y axis's round, whole ticks."""


def axis_ticks(top: int) -> list[int]:
    """Round values for the y axis: 0, steps of 1, 2 or 5 × 10ⁿ (at most five
    steps), and the top value itself."""
    if top <= 0:
        return [0]
    magnitude = 1
    while True:
        step = next((m * magnitude for m in (1, 2, 5) if top / (m * magnitude) <= 5), None)
        if step is not None:
            break
        magnitude *= 10
    ticks = list(range(0, top + 1, step))
    if ticks[-1] != top:
        if top - ticks[-1] < step / 2:
            ticks.pop()  # too close to the top label to read
        ticks.append(top)
    return ticks
