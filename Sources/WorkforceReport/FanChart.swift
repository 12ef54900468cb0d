import Workforce

/// Fan charts: a quantity over time with its 50% and 90% intervals over replications, the
/// median, the starting point and the targets set for it. One fan per chart in a scenario's
/// report; several (one per scenario) overlaid on a comparison page.
enum FanChart {
    /// One fan: a name for the legend, a colour, and the quantiles at each projection date.
    struct Fan {
        var name: String
        var colour: String
        var points: [(date: Month, stats: Stats)]
    }

    /// A target drawn as a diamond at its date and threshold.
    struct Mark {
        var date: Month
        var threshold: Figure
        /// "≥ 21% by Dec 2024".
        var label: String
    }

    /// Whether the quantity is a share (drawn and labelled as a percentage) or a headcount.
    enum Kind { case share, headcount }

    static let width = 720.0

    /// The chart. `measure` names the quantity with its unit, e.g. "BAME share of all officers (%)";
    /// `plotHeight` is the plot area's height in SVG units (the one-page summary draws it lower).
    static func chart(id: String, title: String, measure: String, kind: Kind, fans: [Fan], marks: [Mark], plotHeight: Double = 214) -> Chart {
        let overlay = fans.count > 1
        let dates = fans.flatMap { $0.points.map(\.date) }
        let start = dates.min() ?? Month(index: 0), end = dates.max() ?? Month(index: 12)
        let keys = legendKeys(fans: fans, overlay: overlay, hasTargets: !marks.isEmpty)
        let legend = legendLayout(keys)
        let plot = PlotArea(left: 64, top: legend.bottom + (overlay ? 30 : 20), width: width - 64 - 140, height: plotHeight)
        let x = Scale(domain: (Double(start.index), Double(max(end.index, start.index + 1))), range: (plot.left, plot.right))
        let highest = (fans.flatMap { $0.points.map(\.stats.p95.value) } + marks.map(\.threshold.value)).filter(\.isFinite).max() ?? 0
        let ticks = Ticks.fromZero(highest * 1.04, count: 5)
        let y = Scale(domain: (0, ticks.last!), range: (plot.bottom, plot.top))
        func text(_ f: Figure) -> String { kind == .share ? f.percent : f.count }

        var svg = SVG(width: width, height: plot.bottom + 50)
        for (key, position) in zip(keys, legend.positions) {
            key.swatch(&svg, position.x, position.y)
            svg.text(position.x + 22, position.y + 9, key.label, size: 11)
        }
        if overlay { svg.text(64, legend.bottom + 14, "Line: median; shaded: 50% interval; dashed: 90% interval.", size: 10, fill: "#333333") }
        plot.yAxis(&svg, ticks: ticks, scale: y, percent: kind == .share, title: measure)
        plot.timeAxis(&svg, months: Ticks.anniversaries(from: start, to: end), scale: x, title: "Date (as at the end of the month)")

        // Labels go where no line runs: the fans' lines and the axes are registered first.
        var placer = LabelPlacer()
        placer.avoid([(plot.left, plot.top), (plot.left, plot.bottom), (plot.right, plot.bottom)])
        for fan in fans {
            let points = fan.points.filter { $0.stats.p5.value.isFinite && $0.stats.p95.value.isFinite }
            func line(_ q: KeyPath<Stats, Figure>) -> [(Double, Double)] {
                points.map { (x(Double($0.date.index)), y($0.stats[keyPath: q].value)) }
            }
            if overlay {
                svg.polygon(line(\.p25) + line(\.p75).reversed(), fill: fan.colour, opacity: 0.22)
                svg.polyline(line(\.p5), stroke: fan.colour, width: 1, dash: "4 3")
                svg.polyline(line(\.p95), stroke: fan.colour, width: 1, dash: "4 3")
                placer.avoid(line(\.p5))
                placer.avoid(line(\.p95))
            } else {
                svg.polygon(line(\.p5) + line(\.p95).reversed(), fill: fan.colour, opacity: 0.2)
                svg.polygon(line(\.p25) + line(\.p75).reversed(), fill: fan.colour, opacity: 0.38)
            }
            svg.polyline(line(\.p50), stroke: fan.colour, width: 2.2)
            placer.avoid(line(\.p50))
        }

        // The starting point (the published position the run starts from), once when the fans share it.
        let starts = fans.compactMap { fan in fan.points.first.map { (fan, $0) } }
        let distinctStarts = Set(starts.map { $0.1.stats.p50.text })
        for (fan, first) in starts.prefix(distinctStarts.count == 1 ? 1 : starts.count) {
            let px = x(Double(first.date.index)), py = y(first.stats.p50.value)
            guard py.isFinite else { continue }
            svg.circle(px, py, 4.5, fill: Palette.black)
            placer.occupy(LabelPlacer.Box(left: px - 5.5, top: py - 5.5, right: px + 5.5, bottom: py + 5.5))
            let label = "\(Dates.long(first.date)): \(text(first.stats.p50))"
            let spot = placer.place(label, size: svg.fontSize(11), candidates: [
                .init(x: px + 8, y: py + 17, anchor: .start), .init(x: px + 8, y: py - 9, anchor: .start),
                .init(x: px + 8, y: py + 31, anchor: .start), .init(x: px + 8, y: py - 23, anchor: .start),
            ])
            svg.text(spot.x, spot.y, label, anchor: spot.anchor, size: 11, fill: distinctStarts.count == 1 ? Palette.black : fan.colour, halo: true)
        }

        // Every diamond first, so that no label is placed where a later diamond goes.
        let drawn = marks.filter(\.threshold.value.isFinite)
        for mark in drawn {
            let px = x(Double(mark.date.index)), py = y(mark.threshold.value)
            svg.diamond(px, py, 6, fill: Palette.vermillion)
            placer.occupy(LabelPlacer.Box(left: px - 7, top: py - 7, right: px + 7, bottom: py + 7))
        }
        for mark in drawn {
            let px = x(Double(mark.date.index)), py = y(mark.threshold.value)
            let anchor: SVG.Anchor = px > plot.right - 70 ? .end : (px < plot.left + 70 ? .start : .middle)
            // Above or below the diamond, then further out, then beside it.
            let spot = placer.place(mark.label, size: svg.fontSize(11), bold: true, candidates: [
                .init(x: px, y: py - 10, anchor: anchor), .init(x: px, y: py + 20, anchor: anchor),
                .init(x: px, y: py - 24, anchor: anchor), .init(x: px, y: py + 34, anchor: anchor),
                .init(x: px, y: py - 38, anchor: anchor), .init(x: px, y: py + 48, anchor: anchor),
                .init(x: px - 10, y: py + 4, anchor: .end), .init(x: px + 10, y: py + 4, anchor: .start),
            ])
            svg.text(spot.x, spot.y, mark.label, anchor: spot.anchor, size: 11, weight: "bold", fill: Palette.vermillion, halo: true)
        }

        // The median at the last date, at the right edge (spread apart so labels never overlap).
        var labels: [(y: Double, lines: [String], colour: String)] = []
        for fan in fans {
            guard let last = fan.points.last, last.stats.p50.value.isFinite else { continue }
            let lines = overlay
                ? [text(last.stats.p50)]
                : ["median \(text(last.stats.p50))", "90% interval", "\(text(last.stats.p5))–\(text(last.stats.p95))"]
            labels.append((y(last.stats.p50.value), lines, fan.colour))
        }
        labels.sort { $0.y < $1.y }
        let lineHeight = svg.fontSize(11) + 2
        var floor = plot.top
        for label in labels {
            let top = max(label.y - 4, floor)
            for (i, line) in label.lines.enumerated() {
                svg.text(plot.right + 6, top + 4 + Double(i) * lineHeight, line, size: 11, fill: label.colour)
            }
            floor = top + Double(label.lines.count) * lineHeight + 2
        }

        let description = describe(title: title, kind: kind, fans: fans, marks: marks, text: text)
        return Chart(
            id: id, title: title, description: description,
            svg: svg.render(id: id, title: title, description: description),
            tables: fans.map { table($0, measure: measure, overlay: overlay, text: text) })
    }

    /// A legend entry: its label and how to draw its swatch (16 × 10 units, top-left given).
    private typealias Key = (label: String, swatch: (inout SVG, Double, Double) -> Void)

    private static func legendKeys(fans: [Fan], overlay: Bool, hasTargets: Bool) -> [Key] {
        var keys: [Key] = []
        if overlay {
            for fan in fans {
                keys.append((fan.name, { svg, x, y in
                    svg.rect(x, y, 16, 10, fill: fan.colour, opacity: 0.22)
                    svg.line(x, y + 5, x + 16, y + 5, stroke: fan.colour, width: 2.2)
                }))
            }
        } else if let fan = fans.first {
            keys.append(("90% interval", { svg, x, y in svg.rect(x, y, 16, 10, fill: fan.colour, opacity: 0.2) }))
            keys.append(("50% interval", { svg, x, y in svg.rect(x, y, 16, 10, fill: fan.colour, opacity: 0.58) }))
            keys.append(("median", { svg, x, y in svg.line(x, y + 5, x + 16, y + 5, stroke: fan.colour, width: 2.2) }))
        }
        keys.append(("starting point", { svg, x, y in svg.circle(x + 8, y + 5, 4.5, fill: Palette.black) }))
        if hasTargets { keys.append(("target", { svg, x, y in svg.diamond(x + 8, y + 5, 6, fill: Palette.vermillion) })) }
        return keys
    }

    /// Lays the keys out in rows from (64, 8), wrapping before the right edge; returns each key's
    /// position and the bottom of the last row.
    private static func legendLayout(_ keys: [Key]) -> (positions: [(x: Double, y: Double)], bottom: Double) {
        var x = 64.0, y = 8.0
        var positions: [(x: Double, y: Double)] = []
        for key in keys {
            let w = 22 + Double(key.label.count) * max(11, SVG.minimumFontSize(width: width)) * 0.58 + 18
            if x + w > width - 8 && x > 64 {
                x = 64
                y += 17
            }
            positions.append((x, y))
            x += w
        }
        return (positions, y + 12)
    }

    private static func describe(title: String, kind: Kind, fans: [Fan], marks: [Mark], text: (Figure) -> String) -> String {
        var parts = ["\(title)."]
        for fan in fans {
            guard let first = fan.points.first, let last = fan.points.last else { continue }
            let who = fans.count > 1 ? "\(fan.name): " : ""
            parts.append(
                "\(who)\(text(first.stats.p50)) at \(Dates.long(first.date)); median \(text(last.stats.p50)) at \(Dates.long(last.date)) "
                    + "(\(Figure.intervalWords(low: text(last.stats.p5), high: text(last.stats.p95)))).")
        }
        if !marks.isEmpty { parts.append("Targets: " + marks.map(\.label).joined(separator: "; ") + ".") }
        return parts.joined(separator: " ")
    }

    private static func table(_ fan: Fan, measure: String, overlay: Bool, text: (Figure) -> String) -> Table {
        Table(
            caption: (overlay ? "\(fan.name): " : "") + measure,
            header: ["date", "p5", "p25", "median", "p75", "p95"],
            rows: fan.points.map { p in [p.date.description] + [p.stats.p5, p.stats.p25, p.stats.p50, p.stats.p75, p.stats.p95].map(text) },
            numeric: [1, 2, 3, 4, 5])
    }
}
