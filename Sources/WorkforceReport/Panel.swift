import Workforce
import WorkforceResults

/// Pieces of the board summary for a page that shows them live (`workforce serve`): the aims
/// table and the fan charts, rendered by the report's own code (`BoardSummary`, `ScenarioReport`)
/// so that the workbench and the written report always say the same thing in the same words.
/// Pure strings; cost: one quantile lookup per drawn point (a few milliseconds for the Met).
package enum Panel {
    /// The headline ("3 of 10 aims on track; …"), the colour key, the aims table (status, chance
    /// met with its 95% interval, projected value at the date with its 90% interval; in an
    /// expected-value run met or not and the value) and the note on aims in the balance by
    /// construction, as one HTML fragment (a `<section class="summary">`).
    package static func aims(_ r: ScenarioResults) -> String {
        var page = Page(title: r.manifest.scenario)
        page.open("summary")
        if r.targets.isEmpty {
            page.paragraph("The scenario sets no aims.", className: "headline")
        } else {
            page.paragraph(BoardSummary.headline(r.targets.map(r.verdict)), className: "headline")
            BoardSummary.keyLine(&page)
            page.table(BoardSummary.aims(r), className: "aims")
            if let note = BoardSummary.recruitNote(r) { page.paragraph(note, className: "note") }
        }
        page.close()
        return page.fragment
    }

    /// The measures that can be charted: the report's fan charts (each group an aim names among
    /// all officers, then each rank an officer aim is set for), as (id, title), in the report's order.
    package static func measures(_ r: ScenarioResults) -> [(id: String, title: String)] {
        ScenarioReport.fanCharts(r).charts.map { ($0.id, $0.title) }
    }

    /// The fan chart of measure `id` (one of `measures`) with its aims marked as diamonds, as the
    /// report draws it; the first measure when `id` is nil or unknown; nil when there is none.
    package static func chart(_ r: ScenarioResults, measure id: String?) -> Chart? {
        let charts = ScenarioReport.fanCharts(r).charts
        return charts.first { $0.id == id } ?? charts.first
    }

    /// The report's screen and print styles (status colours, tables, figures), for a page that
    /// embeds `aims` and `chart`.
    package static var css: String { Page.css }

    /// An aim's status in the report's words and colour (`on track`, `green`), from the run's
    /// verdict; nil when no replication defines its measure.
    package static func status(_ r: ScenarioResults, aim: Int) -> Status? { r.verdict(r.targets[aim]).status }
}

extension Panel {
    /// A solve's answer in the report's words (`BoardSummary.whatItTakes`): "to meet … with a
    /// chance of at least 80%, … would need to be at least 46% (±0.3 pt: …)".
    package static func whatItTakes(_ s: SolveFile) -> String { BoardSummary.whatItTakes(s) }
}
