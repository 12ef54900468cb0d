/// A report document built section by section into HTML and Markdown at once, so the two always
/// carry the same content. The HTML is one self-contained file: inline CSS and SVG, no scripts,
/// fonts or network (its Content-Security-Policy forbids them), laid out for A4 print.
struct Page {
    private var html = ""
    /// Headings and paragraphs waiting for what follows them: kept on one printed page with the
    /// figure after them, if any.
    private var lead = ""
    private(set) var markdown = ""
    private(set) var charts: [Chart] = []
    /// Tables of the numbers behind each chart, for the appendix of the HTML page.
    private var appendix: [(chart: Chart, number: Int)] = []
    private let title: String

    init(title: String) {
        self.title = title
    }

    mutating func heading(_ text: String, level: Int = 2, id: String? = nil) {
        let anchor = id.map { " id=\"\($0)\"" } ?? ""
        lead += "<h\(level)\(anchor)>\(Markup.escape(text))</h\(level)>\n"
        markdown += String(repeating: "#", count: level) + " " + text + "\n\n"
    }

    mutating func paragraph(_ text: String, className: String? = nil) {
        guard !text.isEmpty else { return }
        lead += "<p\(className.map { " class=\"\($0)\"" } ?? "")>\(Markup.escape(text))</p>\n"
        markdown += text + "\n\n"
    }

    mutating func bullets(_ items: [String]) {
        guard !items.isEmpty else { return }
        flush()
        html += "<ul>\n" + items.map { "<li>\(Markup.escape($0))</li>\n" }.joined() + "</ul>\n"
        markdown += items.map { "- \($0)\n" }.joined() + "\n"
    }

    mutating func table(_ table: Table, className: String = "data") {
        flush()
        html += table.html(className: className)
        markdown += table.markdown() + "\n"
    }

    /// A figure: the inline SVG with its caption; in Markdown, the SVG file, the caption and the
    /// numbers drawn. In HTML the numbers go to the appendix, unless `appendix` is false (the
    /// one-page summary, whose chart's numbers are in the report's own figures).
    mutating func figure(_ chart: Chart, appendix inAppendix: Bool = true) {
        charts.append(chart)
        let number = charts.count
        // The summary's figure is captioned by its title only: its numbers are in the report's own figures.
        let caption = inAppendix
            ? Markup.escape(chart.description) + " <span class=\"source\">(Numbers: appendix, table \(number); file \(Markup.escape(chart.id)).svg.)</span>"
            : Markup.escape(chart.title) + "; the aims are the diamonds (the numbers are in the full report)."
        html += (lead.isEmpty ? "" : "<div class=\"keep\">\n\(lead)")
            + "<figure id=\"figure-\(chart.id)\">\n\(chart.svg)\n<figcaption><strong>Figure \(number).</strong> \(caption)"
            + "</figcaption>\n</figure>\n"
            + (lead.isEmpty ? "" : "</div>\n")
        lead = ""
        markdown += "**Figure \(number). \(chart.title)**\n\n![\(chart.title)](\(chart.id).svg)\n\n\(chart.description)\n\n"
        guard inAppendix else { return }
        for table in chart.tables { markdown += table.markdown() + "\n" }
        appendix.append((chart, number))
    }

    /// Opens an HTML section of class `className` (the summary's: `summary`, printed on a page of
    /// its own); `close()` ends it.
    mutating func open(_ className: String) {
        flush()
        html += "<section class=\"\(className)\">\n"
    }

    /// A key: one line of labelled items, each label on its own class's background (the status
    /// colours), then its meaning: "Key: [green, on track] likely to be met …".
    mutating func key(_ items: [(className: String, label: String, meaning: String)], after: String = "") {
        flush()
        html += "<p class=\"key\">Key: " + items.map { "<span class=\"\($0.className)\">\(Markup.escape($0.label))</span> \(Markup.escape($0.meaning))" }
            .joined(separator: " ") + (after.isEmpty ? "" : " " + Markup.escape(after)) + "</p>\n"
        markdown += "Key: " + items.map { "**\($0.label)**: \($0.meaning)" }.joined(separator: " ") + (after.isEmpty ? "" : " " + after) + "\n\n"
    }

    mutating func close() {
        flush()
        html += "</section>\n"
    }

    /// The HTML written so far, without the document around it (for a page that embeds it).
    var fragment: String { html + lead }

    private mutating func flush() {
        html += lead
        lead = ""
    }

    /// The finished HTML document, with the appendix of chart data at the end, and the footer
    /// unless it is empty; `css` is added after the page's own styles (the summary's narrower
    /// print margins).
    func document(footer: String, css extra: String = "") -> String {
        var body = html + lead
        if !appendix.isEmpty {
            body += "<section id=\"data\">\n<h2>Appendix: the numbers behind the figures</h2>\n"
                + "<p>Exactly as in the result files (shares and probabilities × 100 as percentages; trailing zeros dropped).</p>\n"
            for (chart, number) in appendix {
                body += "<h3>Table \(number). \(Markup.escape(chart.title))</h3>\n" + chart.tables.map { $0.html() }.joined()
            }
            body += "</section>\n"
        }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <title>\(Markup.escape(title))</title>
            <style>
            \(Self.css)\(extra.isEmpty ? "" : "\n" + extra)
            </style>
            </head>
            <body>
            <main>
            \(body)</main>
            \(footer.isEmpty ? "" : "<footer><p>\(Markup.escape(footer))</p></footer>\n")</body>
            </html>

            """
    }

    /// Screen and A4 print styles; system fonts only.
    static let css = """
        :root { color: #111; background: #fff; }
        body { font-family: 'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif; font-size: 15px; line-height: 1.45; margin: 0 auto; max-width: 820px; padding: 24px; }
        h1 { font-size: 1.8em; margin: 0 0 .3em; }
        h2 { font-size: 1.3em; margin: 1.6em 0 .5em; border-bottom: 1px solid #bbb; padding-bottom: .15em; }
        h3 { font-size: 1.05em; margin: 1.2em 0 .4em; }
        .lede { font-size: 1.1em; }
        .meta, .source, .note, footer { color: #444; font-size: .88em; }
        figure { margin: 1em 0 1.6em; }
        figure svg.chart { display: block; width: 100%; height: auto; max-width: 720px; }
        figcaption { font-size: .88em; margin-top: .4em; }
        table { border-collapse: collapse; margin: .6em 0 1.2em; font-size: .86em; width: 100%; }
        caption { text-align: left; font-style: italic; margin-bottom: .3em; }
        th, td { border-bottom: 1px solid #ddd; padding: .3em .45em; vertical-align: top; text-align: left; overflow-wrap: break-word; }
        th { border-bottom: 2px solid #666; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; overflow-wrap: normal; }
        table.verdicts td:nth-child(3) { font-weight: bold; }
        .status-green { background: #C4E7DA; }
        .status-amber { background: #FBE2B0; }
        .status-red { background: #F6C9C0; }
        .headline { font-size: 1.45em; font-weight: bold; margin: .4em 0 .2em; }
        .question { font-size: 1.1em; margin: .2em 0 .3em; }
        .headline.compact { font-size: 1.05em; }
        .summary.side ul, .summary.side figcaption, .summary.side .note { font-size: .76em; line-height: 1.32; }
        .summary.side .key { font-size: .72em; }
        .summary.side h1 { font-size: 1.5em; }
        .summary.side .question { font-size: 1em; }
        .summary table { font-size: .8em; margin: .3em 0 .4em; }
        .summary th, .summary td { padding: .12em .4em; }
        .summary table.aims:not(.side-by-side) td:nth-child(n+2) { white-space: nowrap; }
        .summary table.aims:not(.side-by-side) td:first-child { width: 40%; }
        .summary table.side-by-side { font-size: .72em; }
        .summary ul { margin: .3em 0; padding-left: 1.3em; }
        .summary figure { margin: .3em 0 .4em; }
        .summary .key { font-size: .8em; color: #333; margin: .2em 0; }
        .summary .key span { padding: 0 .3em; }
        table.paired td.num { white-space: nowrap; }
        table.manifest th { width: 30%; border-bottom: 1px solid #ddd; font-weight: normal; color: #444; }
        td.code { font-family: 'DejaVu Sans Mono', 'Liberation Mono', monospace; font-size: .9em; word-break: break-all; }
        #data table { font-size: .78em; }
        @page { size: A4; margin: 14mm 13mm 16mm; }
        @media print {
          body { font-size: 10pt; max-width: none; padding: 0; }
          h2, h3, h2 + p, h3 + p { break-after: avoid; }
          figure, tr, .keep { break-inside: avoid; }
          thead { display: table-header-group; }
          figure svg.chart { max-width: \(Int(Print.chartWidthMillimetres))mm; }  /* Print: the width chart text sizes assume */
          #data { break-before: page; }
          section.summary:not(.alone) { break-after: page; }
        }
        """
}
