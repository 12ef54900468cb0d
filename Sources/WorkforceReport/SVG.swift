import Foundation

/// A chart of a report: its SVG, its text alternative and the numbers it draws.
package struct Chart: Sendable {
    /// The element id and file name stem, e.g. `fan-all-bame` (→ `fan-all-bame.svg`).
    package var id: String
    package var title: String
    /// What the chart shows, in words: the SVG's `<desc>` and the text under the figure.
    package var description: String
    /// The SVG document (no XML declaration, so it also works inline in HTML).
    package var svg: String
    /// The numbers drawn, exactly as in the result files.
    package var tables: [Table]
}

/// A table of text cells, rendered as HTML or Markdown.
package struct Table: Sendable {
    package var caption: String
    package var header: [String]
    package var rows: [[String]]
    /// Indices of the columns that hold numbers (right-aligned).
    package var numeric: Set<Int>
    /// Indices of the columns that hold codes such as hashes (monospace, broken anywhere).
    package var code: Set<Int>
    /// An HTML class for each row (e.g. the likelihood band of a verdict), or none.
    package var rowClasses: [String]
    /// An HTML class for each cell, row by row (e.g. the status of a scenario's verdict), or none.
    package var cellClasses: [[String]]

    package init(
        caption: String, header: [String], rows: [[String]], numeric: Set<Int>, code: Set<Int> = [], rowClasses: [String] = [], cellClasses: [[String]] = []
    ) {
        self.cellClasses = cellClasses
        self.caption = caption
        self.header = header
        self.rows = rows
        self.numeric = numeric
        self.code = code
        self.rowClasses = rowClasses
    }

    func html(className: String = "data") -> String {
        func cells(_ row: [String], tag: String, classes: [String] = []) -> String {
            row.enumerated().map { i, cell in
                let names = [numeric.contains(i) ? "num" : nil, code.contains(i) && tag == "td" ? "code" : nil, i < classes.count && !classes[i].isEmpty ? classes[i] : nil]
                    .compactMap { $0 }
                let kind = names.isEmpty ? "" : " class=\"\(names.joined(separator: " "))\""
                return "<\(tag)\(kind)>\(Markup.escape(cell))</\(tag)>"
            }.joined()
        }
        var out = "<table class=\"\(className)\"><caption>\(Markup.escape(caption))</caption>\n"
        out += "<thead><tr>\(cells(header, tag: "th"))</tr></thead>\n<tbody>\n"
        for (i, row) in rows.enumerated() {
            let rowClass = i < rowClasses.count && !rowClasses[i].isEmpty ? " class=\"\(rowClasses[i])\"" : ""
            out += "<tr\(rowClass)>\(cells(row, tag: "td", classes: i < cellClasses.count ? cellClasses[i] : []))</tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    func markdown() -> String {
        func line(_ row: [String]) -> String {
            "| " + row.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
        }
        var out = "*\(caption)*\n\n" + line(header) + "\n"
        out += "|" + header.indices.map { numeric.contains($0) ? "---:" : "---" }.joined(separator: "|") + "|\n"
        for row in rows { out += line(row) + "\n" }
        return out
    }
}

/// Escaping for HTML and SVG text and attributes.
enum Markup {
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// A lowercase file-name-safe form of a label: `Chief Inspector` → `chief-inspector`.
    static func slug(_ s: String) -> String {
        var out = ""
        for c in s.lowercased() {
            if c.isASCII && (c.isLetter || c.isNumber) { out.append(c) } else if !out.hasSuffix("-") && !out.isEmpty { out.append("-") }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "x" : out
    }
}

/// The Okabe–Ito colour-blind-safe palette (Okabe & Ito 2008), and a sequential scale for heat maps.
enum Palette {
    static let black = "#000000"
    static let orange = "#E69F00"
    static let skyBlue = "#56B4E9"
    static let green = "#009E73"
    static let yellow = "#F0E442"
    static let blue = "#0072B2"
    static let vermillion = "#D55E00"
    static let purple = "#CC79A7"
    static let grey = "#999999"

    /// Colours for ethnicities, in order, repeating after seven; the first five leave
    /// vermillion and purple to the genders.
    static let ethnicities = [blue, orange, green, skyBlue, yellow, grey, black]
    /// Colours for genders.
    static let genders = [vermillion, purple, grey]
    /// Colours for scenarios on one chart: strong line colours first; vermillion (and orange, close
    /// to it) are left to the target diamonds, so a target never looks like a scenario's line.
    static let scenarios = [blue, green, purple, black, skyBlue, orange, grey, yellow]

    static func ethnicity(_ i: Int) -> String { ethnicities[i % ethnicities.count] }
    static func gender(_ i: Int) -> String { genders[i % genders.count] }
    static func scenario(_ i: Int) -> String { scenarios[i % scenarios.count] }

    /// Viridis (perceptually uniform, readable in grey and by colour-blind readers) at `t` in 0...1.
    static func sequential(_ t: Double) -> String {
        let stops: [(Double, Double, Double)] = [
            (68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37),
        ]
        let x = max(0, min(1, t.isFinite ? t : 0)) * Double(stops.count - 1)
        let i = min(Int(x), stops.count - 2)
        let f = x - Double(i)
        let (a, b) = (stops[i], stops[i + 1])
        func mix(_ p: Double, _ q: Double) -> Int { Int((p + (q - p) * f).rounded()) }
        return String(format: "#%02X%02X%02X", mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
    }

    /// Black or white, whichever reads better on a viridis colour at `t`.
    static func textOnSequential(_ t: Double) -> String { t > 0.55 ? black : "#FFFFFF" }
}

/// How a chart prints: every chart is laid out (`Page.css`) at the A4 text width, so one SVG
/// unit prints at `Print.chartWidthPoints / width` points, whatever the chart's own width.
enum Print {
    /// The width a chart prints at: A4 (210 mm) less the page's 13 mm side margins (`@page` in
    /// `Page.css`, and the summary's own), in millimetres.
    static let chartWidthMillimetres = 184.0
    /// The same in points (72 to the inch): 521.6 pt.
    static let chartWidthPoints = chartWidthMillimetres / 25.4 * 72
    /// The smallest printed size of any chart text, in points (`scripts/check-report` measures it).
    static let minimumTextPoints = 9.0
}

/// An SVG drawing in user units (1 unit = 1 CSS pixel at the drawing's natural size).
struct SVG {
    let width: Double
    let height: Double
    private var body = ""

    /// The smallest font size in this drawing's units that prints at `Print.minimumTextPoints`
    /// when the drawing prints `Print.chartWidthPoints` wide, rounded up to the 0.1 unit the
    /// SVG is written at: 12.5 for a 720-unit chart, 9.7 for a 560-unit one.
    var minimumFontSize: Double { Self.minimumFontSize(width: width) }

    /// `minimumFontSize` of a drawing `width` units wide (for layouts worked out before the drawing).
    static func minimumFontSize(width: Double) -> Double {
        (Print.minimumTextPoints * width / Print.chartWidthPoints * 10 - 1e-9).rounded(.up) / 10
    }

    /// `requested` or, when that would print below `Print.minimumTextPoints`, the minimum: every
    /// text is drawn at this size, and label boxes (`LabelPlacer`) and legends are laid out at it.
    func fontSize(_ requested: Double) -> Double { max(requested, minimumFontSize) }

    /// The estimated advance of `text` at `fontSize(size)`: 0.58 em a character, as `LabelPlacer`.
    func textWidth(_ text: String, size: Double) -> Double { Double(text.count) * fontSize(size) * 0.58 }

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    static func n(_ x: Double) -> String {
        let r = (x * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(format: "%.1f", r)
    }

    static func points(_ p: [(Double, Double)]) -> String {
        p.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ")
    }

    mutating func raw(_ element: String) { body += element + "\n" }

    mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, opacity: Double = 1, stroke: String? = nil) {
        let o = opacity < 1 ? " fill-opacity=\"\(String(format: "%.2f", opacity))\"" : ""
        let s = stroke.map { " stroke=\"\($0)\" stroke-width=\"0.6\"" } ?? ""
        raw("<rect x=\"\(SVG.n(x))\" y=\"\(SVG.n(y))\" width=\"\(SVG.n(max(0, w)))\" height=\"\(SVG.n(max(0, h)))\" fill=\"\(fill)\"\(o)\(s)/>")
    }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String = "#000000", width: Double = 1, dash: String? = nil) {
        let d = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
        raw("<line x1=\"\(SVG.n(x1))\" y1=\"\(SVG.n(y1))\" x2=\"\(SVG.n(x2))\" y2=\"\(SVG.n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(SVG.n(width))\"\(d)/>")
    }

    mutating func polyline(_ p: [(Double, Double)], stroke: String, width: Double = 2, dash: String? = nil) {
        guard !p.isEmpty else { return }
        let d = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
        raw("<polyline points=\"\(SVG.points(p))\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(SVG.n(width))\" stroke-linejoin=\"round\"\(d)/>")
    }

    mutating func polygon(_ p: [(Double, Double)], fill: String, opacity: Double) {
        guard !p.isEmpty else { return }
        raw("<polygon points=\"\(SVG.points(p))\" fill=\"\(fill)\" fill-opacity=\"\(String(format: "%.2f", opacity))\" stroke=\"none\"/>")
    }

    mutating func circle(_ cx: Double, _ cy: Double, _ r: Double, fill: String, stroke: String = "#FFFFFF") {
        raw("<circle cx=\"\(SVG.n(cx))\" cy=\"\(SVG.n(cy))\" r=\"\(SVG.n(r))\" fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"1.2\"/>")
    }

    /// A diamond centred on (x, y): the mark of a target.
    mutating func diamond(_ x: Double, _ y: Double, _ r: Double, fill: String) {
        raw("<polygon points=\"\(SVG.points([(x, y - r), (x + r, y), (x, y + r), (x - r, y)]))\" fill=\"\(fill)\" stroke=\"#FFFFFF\" stroke-width=\"1.2\"/>")
    }

    enum Anchor: String { case start, middle, end }

    mutating func text(
        _ x: Double, _ y: Double, _ s: String, anchor: Anchor = .start, size: Double = 12, weight: String? = nil,
        fill: String = "#000000", rotate: Bool = false, halo: Bool = false
    ) {
        let size = fontSize(size)
        let w = weight.map { " font-weight=\"\($0)\"" } ?? ""
        let r = rotate ? " transform=\"rotate(-90 \(SVG.n(x)) \(SVG.n(y)))\"" : ""
        // A white outline under the glyphs keeps a label legible where it crosses a band or line.
        let h = halo ? " stroke=\"#FFFFFF\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\"" : ""
        raw("<text x=\"\(SVG.n(x))\" y=\"\(SVG.n(y))\" font-size=\"\(SVG.n(size))\" text-anchor=\"\(anchor.rawValue)\" fill=\"\(fill)\"\(w)\(r)\(h)>\(Markup.escape(s))</text>")
    }

    /// The document, with its accessible name and description (`<title>`, `<desc>`).
    func render(id: String, title: String, description: String) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" id="\(id)" class="chart" viewBox="0 0 \(SVG.n(width)) \(SVG.n(height))" \
        width="\(SVG.n(width))" height="\(SVG.n(height))" role="img" aria-labelledby="\(id)-title \(id)-desc" \
        font-family="'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif">
        <title id="\(id)-title">\(Markup.escape(title))</title>
        <desc id="\(id)-desc">\(Markup.escape(description))</desc>
        <rect x="0" y="0" width="\(SVG.n(width))" height="\(SVG.n(height))" fill="#FFFFFF"/>
        \(body)</svg>
        """
    }
}
