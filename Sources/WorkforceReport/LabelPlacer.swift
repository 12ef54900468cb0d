/// Places chart labels where nothing else is: each label takes the first of its candidate
/// positions whose estimated box overlaps no label already placed and is crossed by no line
/// registered to avoid. `scripts/check-report` measures the rendered boxes in Chromium with the
/// same rule, so a page that passes here passes there unless the width estimate is off.
///
/// Widths are estimated at 0.58 em a character (0.62 em bold), which is at or above the
/// average advance of DejaVu Sans and Liberation Sans for the digits, letters and signs the
/// report prints. Cost: O(labels × (labels + segments)) per chart, a few hundred at most.
struct LabelPlacer {
    struct Box {
        var left, top, right, bottom: Double

        func overlaps(_ other: Box) -> Bool {
            min(right, other.right) - max(left, other.left) > 0 && min(bottom, other.bottom) - max(top, other.top) > 0
        }

        /// Whether the segment from `p` to `q` passes through the box (Liang–Barsky clipping).
        func crossed(by p: (Double, Double), _ q: (Double, Double)) -> Bool {
            var t0 = 0.0, t1 = 1.0
            let dx = q.0 - p.0, dy = q.1 - p.1
            for (pp, qq) in [(-dx, p.0 - left), (dx, right - p.0), (-dy, p.1 - top), (dy, bottom - p.1)] {
                if pp == 0 {
                    if qq < 0 { return false }
                    continue
                }
                let t = qq / pp
                if pp < 0 {
                    if t > t1 { return false }
                    t0 = max(t0, t)
                } else {
                    if t < t0 { return false }
                    t1 = min(t1, t)
                }
            }
            return true
        }
    }

    /// A place for a label: its text position (the baseline point) and anchor.
    struct Spot {
        var x: Double
        var y: Double
        var anchor: SVG.Anchor
    }

    private(set) var placed: [Box] = []
    private var segments: [((Double, Double), (Double, Double))] = []

    /// The box a label would take: from 0.8 em above the baseline to 0.1 em below it (the inked
    /// part of the line box, as the check measures it), with a margin of 2 units at the sides and
    /// 1 at top and bottom.
    static func box(_ text: String, at spot: Spot, size: Double, bold: Bool = false) -> Box {
        let width = Double(text.count) * size * (bold ? 0.62 : 0.58)
        let left: Double
        switch spot.anchor {
        case .start: left = spot.x
        case .middle: left = spot.x - width / 2
        case .end: left = spot.x - width
        }
        return Box(left: left - 2, top: spot.y - size * 0.8 - 1, right: left + width + 2, bottom: spot.y + size * 0.1 + 1)
    }

    /// Lines to keep labels off: every segment of a polyline, in the chart's units.
    mutating func avoid(_ points: [(Double, Double)]) {
        for i in points.indices.dropLast() { segments.append((points[i], points[i + 1])) }
    }

    /// Something already drawn (another label, a legend) that labels must not cover.
    mutating func occupy(_ box: Box) { placed.append(box) }

    /// The first candidate that collides with nothing, else the one crossing the fewest things;
    /// the label's box is then occupied.
    mutating func place(_ text: String, size: Double, bold: Bool = false, candidates: [Spot]) -> Spot {
        precondition(!candidates.isEmpty, "a label needs at least one candidate position")
        var best = candidates[0], fewest = Int.max
        for spot in candidates {
            let box = Self.box(text, at: spot, size: size, bold: bold)
            let conflicts = placed.filter { $0.overlaps(box) }.count + segments.filter { box.crossed(by: $0.0, $0.1) }.count
            if conflicts < fewest {
                best = spot
                fewest = conflicts
                if conflicts == 0 { break }
            }
        }
        placed.append(Self.box(text, at: best, size: size, bold: bold))
        return best
    }
}
