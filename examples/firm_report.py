"""A firm's listings, the actions on it and its products, and its exposure to laws.

Run: python examples/firm_report.py "Full Truck Alliance"
"""

import sys

import graph


def report(name: str) -> str:
    store = graph.open_store()
    firm = graph.describe(store, name)
    lines = [f"{firm.label} ({firm.curie})"]
    for event in firm.events:
        when = min(event.dates.values()) if event.dates else "undated"
        kind = ", ".join(event.classes)
        via = f" on {event.via}" if event.via else ""
        lines.append(f"  {when}  {kind}{via}: {event.label}")
    exposure = graph.exposure(store, name)
    lines.append("Laws it is exposed to:")
    for item in exposure.items:
        if item.kind == "law":
            lines.append(f"  {item.entity.label} ({item.route}, {item.path.hops} hops)")
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(sys.argv[1] if len(sys.argv) > 1 else "Full Truck Alliance"))
