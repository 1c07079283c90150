"""Tables on stdout, a Markdown summary and SVG bar charts (plain Python) under bench/results/."""

from html import escape

WIDTH, BAR_AREA, ROW = 760, 470, 26
COLOURS = ("#4878a8", "#e0a040", "#6aa86a", "#b85450")


def fmt(value, digits=2):
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def table(title, headers, rows):
    """Fixed-width text table and the same as Markdown."""
    cells = [[fmt(cell) for cell in row] for row in rows]
    widths = [max(len(str(h)), *(len(row[i]) for row in cells)) for i, h in enumerate(headers)]
    line = "  ".join(str(h).ljust(w) for h, w in zip(headers, widths, strict=True))
    text = [f"\n{title}", line, "  ".join("-" * w for w in widths)]
    text += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    markdown = [
        f"**{title}**",
        "",
        "| " + " | ".join(map(str, headers)) + " |",
        "|" + "|".join(" --- " for _ in headers) + "|",
    ]
    markdown += ["| " + " | ".join(row) + " |" for row in cells]
    return "\n".join(text), "\n".join(markdown)


def bar_chart(path, title, unit, groups, series):
    """Horizontal grouped bars: `groups` labels, `series` [(name, [value per group])]."""
    top = 60
    height = top + len(groups) * (len(series) * ROW + 14) + 40
    peak = max((v for _name, values in series for v in values if v), default=1) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        'font-family="sans-serif" font-size="12">',
        f'<rect width="{WIDTH}" height="{height}" fill="white"/>',
        f'<text x="10" y="22" font-size="15" font-weight="bold">{escape(title)}</text>',
    ]
    for i, (name, _values) in enumerate(series):
        x = 10 + i * 190
        parts.append(f'<rect x="{x}" y="34" width="12" height="12" fill="{COLOURS[i % len(COLOURS)]}"/>')
        parts.append(f'<text x="{x + 16}" y="45">{escape(name)}</text>')
    y = top
    for g, group in enumerate(groups):
        parts.append(f'<text x="10" y="{y + 16}">{escape(group)}</text>')
        for i, (_name, values) in enumerate(series):
            value = values[g] or 0
            width = max(1, BAR_AREA * value / peak)
            parts.append(
                f'<rect x="200" y="{y}" width="{width:.1f}" height="{ROW - 6}" '
                f'fill="{COLOURS[i % len(COLOURS)]}"/>'
            )
            parts.append(f'<text x="{206 + width:.1f}" y="{y + 15}">{value:.2f} {escape(unit)}</text>')
            y += ROW
        y += 14
    parts.append("</svg>")
    path.write_text("\n".join(parts))
