import Foundation
import Workforce

/// One intake's expected recruitment funnel over one period, by ethnicity, as the report shows
/// it: how many apply a year and how many of each group are still in after each stage.
/// Expected values (every input at its mean), the arithmetic the expected-value engine uses;
/// when more pass than the intake needs, the recruits are a random subset of the passers, so the
/// make-up of the last row is the expected make-up of the recruits.
package struct FunnelFigures: Sendable {
    /// "Recruitment into Constable from Apr 2022".
    package var title: String
    /// "Applications", then each stage's name.
    package var stages: [String]
    /// The ethnicities (a partition of the applicants), then ethnicity aggregates.
    package var groups: [String]
    /// How many of the ethnicities partition the applicants (the first `partition` groups).
    package var partition: Int
    /// `counts[i][g]`: applicants a year of group g in after stage i (row 0: everyone applying).
    package var counts: [[Double]]

    package init(title: String, stages: [String], groups: [String], partition: Int, counts: [[Double]]) {
        self.title = title
        self.stages = stages
        self.groups = groups
        self.partition = partition
        self.counts = counts
    }

    /// The funnel of every intake of `model` that has one, per period over which its make-up by
    /// ethnicity holds (periods with no applicants, or the same numbers as the period before, left out).
    package static func expected(_ model: Model) -> [FunnelFigures] {
        let d = model.dimensions
        let aggregates = d.aggregates.filter { $0.dimension == .ethnicity }
        var figures: [FunnelFigures] = []
        var previous: (intake: Int, counts: [[Double]])?
        for flow in FunnelFlow.expected(model) {
            func byEthnicity(_ perGroup: [Double]) -> [Double] {
                let ethnic = d.ethnicities.indices.map { e in d.genders.indices.reduce(0.0) { $0 + perGroup[d.group(e, $1)] } }
                return ethnic + aggregates.map { a in a.members.reduce(0.0) { $0 + ethnic[$1] } }
            }
            let counts = [byEthnicity(flow.applicants)] + flow.passed.map(byEthnicity)
            defer { previous = (flow.intake, counts) }
            // The same to 1e-9 (a change of gender shares alone can move the sums in their last bits).
            let same = previous.map { p in
                p.intake == flow.intake && zip(p.counts.joined(), counts.joined()).allSatisfy { abs($0 - $1) <= 1e-9 * max(1, abs($1)) }
            } ?? false
            guard counts[0].contains(where: { $0 > 0 }), !same else { continue }
            let rank = model.intakes[flow.intake].rank
            let which = model.intakeName(flow.intake).map { " (\($0))" } ?? ""
            let from = flow.from == model.timeline.start + 1 ? "" : " from \(flow.from.long)"
            figures.append(FunnelFigures(
                title: "Recruitment into \(d.ranks[rank])\(which)\(from)", stages: ["Applications"] + flow.stages,
                groups: d.ethnicities + aggregates.map(\.name), partition: d.ethnicities.count, counts: counts))
        }
        return figures
    }

    /// Those in after stage i, all groups of the partition.
    func total(_ i: Int) -> Double { counts[i][0..<partition].reduce(0, +) }
}

/// The report's funnel section: per intake and period, a chart of the make-up of those still in
/// after each stage, a table of how many of each group are in (and their share), and a table of
/// each group's pass rate at each stage, which is where a group is lost.
enum FunnelReport {
    /// A whole number with thousands separated, and a share to one decimal of a percent ("–" for none).
    static func count(_ x: Double) -> String { Figure(String(x)).count }
    static func percent(_ x: Double) -> String { x.isFinite ? Figure(String(x)).percent : "–" }

    static func section(_ figures: [FunnelFigures], into page: inout Page) {
        guard !figures.isEmpty else { return }
        page.heading("The recruitment funnel", id: "funnel")
        page.paragraph(
            "Where each group is lost on the way from application to recruit: expected numbers a year with every input at its mean. "
                + "Each bar is those still in after a stage, its length in proportion to their number, split by ethnicity; the tables give the numbers and each group's pass rate at each stage. "
                + "If more pass than the intake needs, the recruits are taken at random from those who passed, so the last bar is also the make-up of the recruits.")
        for (n, f) in figures.enumerated() {
            page.figure(chart(f, id: "funnel-\(n + 1)"))  // with its table of counts
            page.table(passRates(f))
        }
    }

    static func counts(_ f: FunnelFigures) -> Table {
        Table(
            caption: "\(f.title): applicants a year still in after each stage (share of those in)",
            header: ["Stage", "All"] + f.groups,
            rows: f.stages.indices.map { i in
                let total = f.total(i)
                return [f.stages[i], count(total)] + f.counts[i].map { "\(count($0)) (\(percent(total > 0 ? $0 / total : .nan)))" }
            },
            numeric: Set(1...(f.groups.count + 1)))
    }

    static func passRates(_ f: FunnelFigures) -> Table {
        func rate(_ a: Double, _ b: Double) -> String { percent(b > 0 ? a / b : .nan) }
        var rows = f.stages.indices.dropFirst().map { i in
            [f.stages[i], rate(f.total(i), f.total(i - 1))] + f.groups.indices.map { rate(f.counts[i][$0], f.counts[i - 1][$0]) }
        }
        let last = f.stages.count - 1
        rows.append(["Applicant to recruit", rate(f.total(last), f.total(0))] + f.groups.indices.map { rate(f.counts[last][$0], f.counts[0][$0]) })
        return Table(
            caption: "\(f.title): pass rate of each stage by group (of those who reached it)",
            header: ["Stage", "All"] + f.groups, rows: rows, numeric: Set(1...(f.groups.count + 1)))
    }

    /// One horizontal bar per stage, its length in proportion to the number still in (the
    /// applications the full width), split by ethnicity in the palette's order, with each
    /// ethnicity aggregate's share written beside it.
    static func chart(_ f: FunnelFigures, id: String) -> Chart {
        let width = 720.0, barHeight = 26.0, gap = 14.0
        // The title from the left edge, on a second line when it is longer than the chart is wide.
        // checked: width is the chart's (720 units) and the font at least 14 units, so a small finite number
        let titleLines = AnalysisCharts.wrap(f.title, width: Int((width - 8) / (0.62 * max(14, SVG.minimumFontSize(width: width)))), lines: 2)
        let shift = Double(titleLines.count - 1) * 18, top = 56.0 + shift
        let height = top + Double(f.stages.count) * (barHeight + gap) + 20
        let aggregates = f.partition..<f.groups.count
        var svg = SVG(width: width, height: height)
        // The stage names, right-aligned before the bars, at the size they print at.
        let left = max(150, (f.stages.map { svg.textWidth($0, size: 12) }.max() ?? 0) + 16)
        let barWidth = width - left - (aggregates.isEmpty ? 30 : 120)
        for (k, line) in titleLines.enumerated() { svg.text(0, 22 + Double(k) * 18, line, size: 14, weight: "bold") }
        // Legend.
        var x = left
        for e in 0..<f.partition {
            svg.rect(x, 32 + shift, 12, 12, fill: Palette.ethnicity(e))
            svg.text(x + 16, 42 + shift, f.groups[e], size: 11)
            x += 24 + svg.textWidth(f.groups[e], size: 11) + 8
        }
        for i in f.stages.indices {
            let y = top + Double(i) * (barHeight + gap)
            let total = f.total(i)
            svg.text(left - 8, y + barHeight / 2 + 4, f.stages[i], anchor: .end, size: 12)
            svg.text(left - 8, y + barHeight + 9, count(total) + " a year", anchor: .end, size: 10, fill: Palette.grey)
            var at = left
            let length = f.total(0) > 0 ? barWidth * total / f.total(0) : barWidth
            for e in 0..<f.partition where total > 0 {
                let w = length * f.counts[i][e] / total
                svg.rect(at, y, w, barHeight, fill: Palette.ethnicity(e), stroke: "#FFFFFF")
                if w > svg.textWidth("100.0%", size: 10) + 4 { svg.text(at + w / 2, y + barHeight / 2 + 4, percent(f.counts[i][e] / total), anchor: .middle, size: 10, halo: true) }
                at += w
            }
            // Each ethnicity aggregate's share of those in, to the right of the bar (e.g. BAME 24.0%).
            for (k, a) in aggregates.enumerated() where total > 0 {
                svg.text(left + barWidth + 8, y + 11 + Double(k) * (svg.fontSize(11) + 1.5), "\(f.groups[a]) \(percent(f.counts[i][a] / total))", size: 11)
            }
        }
        let shares = f.stages.indices.map { i in
            f.stages[i] + ": " + f.groups.indices.map { "\(f.groups[$0]) \(percent(f.total(i) > 0 ? f.counts[i][$0] / f.total(i) : .nan))" }.joined(separator: ", ")
        }
        let description = "The make-up by ethnicity of those still in after each stage. " + shares.joined(separator: "; ") + "."
        return Chart(id: id, title: f.title, description: description, svg: svg.render(id: id, title: f.title, description: description), tables: [counts(f)])
    }
}
