import Foundation
import WorkforceAnalysis
import WorkforceResults

/// The chart of a two-lever frontier (`workforce solve --lever ... --lever ...`): the first
/// lever across, the second up; the frontier as a line through the slices where a boundary was
/// found (each with its bisection bracket and Monte Carlo error as an error bar), the side that
/// meets every target shaded, slices met throughout or nowhere marked at the range's edge, the
/// scenario's current values as a cross and the least-change combination as a diamond.
package enum FrontierChart {
    /// One slice of the frontier: the first lever's value, the second's boundary (or range end),
    /// and what was found there.
    package struct Slice: Sendable {
        package var x: Double
        package var y: Double
        package var kind: WorkforceAnalysis.Frontier.Kind
        /// Half-width of the error bar: half the bracket plus the Monte Carlo error.
        package var error: Double

        package init(x: Double, y: Double, kind: WorkforceAnalysis.Frontier.Kind, error: Double) {
            self.x = x
            self.y = y
            self.kind = kind
            self.error = error
        }
    }

    /// `frontier.json` (`workforce.frontier/1`) of two levers, drawn.
    package struct Frontier: Sendable {
        package var targets: [String]
        package var probability: Double
        package var names: [String]
        package var ranges: [ClosedRange<Double>]
        package var current: [Double]
        package var slices: [Slice]
        /// True when the second lever helps (the feasible side is above the line).
        package var increasing: Bool
        package var cheapest: [Double]?

        /// The chart's view of a frontier; nil unless it has exactly two levers.
        package init?(_ file: FrontierFile) {
            guard file.levers.count == 2, file.levers.allSatisfy({ $0.range.count == 2 && $0.range[0] < $0.range[1] }) else { return nil }
            probability = file.probability
            ranges = file.levers.map { $0.range[0]...$0.range[1] }
            targets = file.targets
            names = file.levers.map(\.name)
            current = file.levers.map(\.current)
            slices = file.points.compactMap { p in
                guard p.levers.count == 2 else { return nil }
                let bracket = p.bracket.map { ($0[1] - $0[0]) / 2 } ?? 0
                return Slice(x: p.levers[0], y: p.levers[1], kind: p.found, error: bracket + (p.monteCarloError ?? 0))
            }
            let boundaries = file.points.filter { $0.found == .boundary }
            increasing = boundaries.isEmpty || boundaries.contains(where: \.increasing)
            cheapest = file.cheapest?.leastChange
        }

        package func chart(id: String) -> Chart {
            FrontierChart.chart(
                id: id, title: "What it takes: \(targets.joined(separator: " and "))", xName: names[0], yName: names[1],
                xRange: ranges[0], yRange: ranges[1], slices: slices, increasing: increasing, current: (current[0], current[1]),
                cheapest: cheapest.flatMap { $0.count == 2 ? ($0[0], $0[1]) : nil }, probability: probability)
        }
    }

    /// Whether a lever is a share: its name says "share" and its range lies within 0...1.
    static func isShare(_ name: String, _ range: ClosedRange<Double>) -> Bool {
        name.lowercased().contains("share") && range.lowerBound >= 0 && range.upperBound <= 1
    }

    /// `increasing`: the second lever helps (the feasible side is above the line).
    static func chart(
        id: String, title: String, xName: String, yName: String, xRange: ClosedRange<Double>, yRange: ClosedRange<Double>,
        slices: [Slice], increasing: Bool, current: (Double, Double), cheapest: (Double, Double)?, probability: Double
    ) -> Chart {
        let plot = PlotArea(left: 80, top: 40, width: 560, height: 340)
        let x = Scale(domain: (xRange.lowerBound, xRange.upperBound), range: (plot.left, plot.right))
        let y = Scale(domain: (yRange.lowerBound, yRange.upperBound), range: (plot.bottom, plot.top))
        var svg = SVG(width: 720, height: plot.bottom + 70)
        let xStep = Ticks.step(xRange.upperBound - xRange.lowerBound, count: 6)
        let yStep = Ticks.step(yRange.upperBound - yRange.lowerBound, count: 6)
        func ticks(_ r: ClosedRange<Double>, _ s: Double) -> [Double] {
            let first = (r.lowerBound / s - 1e-9).rounded(.up), last = (r.upperBound / s + 1e-9).rounded(.down)
            return stride(from: first, through: last, by: 1).map { $0 * s }
        }
        // A lever that is a share (its name says so and its range is within 0–1) is labelled in %, as every share on the page.
        let (xShare, yShare) = (isShare(xName, xRange), isShare(yName, yRange))
        for t in ticks(yRange, yStep) {
            svg.line(plot.left, y(t), plot.right, y(t), stroke: "#DDDDDD", width: 0.8)
            svg.text(plot.left - 10, y(t) + 4, Ticks.label(t, step: yStep, percent: yShare), anchor: .end, size: 10)
        }
        for t in ticks(xRange, xStep) {
            svg.line(x(t), plot.top, x(t), plot.bottom, stroke: "#DDDDDD", width: 0.8)
            svg.text(x(t), plot.bottom + 19, Ticks.label(t, step: xStep, percent: xShare), anchor: .middle, size: 10)
        }
        svg.text(plot.left + plot.width / 2, plot.bottom + 34, AnalysisCharts.shorten(xName, 90), anchor: .middle, size: 11)
        svg.text(18, plot.top + plot.height / 2, AnalysisCharts.shorten(yName, 60), anchor: .middle, size: 11, rotate: true)

        // The feasible side of the boundary line, shaded.
        let line = slices.filter { $0.kind == .boundary }.map { (x($0.x), y($0.y)) }
        if line.count > 1 {
            let edge = increasing ? plot.top : plot.bottom
            svg.polygon(line + [(line.last!.0, edge), (line.first!.0, edge)], fill: Palette.green, opacity: 0.18)
            svg.polyline(line, stroke: Palette.green, width: 2.5)
        }
        for s in slices {
            switch s.kind {
            case .boundary:
                svg.line(x(s.x), y(s.y - s.error), x(s.x), y(s.y + s.error), stroke: Palette.black, width: 1)
                svg.circle(x(s.x), y(s.y), 4, fill: Palette.green)
            case .metThroughout:
                svg.circle(x(s.x), y(increasing ? yRange.lowerBound : yRange.upperBound), 4, fill: Palette.blue)
            default:
                svg.circle(x(s.x), y(increasing ? yRange.upperBound : yRange.lowerBound), 4, fill: Palette.vermillion)
            }
        }
        let (cx, cy) = (x(current.0), y(current.1))
        svg.line(cx - 6, cy - 6, cx + 6, cy + 6, stroke: Palette.black, width: 2)
        svg.line(cx - 6, cy + 6, cx + 6, cy - 6, stroke: Palette.black, width: 2)
        if let c = cheapest { svg.diamond(x(c.0), y(c.1), 7, fill: Palette.orange) }

        // Legend: only what is drawn.
        let ly = plot.bottom + 54
        var lx = plot.left
        func key(_ colour: String, _ label: String, diamond: Bool = false) {
            if diamond { svg.diamond(lx, ly - 4, 5, fill: colour) } else { svg.circle(lx, ly - 4, 4, fill: colour) }
            svg.text(lx + 8, ly, label, size: 10)
            lx += 8 + svg.textWidth(label, size: 10) + 18
        }
        if slices.contains(where: { $0.kind == .boundary }) { key(Palette.green, "boundary (bar: its uncertainty)") }
        if slices.contains(where: { $0.kind == .metThroughout }) { key(Palette.blue, "met throughout") }
        if slices.contains(where: { $0.kind != .boundary && $0.kind != .metThroughout }) { key(Palette.vermillion, "met nowhere") }
        svg.text(lx, ly, "× now", size: 10)
        lx += svg.textWidth("× now", size: 10) + 18
        if cheapest != nil { key(Palette.orange, "least change", diamond: true) }
        svg.text(plot.left, 24, "Shaded: every aim met with a chance of at least \(Int((probability * 100).rounded()))%", size: 11)  // checked: a probability in 0...1, times 100

        let description = "Frontier of \(yName) against \(xName): "
            + slices.map { "\(Figure($0.x, significant: 4).plain) → \($0.kind == .boundary ? Figure($0.y, error: $0.error).plain : $0.kind.rawValue)" }.joined(separator: "; ") + "."
        let table = Table(
            caption: "frontier: \(xName) × \(yName); the boundary's uncertainty is half the last search step plus its Monte Carlo error",
            header: [xName, yName, "found", "± uncertainty"],
            rows: slices.map { [Figure($0.x, significant: 4).plain, Figure($0.y, error: $0.error).plain, $0.kind.rawValue, Figure($0.error, significant: 2).plain] },
            numeric: [0, 1, 3])
        return Chart(id: id, title: title, description: description, svg: svg.render(id: id, title: title, description: description), tables: [table])
    }
}
