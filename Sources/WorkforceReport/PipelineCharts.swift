import Workforce

/// The charts of the pipeline: headcount by rank over time, the yearly flows by group, and the
/// rank pyramid by ethnicity and gender.
enum PipelineCharts {
    /// Small multiples, one panel per rank (and all ranks first), each on its own scale from zero:
    /// the median headcount and its 90% interval at each projection date.
    static func headcount(_ r: ScenarioResults) -> Chart {
        let panels = [Label.all] + r.ranks.reversed().map(Label.category)
        let columns = 4, panelWidth = 180.0, panelHeight = 146.0
        let rows = (panels.count + columns - 1) / columns
        var svg = SVG(width: panelWidth * Double(columns), height: 30 + panelHeight * Double(rows))
        svg.text(0, 14, "Officers in post (headcount): median line, 90% interval shaded. Each panel has its own scale, from zero.", size: 11)
        let x0 = Double(r.start.index), x1 = Double(max(r.horizon.index, r.start.index + 1))
        var description = "Officers in post by rank, median and 90% interval, \(Dates.long(r.start)) to \(Dates.long(r.horizon))."
        for (i, rank) in panels.enumerated() {
            let left = Double(i % columns) * panelWidth, top = 30 + Double(i / columns) * panelHeight
            let plot = PlotArea(left: left + 46, top: top + 22, width: panelWidth - 58, height: panelHeight - 58)
            let points = r.dates.compactMap { d in r.projection(d, rank: rank, ethnicity: .all, gender: .all).map { (d, $0.headcount) } }
            let ticks = Ticks.fromZero((points.map(\.1.p95.value).filter(\.isFinite).max() ?? 1) * 1.02, count: 3)
            let x = Scale(domain: (x0, x1), range: (plot.left, plot.right)), y = Scale(domain: (0, ticks.last!), range: (plot.bottom, plot.top))
            svg.text(left + 46, top + 14, panelName(rank), size: 12, weight: "bold")
            for t in ticks {
                svg.line(plot.left, y(t), plot.right, y(t), stroke: t == 0 ? "#333333" : "#DDDDDD", width: t == 0 ? 1 : 0.8)
                svg.text(plot.left - 4, y(t) + 3.5, Ticks.label(t, step: ticks[1] - ticks[0], percent: false), anchor: .end, size: 10)
            }
            for m in [r.start, r.horizon] {
                svg.text(x(Double(m.index)), plot.bottom + 13, String(m.year), anchor: m == r.start ? .start : .end, size: 10)
            }
            let p5 = points.map { (x(Double($0.0.index)), y($0.1.p5.value)) }
            let p95 = points.map { (x(Double($0.0.index)), y($0.1.p95.value)) }
            svg.polygon(p5 + p95.reversed(), fill: Palette.blue, opacity: 0.25)
            svg.polyline(points.map { (x(Double($0.0.index)), y($0.1.p50.value)) }, stroke: Palette.blue, width: 1.8)
            if let first = points.first, let last = points.last {
                description += " \(panelName(rank)): \(first.1.p50.count) to \(last.1.p50.count) (\(Figure.intervalWords(low: last.1.p5.count, high: last.1.p95.count)))."
            }
        }
        let table = Table(
            caption: "Officers in post (headcount) over replications",
            header: ["date", "rank", "median", "p5", "p95"],
            rows: r.dates.flatMap { d in
                panels.compactMap { rank in
                    r.projection(d, rank: rank, ethnicity: .all, gender: .all).map { p in
                        [d.description, panelName(rank), p.headcount.p50.count, p.headcount.p5.count, p.headcount.p95.count]
                    }
                }
            },
            numeric: [2, 3, 4])
        let title = "Headcount by rank over time"
        return Chart(id: "headcount-by-rank", title: title, description: description, svg: svg.render(id: "headcount-by-rank", title: title, description: description), tables: [table])
    }

    /// A headcount panel's name: the rank's, or "All ranks".
    private static func panelName(_ rank: Label) -> String { rank == .all ? "All ranks" : rank.name }

    /// The flows in words: "Joiners, leavers and promotions".
    static func phrase(_ flows: [Flow]) -> String {
        let words = flows.enumerated().map { $0.offset == 0 ? $0.element.title : $0.element.title.lowercased() }
        return words.count < 2 ? words.joined() : words.dropLast().joined(separator: ", ") + " and " + words.last!
    }

    /// The recorded flows per simulation year (`ScenarioResults.recordedFlows`), all ranks, stacked by ethnicity
    /// (top row) and by gender (bottom row). Bars are means over replications, which add up.
    static func flows(_ r: ScenarioResults) -> Chart {
        let recorded = r.recordedFlows
        let flows = recorded.map { ($0, $0.title) }
        let groupings: [(name: String, categories: [String], colour: (Int) -> String, key: (String) -> (Label, Label))] = [
            ("ethnicity", r.ethnicities, Palette.ethnicity, { (.category($0), .all) }),
            ("gender", r.genders, Palette.gender, { (.all, .category($0)) }),
        ]
        let panelWidth = 240.0, panelHeight = 176.0
        var svg = SVG(width: panelWidth * Double(max(1, flows.count)), height: 26 + panelHeight * 2)
        svg.text(0, 14, "Officers per year (mean over replications), all ranks; promotions are into any rank. Years end in \((r.yearEnds.first ?? r.start).name).", size: 11)
        let years = r.yearEnds
        var description = "\(phrase(recorded)) per year by ethnicity and by gender, all ranks, mean over replications."
        for (row, grouping) in groupings.enumerated() {
            let top = 26 + Double(row) * panelHeight
            // Legend for the row.
            var lx = 0.0
            for (i, c) in grouping.categories.enumerated() {
                svg.rect(lx, top + 4, 10, 10, fill: grouping.colour(i))
                svg.text(lx + 14, top + 13, c, size: 11)
                lx += 24 + svg.textWidth(c, size: 11)
            }
            for (column, flow) in flows.enumerated() {
                let left = Double(column) * panelWidth
                let plot = PlotArea(left: left + 46, top: top + 42, width: panelWidth - 58, height: panelHeight - 78)
                let stacks = years.map { year in
                    grouping.categories.map { c -> Double in
                        let (e, g) = grouping.key(c)
                        return r.flow(year, flow.0, rank: .all, ethnicity: e, gender: g)?.mean.value ?? 0
                    }
                }
                let ticks = Ticks.fromZero((stacks.map { $0.filter(\.isFinite).reduce(0, +) }.max() ?? 1) * 1.02, count: 4)
                let y = Scale(domain: (0, ticks.last!), range: (plot.bottom, plot.top))
                svg.text(plot.left, top + 34, "\(flow.1) by \(grouping.name)", size: 12, weight: "bold")
                for t in ticks {
                    svg.line(plot.left, y(t), plot.right, y(t), stroke: t == 0 ? "#333333" : "#DDDDDD", width: t == 0 ? 1 : 0.8)
                    svg.text(plot.left - 4, y(t) + 3.5, Ticks.label(t, step: ticks[1] - ticks[0], percent: false), anchor: .end, size: 10)
                }
                let slot = plot.width / Double(max(1, years.count))
                let labelEvery = years.count > 6 ? 2 : 1
                for (i, year) in years.enumerated() {
                    var base = 0.0
                    let bx = plot.left + Double(i) * slot + slot * 0.15
                    for (k, v) in stacks[i].enumerated() where v.isFinite && v > 0 {
                        svg.rect(bx, y(base + v), slot * 0.7, y(base) - y(base + v), fill: grouping.colour(k), stroke: "#FFFFFF")
                        base += v
                    }
                    if i % labelEvery == 0 || i == years.count - 1 {
                        svg.text(bx + slot * 0.35, plot.bottom + 13, String(year.year), anchor: .middle, size: 10)
                    }
                }
                svg.text(plot.left + plot.width / 2, plot.bottom + 28, "year ending", anchor: .middle, size: 10)
                if row == 0, let last = years.last,
                   let total = r.flow(last, flow.0, rank: .all, ethnicity: .all, gender: .all) {
                    description += " \(flow.1) in the year to \(Dates.long(last)): \(total.mean.count)."
                }
            }
        }
        let categories: [(Label, Label)] = r.ethnicities.map { (.category($0), .all) } + r.genders.map { (.all, .category($0)) } + [(.all, .all)]
        let table = Table(
            caption: "Officers per year, all ranks: mean over replications",
            header: ["year ending", "flow"] + r.ethnicities + r.genders + ["all"],
            rows: years.flatMap { year in
                flows.map { flow in
                    [year.description, flow.0.name] + categories.map { e, g in
                        r.flow(year, flow.0, rank: .all, ethnicity: e, gender: g)?.mean.count ?? ""
                    }
                }
            },
            numeric: Set(2..<(3 + r.ethnicities.count + r.genders.count)))
        let title = "\(phrase(recorded)) per year"
        return Chart(id: "flows-by-group", title: title, description: description, svg: svg.render(id: "flows-by-group", title: title, description: description), tables: [table])
    }

    /// The rank pyramid at the start and at the horizon: for each rank (highest at the top), the
    /// first gender to the left of the centre line and the others to the right, each split by
    /// ethnicity; bar lengths are mean shares of the rank's officers (which add up to 100%).
    static func pyramid(_ r: ScenarioResults) -> Chart {
        let dates = r.start == r.horizon ? [r.start] : [r.start, r.horizon]
        let ranks = Array(r.ranks.reversed())
        let rowHeight = 22.0, panelHeight = 46 + rowHeight * Double(ranks.count) + 34
        var svg = SVG(width: 720, height: 34 + panelHeight * Double(dates.count))
        let centre = 390.0, half = 230.0
        let x = { (share: Double) in share * half }  // a share of the rank → a bar length
        // Legend: ethnicity colours; gender is the side.
        var lx = 0.0
        for (i, e) in r.ethnicities.enumerated() {
            svg.rect(lx, 4, 10, 10, fill: Palette.ethnicity(i))
            svg.text(lx + 14, 13, e, size: 11)
            lx += 24 + svg.textWidth(e, size: 11)
        }
        let left = r.genders.first ?? "", right = Array(r.genders.dropFirst())
        var description = "Share of each rank's officers by ethnicity and gender (\(left) to the left, \(right.joined(separator: ", ")) to the right), mean over replications, at \(dates.map(Dates.long).joined(separator: " and "))."
        var tables: [Table] = []
        for (p, date) in dates.enumerated() {
            let top = 34 + Double(p) * panelHeight
            svg.text(0, top + 16, "\(p == 0 ? "Start" : "Horizon"): \(Dates.long(date))", size: 13, weight: "bold")
            svg.text(centre - 6, top + 36, "← \(left)", anchor: .end, size: 11)
            svg.text(centre + 6, top + 36, "\(right.joined(separator: ", ")) →", size: 11)
            svg.text(720, top + 36, "officers (median)", anchor: .end, size: 10)
            for (i, rank) in ranks.enumerated() {
                let y = top + 46 + Double(i) * rowHeight
                svg.text(centre - half - 8, y + 15, rank, anchor: .end, size: 11)
                var offset = 0.0
                for (k, e) in r.ethnicities.enumerated() {
                    let v = r.projection(date, rank: .category(rank), ethnicity: .category(e), gender: .category(left))?.share.mean.value ?? .nan
                    guard v.isFinite, v > 0 else { continue }
                    svg.rect(centre - x(offset + v), y + 2, x(v), rowHeight - 4, fill: Palette.ethnicity(k), stroke: "#FFFFFF")
                    offset += v
                }
                offset = 0
                for g in right {
                    for (k, e) in r.ethnicities.enumerated() {
                        let v = r.projection(date, rank: .category(rank), ethnicity: .category(e), gender: .category(g))?.share.mean.value ?? .nan
                        guard v.isFinite, v > 0 else { continue }
                        svg.rect(centre + x(offset), y + 2, x(v), rowHeight - 4, fill: Palette.ethnicity(k), stroke: "#FFFFFF")
                        offset += v
                    }
                }
                if let n = r.projection(date, rank: .category(rank), ethnicity: .all, gender: .all)?.headcount.p50 {
                    svg.text(720, y + 15, n.count, anchor: .end, size: 11)
                }
            }
            let axisY = top + 46 + rowHeight * Double(ranks.count) + 2
            svg.line(centre - half, axisY, centre + half, axisY, stroke: "#333333")
            svg.line(centre, top + 42, centre, axisY, stroke: "#333333")
            for t in [0.0, 0.25, 0.5, 0.75, 1.0] {
                for side in [-1.0, 1.0] where !(t == 0 && side > 0) {
                    svg.line(centre + side * x(t), axisY, centre + side * x(t), axisY + 4, stroke: "#333333")
                    svg.text(centre + side * x(t), axisY + 15, Ticks.label(t, step: 0.25, percent: true), anchor: .middle, size: 10)
                }
            }
            svg.text(centre, axisY + 29, "share of the rank's officers (%), mean over replications", anchor: .middle, size: 10)

            // One table per gender, so that a table fits the width of a page.
            for g in r.genders {
                tables.append(Table(
                    caption: "\(g) officers' share of the rank (%) at \(date.description), mean over replications",
                    header: ["rank"] + r.ethnicities.map { "\($0) \(g)" },
                    rows: ranks.map { rank in
                        [rank] + r.ethnicities.map { r.projection(date, rank: .category(rank), ethnicity: .category($0), gender: .category(g))?.share.mean.percent ?? "" }
                    },
                    numeric: Set(1...r.ethnicities.count)))
            }
            for rank in ranks.prefix(1) + ranks.suffix(1) {
                if let female = r.projection(date, rank: .category(rank), ethnicity: .all, gender: .category(left))?.share.mean {
                    description += " \(rank) at \(Dates.long(date)): \(female.percent) \(left)."
                }
            }
        }
        let title = "Rank pyramid by ethnicity and gender"
        return Chart(id: "rank-pyramid", title: title, description: description, svg: svg.render(id: "rank-pyramid", title: title, description: description), tables: tables)
    }
}
