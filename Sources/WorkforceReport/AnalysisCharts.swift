/// Charts of the analysis results: the tornado of a sensitivity analysis, the attribution
/// waterfall and the sweep heat map.
enum AnalysisCharts {
    /// The most inputs a tornado shows (the largest effects).
    static let tornadoRows = 12

    /// For one target: each input's effect on the target's mean measure, largest swing first;
    /// the bars run from no change (zero) to the change with the input low (upper half) and high
    /// (lower half), in percentage points.
    static func tornado(_ s: Sensitivity, target: String, id: String) -> Chart {
        let all = s.rows.filter { $0.target == target }
        let rows = all.sorted { $0.swing > $1.swing }.prefix(tornadoRows)
        let base = rows.first?.baseline ?? Figure("NA")
        let changes = rows.flatMap { [$0.lowEffect.value, $0.highEffect.value] }.filter(\.isFinite)
        // A fifth more room than the longest bar each way, for the labels at the bars' ends.
        let ticks = Ticks.covering((changes.min() ?? 0) * 1.2, (changes.max() ?? 0) * 1.2, count: 6)
        // Each input a row of two bars, each tall enough for its label at the printed minimum size.
        let rowHeight = 40.0
        let plot = PlotArea(left: 300, top: 50, width: 320, height: rowHeight * Double(max(1, rows.count)))
        let x = Scale(domain: (ticks.first!, ticks.last!), range: (plot.left, plot.right))
        var svg = SVG(width: 720, height: plot.bottom + 52)
        svg.rect(0, 6, 12, 10, fill: Palette.blue)
        svg.text(16, 15, "input at its low value", size: 11)
        svg.rect(170, 6, 12, 10, fill: Palette.orange)
        svg.text(186, 15, "input at its high value", size: 11)
        svg.text(plot.left, 38, "Baseline: \(base.percent) (mean at the target date)", size: 11)
        let step = ticks.count > 1 ? ticks[1] - ticks[0] : 1
        for t in ticks {
            svg.line(x(t), plot.top, x(t), plot.bottom, stroke: abs(t) < 1e-12 ? "#333333" : "#DDDDDD", width: abs(t) < 1e-12 ? 1.2 : 0.8)
            svg.text(x(t), plot.bottom + 15, Ticks.label(t, step: step, percent: true, signed: true), anchor: .middle, size: 10)
        }
        svg.text(plot.left + plot.width / 2, plot.bottom + 32, "change in the target's mean measure (percentage points)", anchor: .middle, size: 11)
        for (i, row) in rows.enumerated() {
            let top = plot.top + Double(i) * rowHeight
            // The input in words on up to three lines (as many characters a line as fit left of
            // the plot at the text's size), so its subject ("BAME share of recruits …") is kept.
            let size = svg.fontSize(10.5)
            // checked: plot.left is a fixed margin of the 720-unit chart and size is at least 10.5, so a small finite number
            let lines = wrap(row.parameter, width: Int((plot.left - 14) / (0.58 * size)), lines: 3)
            for (k, line) in lines.enumerated() {
                let y = top + rowHeight / 2 + size * 0.35 + (Double(k) - Double(lines.count - 1) / 2) * (size + 0.5)
                svg.text(plot.left - 8, y, line, anchor: .end, size: size)
            }
            for (half, effect, colour) in [(0.0, row.lowEffect, Palette.blue), (1.0, row.highEffect, Palette.orange)] where effect.value.isFinite {
                let a = x(0), b = x(effect.value)
                let y = top + 3 + half * (rowHeight / 2 - 3)
                svg.rect(min(a, b), y, abs(b - a), rowHeight / 2 - 3, fill: colour)
                // Beyond the bar's end; on the other side of zero when that would reach the input names.
                let label = effect.points
                let middle = y + (rowHeight / 2 - 3) / 2 + svg.fontSize(9) * 0.35
                let outside = LabelPlacer.Spot(x: effect.value < 0 ? min(a, b) - 3 : max(a, b) + 3, y: middle, anchor: effect.value < 0 ? .end : .start)
                let clear = LabelPlacer.box(label, at: outside, size: svg.fontSize(9)).left >= plot.left
                let spot = clear ? outside : LabelPlacer.Spot(x: a + 3, y: middle, anchor: .start)
                svg.text(spot.x, spot.y, label, anchor: spot.anchor, size: 9)
            }
        }
        let title = "Sensitivity: \(target)"
        let description = "Tornado chart for \(target): the \(rows.count) inputs with the largest swing in the mean measure at the target date (baseline \(base.percent)). "
            + rows.prefix(3).map { "\($0.parameter): \($0.lowEffect.points) (low), \($0.highEffect.points) (high)" }.joined(separator: "; ") + "."
        let table = Table(
            caption: "sensitivity: \(target) (baseline \(base.percent))",
            header: ["input", "low value", "high value", "change, low", "change, high", "chance met, low", "chance met, high"],
            rows: all.map { r in
                [r.parameter, r.lowValue.plain, r.highValue.plain, r.lowEffect.points, r.highEffect.points,
                 r.lowProbability?.percent ?? "", r.highProbability?.percent ?? ""]
            },
            numeric: [1, 2, 3, 4, 5, 6])
        return Chart(id: id, title: title, description: description, svg: svg.render(id: id, title: title, description: description), tables: [table])
    }

    /// For one target: the level at the start, each piece of the change (its Shapley part) as a
    /// floating bar (up blue, down vermillion), and the level at the target date (start + total);
    /// `threshold` as a dashed line.
    static func waterfall(target: String, start: Figure, parts: [Attribution.Part], threshold: Figure?, id: String) -> Chart {
        let pieces = parts.filter { $0.component != "total" && $0.shapley.value.isFinite }
        let total = parts.first { $0.component == "total" }
        var bars: [(name: String, from: Double, to: Double, label: String, level: Bool)] = []
        var running = start.value.isFinite ? start.value : 0
        bars.append(("start", 0, running, start.percent, true))
        for piece in pieces {
            bars.append((piece.component, running, running + piece.shapley.value, piece.shapley.points, false))
            running += piece.shapley.value
        }
        if let total, total.shapley.value.isFinite, start.value.isFinite {
            bars.append(("end", 0, start.value + total.shapley.value, "total \(total.shapley.points)", true))
        }
        let values = bars.flatMap { [$0.from, $0.to] } + [threshold?.value ?? 0].filter(\.isFinite)
        let ticks = (values.min() ?? 0) < 0 ? Ticks.covering(values.min() ?? 0, values.max() ?? 0, count: 5) : Ticks.fromZero((values.max() ?? 0) * 1.08, count: 5)
        let plot = PlotArea(left: 64, top: 30, width: 600, height: 220)
        let y = Scale(domain: (ticks.first!, ticks.last!), range: (plot.bottom, plot.top))
        var svg = SVG(width: 720, height: plot.bottom + 56)
        plot.yAxis(&svg, ticks: ticks, scale: y, percent: true, title: "target measure (%)")
        let slot = plot.width / Double(max(1, bars.count))
        // Bars and lines first; then the labels, each where no line or other label is.
        var placer = LabelPlacer()
        for (i, bar) in bars.enumerated() {
            let left = plot.left + Double(i) * slot + slot * 0.18
            let colour = bar.level ? Palette.grey : (bar.to >= bar.from ? Palette.blue : Palette.vermillion)
            svg.rect(left, y(max(bar.from, bar.to)), slot * 0.64, abs(y(bar.from) - y(bar.to)), fill: colour)
            placer.occupy(LabelPlacer.Box(left: left, top: y(max(bar.from, bar.to)), right: left + slot * 0.64, bottom: y(min(bar.from, bar.to))))
            svg.text(left + slot * 0.32, plot.bottom + 16, bar.name, anchor: .middle, size: 11)
            placer.occupy(LabelPlacer.box(bar.name, at: .init(x: left + slot * 0.32, y: plot.bottom + 16, anchor: .middle), size: svg.fontSize(11)))
            if i + 1 < bars.count {
                svg.line(left + slot * 0.64, y(bar.to), left + slot + slot * 0.18, y(bar.to), stroke: "#777777", width: 0.8, dash: "2 2")
                placer.avoid([(left + slot * 0.64, y(bar.to)), (left + slot + slot * 0.18, y(bar.to))])
            }
        }
        let thresholdLabel = threshold.flatMap { $0.value.isFinite ? "target \($0.exactPercent)" : nil }
        if let threshold, thresholdLabel != nil {
            svg.line(plot.left, y(threshold.value), plot.right, y(threshold.value), stroke: Palette.black, width: 1, dash: "6 4")
            placer.avoid([(plot.left, y(threshold.value)), (plot.right, y(threshold.value))])
        }
        for (i, bar) in bars.enumerated() {
            let centre = plot.left + Double(i) * slot + slot * 0.5
            let top = y(max(bar.from, bar.to)), bottom = y(min(bar.from, bar.to))
            let spot = placer.place(bar.label, size: svg.fontSize(10.5), candidates: [
                .init(x: centre, y: top - 4, anchor: .middle), .init(x: centre, y: top - 18, anchor: .middle),
                .init(x: centre, y: bottom + 13, anchor: .middle), .init(x: centre, y: top - 32, anchor: .middle),
                .init(x: centre, y: bottom + 27, anchor: .middle),
            ])
            svg.text(spot.x, spot.y, bar.label, anchor: spot.anchor, size: 10.5, halo: true)
        }
        if let threshold, let thresholdLabel {
            let ty = y(threshold.value)
            let spot = placer.place(thresholdLabel, size: svg.fontSize(11), candidates: [
                .init(x: plot.left + 4, y: ty - 4, anchor: .start), .init(x: plot.left + 4, y: ty + 13, anchor: .start),
                .init(x: plot.right - 4, y: ty - 4, anchor: .end), .init(x: plot.right - 4, y: ty + 13, anchor: .end),
            ] + bars.indices.map { .init(x: plot.left + Double($0) * slot + 4, y: ty - 4, anchor: .start) })
            svg.text(spot.x, spot.y, thresholdLabel, anchor: spot.anchor, size: 11, halo: true)
        }
        svg.text(plot.left + plot.width / 2, plot.bottom + 38, "levels (grey) and each flow's share of the change (blue up, vermillion down), means over replications", anchor: .middle, size: 11)
        let title = "Attribution: \(target)"
        let description = "Waterfall for \(target): \(start.percent) at the start; " + pieces.map { "\($0.component) \($0.shapley.points)" }.joined(separator: ", ")
            + (total.map { "; total \($0.shapley.points)." } ?? ".")
        let table = Table(
            caption: "attribution.csv: \(target) (start \(start.percent))",
            header: ["component", "share of the change (mean)", "p5", "p95", "one at a time (mean)"],
            rows: parts.map { [$0.component, $0.shapley.points, $0.p5?.points ?? "", $0.p95?.points ?? "", $0.oneAtATime?.points ?? ""] },
            numeric: [1, 2, 3, 4])
        return Chart(id: id, title: title, description: description, svg: svg.render(id: id, title: title, description: description), tables: [table])
    }

    /// One sentence per part of an attribution, in words a board member can follow, ending with
    /// the total as their sum.
    static func attributionSentences(_ parts: [Attribution.Part]) -> [String] {
        let meaning = [
            "recruitment": "who is recruited, against recruiting in the make-up of the whole workforce at the start",
            "leaving": "groups leaving at different rates, against every group leaving at the same rate for its rank and service",
            "promotion": "groups promoted at different odds, against equal odds for every group",
            "transfers_out": "groups transferring to other forces at different rates, against every group transferring at the same rate for its rank and service",
            "structure": "the change there would be with no group differences in any flow, because groups start with different ranks and years of service (groups with shorter service, for example, retire less)",
        ]
        var sentences: [String] = []
        for part in parts where part.shapley.value.isFinite && part.component != "total" {
            guard let words = meaning[part.component] else { continue }
            let name = String(part.component.map { $0 == "_" ? " " : $0 })
            sentences.append("\(name.prefix(1).uppercased() + name.dropFirst()) \(part.shapley.points): \(words).")
        }
        if let total = parts.first(where: { $0.component == "total" }), total.shapley.value.isFinite {
            sentences.append(
                "Total \(total.shapley.points): the \(sentences.count) parts above add up to it exactly. Each flow's part is its effect averaged over "
                    + "the orders in which the flows' differences can be added, so what they do together is shared out between them rather than left over.")
        }
        return sentences
    }

    /// For one target: the chance it is met at each point of a one- or two-input sweep grid.
    /// Fails, saying why, when the sweep is not such a grid.
    static func heatMap(_ sweep: Sweep, target: String, id: String) -> Result<Chart, SkipReason> {
        guard sweep.parameters.count <= 2 else {
            return .failure(SkipReason("the sweep varies \(sweep.parameters.count) inputs; a heat map shows one or two"))
        }
        let points = sweep.points.filter { $0.target == target }
        func distinct(_ i: Int) -> [Figure] {
            points.map { $0.values[i] }.uniqued().sorted { ($0.value, $0.text) < ($1.value, $1.text) }
        }
        let xs = distinct(0), ys = sweep.parameters.count == 2 ? distinct(1) : []
        guard xs.count * max(1, ys.count) <= 4 * points.count, xs.count <= 40, ys.count <= 40 else {
            return .failure(SkipReason("the sweep's points are not on a grid (e.g. Latin hypercube samples); see sweep.csv"))
        }
        var cells: [String: Figure] = [:]
        for p in points { cells[p.values.map(\.text).joined(separator: "\u{1}")] = p.probability }
        func cell(_ x: Figure, _ y: Figure?) -> Figure? { cells[([x] + (y.map { [$0] } ?? [])).map(\.text).joined(separator: "\u{1}")] }

        let rows = ys.isEmpty ? [nil] : ys.reversed().map { Optional($0) }
        let cellWidth = min(64, 500 / Double(xs.count)), cellHeight = min(34, 300 / Double(rows.count))
        let plot = PlotArea(left: 130, top: ys.isEmpty ? 8 : 30, width: cellWidth * Double(xs.count), height: cellHeight * Double(rows.count))
        var svg = SVG(width: 720, height: max(plot.bottom + 44, plot.top + 164))
        for (j, yValue) in rows.enumerated() {
            if let yValue { svg.text(plot.left - 6, plot.top + (Double(j) + 0.5) * cellHeight + 4, yValue.plain, anchor: .end, size: 10) }
            for (i, xValue) in xs.enumerated() {
                let left = plot.left + Double(i) * cellWidth, top = plot.top + Double(j) * cellHeight
                guard let p = cell(xValue, yValue) else {
                    svg.rect(left, top, cellWidth, cellHeight, fill: "#FFFFFF", stroke: "#CCCCCC")
                    continue
                }
                svg.rect(left, top, cellWidth, cellHeight, fill: Palette.sequential(p.value), stroke: "#FFFFFF")
                if cellWidth >= 34 && cellHeight >= 14 {
                    svg.text(left + cellWidth / 2, top + cellHeight / 2 + 4, p.percent, anchor: .middle, size: 9.5, fill: Palette.textOnSequential(p.value))
                }
            }
        }
        let labelEvery = max(1, Int((44 / cellWidth).rounded(.up)))
        for (i, xValue) in xs.enumerated() where i % labelEvery == 0 {
            svg.text(plot.left + (Double(i) + 0.5) * cellWidth, plot.bottom + 14, xValue.plain, anchor: .middle, size: 10)
        }
        svg.text(plot.left + plot.width / 2, plot.bottom + 30, shorten(sweep.parameters[0], 70), anchor: .middle, size: 11)
        if sweep.parameters.count == 2 { svg.text(plot.left - 30, plot.top - 10, "↑ " + shorten(sweep.parameters[1], 70), size: 11) }
        // Colour key: chance met, 0% to 100%.
        let keyLeft = plot.right + 24
        for k in 0..<10 {
            svg.rect(keyLeft, plot.top + Double(9 - k) * 14, 16, 14, fill: Palette.sequential((Double(k) + 0.5) / 10))
        }
        svg.text(keyLeft + 20, plot.top + 10, "100%", size: 10)
        svg.text(keyLeft + 20, plot.top + 140, "0%", size: 10)
        svg.text(keyLeft, plot.top + 156, "chance met", size: 10)
        let title = "Sweep: \(target)"
        let best = points.max { $0.probability.value < $1.probability.value }
        let description = "Heat map of the chance that \(target) is met over \(sweep.parameters.joined(separator: " × ")) (\(points.count) points)"
            + (best.map { "; highest \($0.probability.percent) at \(zip(sweep.parameters, $0.values).map { "\($0) = \($1.plain)" }.joined(separator: ", "))" } ?? "") + "."
        let table = Table(
            caption: "sweep.csv: chance met, \(target)" + (ys.isEmpty ? "" : " (rows: \(sweep.parameters[1]); columns: \(sweep.parameters[0]))"),
            header: [ys.isEmpty ? "" : sweep.parameters[1]] + xs.map(\.plain),
            rows: rows.map { y in [y?.plain ?? "chance met"] + xs.map { cell($0, y)?.percent ?? "" } },
            numeric: Set(1...xs.count))
        return .success(Chart(id: id, title: title, description: description, svg: svg.render(id: id, title: title, description: description), tables: [table]))
    }

    /// Why an analysis chart was not drawn.
    struct SkipReason: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    static func shorten(_ s: String, _ limit: Int) -> String {
        s.count <= limit ? s : "…" + s.suffix(limit - 1)
    }

    /// `s` broken at spaces into at most `lines` lines of at most `width` characters; what does
    /// not fit is cut at the end of the last line with "…". A word longer than `width` is cut too.
    static func wrap(_ s: String, width: Int, lines count: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in s.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            if current.isEmpty {
                current = word
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = word
            }
        }
        if !current.isEmpty { lines.append(current) }
        guard lines.count > count || lines.contains(where: { $0.count > width }) else { return lines }
        var kept = Array(lines.prefix(count))
        let rest = lines.dropFirst(count).joined(separator: " ")
        let last = kept[count - 1] + (rest.isEmpty ? "" : " " + rest)
        kept[count - 1] = last.count <= width ? last : String(last.prefix(width - 1)) + "…"
        return kept.map { $0.count <= width ? $0 : String($0.prefix(width - 1)) + "…" }
    }
}
