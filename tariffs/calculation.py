"""The common calculation model (001: "Fælles beregningsmodel og åbenhed om
beregningsgrundlag"): the tariff per unit from a calculation basis, and the
division of a cost among buyers by their use.

Pure functions of Decimal kroner, no database: the tests compute by hand.
"""

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, localcontext

ORE = Decimal("0.01")
HUNDRED = Decimal(100)
MONTHS = 12


def tariff_per_unit(
    *,
    direct: Decimal,
    indirect: Decimal,
    capital: Decimal,
    regulation: Decimal,
    places: int,
    days: int,
    occupancy_percent: Decimal,
    unit: str = "day",
) -> Decimal:
    """The tariff per unit, in kroner with øre, rounded once.

        tariff per day = (direct + indirect + capital ± regulation)
                         ÷ (places × days × occupancy)

    where occupancy is the budgeted occupancy as a fraction (95 % = 0,95) and
    regulation is signed (a deficit carried from earlier years is positive, a
    surplus negative). A tariff per month is the yearly price of an occupied
    place ÷ 12, per year the yearly price of an occupied place:

        per month = (direct + indirect + capital ± regulation) ÷ (places × occupancy × 12)
        per year  = (direct + indirect + capital ± regulation) ÷ (places × occupancy)

    Every step is exact (28 significant digits); only the result is rounded,
    half up to the øre, as the spreadsheets round (ROUND in Excel).
    """
    if places <= 0 or days <= 0 or occupancy_percent <= 0:
        raise ValueError("places, days and occupancy must be positive")
    with localcontext() as context:
        context.prec = 28
        total = direct + indirect + capital + regulation
        occupied_places = Decimal(places) * occupancy_percent / HUNDRED
        if unit == "day":
            divisor = occupied_places * days
        elif unit == "month":
            divisor = occupied_places * MONTHS
        elif unit == "year":
            divisor = occupied_places
        else:
            raise ValueError(f"no tariff per {unit} from a calculation basis")
        return (total / divisor).quantize(ORE, rounding=ROUND_HALF_UP)


def split_by_use(total: Decimal, use: dict) -> dict:
    """Divide `total` kroner among the keys of `use` (contract days per
    municipality) in proportion to their use, in øre that add up exactly.

    The largest-remainder method: each share is first cut down to the øre;
    the øre left over go one each to the shares with the largest remainders
    (ties to the larger use, then to the key's order). A key with no use gets
    nothing. Used for closure costs (003) and the deficit guarantee (001).
    """
    total = Decimal(total).quantize(ORE, rounding=ROUND_HALF_UP)
    if total < 0:
        raise ValueError("a cost to divide cannot be negative")
    weights = {key: int(days) for key, days in use.items() if int(days) > 0}
    whole = sum(weights.values())
    if whole == 0:
        raise ValueError("nobody used the offer: there is nothing to divide by")
    total_ore = int(total / ORE)
    shares: dict = {}
    remainders = []
    for position, (key, days) in enumerate(weights.items()):
        exact = Decimal(total_ore) * days / whole
        floor = int(exact.to_integral_value(rounding=ROUND_DOWN))
        shares[key] = floor
        remainders.append((exact - floor, days, -position, key))
    left = total_ore - sum(shares.values())
    for _remainder, _days, _position, key in sorted(remainders, reverse=True)[:left]:
        shares[key] += 1
    return {key: Decimal(ore) * ORE for key, ore in shares.items()}
