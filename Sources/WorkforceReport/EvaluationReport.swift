import Foundation

/// The page of `workforce evaluate` (docs/data.md): the scores of each kind of figure, and for
/// each a calibration plot, the histogram of its PIT values against the uniform distribution that
/// honest intervals give.
package enum EvaluationReport {
    /// One kind of figure: its name, its row of the scores table, and its PIT counts in equal bins of [0, 1].
    package struct Kind: Sendable {
        package var name: String
        package var scores: [String]
        package var pitHistogram: [Int]

        package init(name: String, scores: [String], pitHistogram: [Int]) {
            self.name = name
            self.scores = scores
            self.pitHistogram = pitHistogram
        }
    }

    /// report.html, report.md and one `pit-<kind>.svg` per kind. `header` names the scores'
    /// columns (after the kind's name); `notes` are printed under the table (e.g. forces left out).
    package static func files(
        title: String, lede: String, header: [String], kinds: [Kind], notes: [String], footer: String
    ) -> [(name: String, contents: String)] {
        var page = Page(title: title)
        page.heading(title, level: 1)
        page.paragraph(lede, className: "lede")
        page.table(Table(
            caption: "summary.csv: scores by kind of figure", header: ["figure"] + header, rows: kinds.map { [$0.name] + $0.scores },
            numeric: Set(1...header.count)))
        page.bullets(notes)
        page.heading("Calibration: where the observed figures fell in the projections", id: "pit")
        page.paragraph(
            "For each figure, the PIT is the fraction of replications below the observed value (plus half of those equal). "
                + "If the intervals are honest the PITs are spread evenly over 0 to 1 (the dashed line): a U shape means the bands "
                + "are too narrow, a hump in the middle that they are too wide, a slope that the median is biased.")
        for kind in kinds { page.figure(pitChart(kind)) }
        var files = [("report.html", page.document(footer: footer)), ("report.md", page.markdown + "---\n\n" + footer + "\n")]
        files += page.charts.map { ("\($0.id).svg", $0.svg + "\n") }
        return files
    }

    /// The PIT histogram of one kind: a bar per bin, the count a uniform PIT gives as a dashed line.
    static func pitChart(_ kind: Kind) -> Chart {
        let bins = kind.pitHistogram.count, total = kind.pitHistogram.reduce(0, +)
        let uniform = Double(total) / Double(max(1, bins))
        let ticks = Ticks.fromZero(max(Double(kind.pitHistogram.max() ?? 0), uniform, 1), count: 5)
        let plot = PlotArea(left: 60, top: 20, width: 460, height: 200)
        let x = Scale(domain: (0, 1), range: (plot.left, plot.right))
        let y = Scale(domain: (0, ticks.last!), range: (plot.bottom, plot.top))
        var svg = SVG(width: 560, height: plot.bottom + 50)
        plot.yAxis(&svg, ticks: ticks, scale: y, percent: false, title: "figures")
        for (i, count) in kind.pitHistogram.enumerated() {
            let lo = Double(i) / Double(bins), hi = Double(i + 1) / Double(bins)
            svg.rect(x(lo) + 1, y(Double(count)), x(hi) - x(lo) - 2, plot.bottom - y(Double(count)), fill: Palette.blue)
        }
        svg.line(plot.left, y(uniform), plot.right, y(uniform), stroke: Palette.black, width: 1.2, dash: "5 4")
        for t in stride(from: 0.0, through: 1.0, by: 0.2) {
            svg.text(x(t), plot.bottom + 15, String(format: "%.1f", t), anchor: .middle, size: 10)
        }
        svg.text(plot.left + plot.width / 2, plot.bottom + 34, "PIT (quantile level of the observed figure in the projection)", anchor: .middle, size: 11)
        let id = "pit-" + Markup.slug(kind.name)
        let title = "PIT histogram: \(kind.name)"
        let description = "\(total) figures of kind \(kind.name) by where the observed value fell in its projection, in \(bins) bins "
            + "of the PIT; honest intervals give about \(String(format: "%.1f", uniform)) per bin (dashed line)."
        let table = Table(
            caption: "summary.csv: \(kind.name), PIT counts",
            header: ["PIT bin", "figures", "uniform"],
            rows: kind.pitHistogram.enumerated().map { i, count in
                [String(format: "%.1f–%.1f", Double(i) / Double(bins), Double(i + 1) / Double(bins)), String(count), String(format: "%.1f", uniform)]
            },
            numeric: [1, 2])
        return Chart(id: id, title: title, description: description, svg: svg.render(id: id, title: title, description: description), tables: [table])
    }
}
