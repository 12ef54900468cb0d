import Foundation
import Workforce
import WorkforceResults
import _CXlsxWriter

/// `results.xlsx`: a run's results as a workbook a board paper writer opens in Excel or
/// LibreOffice, written with libxlsxwriter from the typed results (never from the CSVs).
///
/// Sheets, each with its header row frozen, column widths set and units in the headers:
/// - **Aims**: each aim in the report's words: status, chance met with its 95% interval, in
///   words, the level, the date, the projected median with its 90% interval and mean, the most
///   likely year first met, the chance it is not met by the horizon, what it would need;
/// - **Projections**: every row of projections.csv (officers: mean and quantiles; share: mean
///   and quantiles, and the share on each other denominator basis);
/// - **Flows**: every row of flows.csv (officers a year: mean, 5th percentile, median, 95th);
/// - **Trend**: the main measure's quantiles by date, and its fan as a native line chart.
///
/// Numbers are stored as numbers at full precision (the CSVs round them: 10 decimals for means,
/// 3 or 6 for quantiles) and shown with formats: shares as `0.0%`, counts whole (`#,##0`), dates
/// as `mmm yyyy` (the first of the month; results are as at its end); an undefined figure (`NA`
/// in the CSVs) is an empty cell. The document's creation time is the run's start month (1st,
/// 00:00 UTC), so the same results give the same bytes. Cost: one cell per figure; about 2 MB
/// for the Met scenarios' 40,000 projection rows.
package enum Workbook {
    package static let fileName = "results.xlsx"

    /// A workbook that could not be written: the path and libxlsxwriter's reason in words.
    package struct WriteError: Error, CustomStringConvertible {
        package var path: String
        package var reason: String
        package var description: String { "cannot write \(path): \(reason)" }
    }

    /// The sheets' names, in order.
    package static let sheets = ["Aims", "Projections", "Flows", "Trend"]

    /// Writes the workbook of `results` to `path` (replacing a file there).
    package static func write(_ results: RunResults, to path: String) throws(WriteError) {
        let scenario: ScenarioResults
        do { scenario = try ScenarioResults(results) } catch { throw WriteError(path: path, reason: error.description) }
        guard let workbook = workbook_new(path) else { throw WriteError(path: path, reason: "libxlsxwriter could not create the workbook") }
        var book = Book(workbook)
        var properties = lxw_doc_properties()
        let title = strdup("\(results.manifest.shownName): results")
        let author = strdup("workforce \(results.manifest.version)")
        defer { free(title); free(author) }
        properties.title = title
        properties.author = author
        properties.created = createdTime(scenario.start)
        workbook_set_properties(workbook, &properties)

        aims(&book, scenario)
        projections(&book, results)
        flows(&book, results)
        trend(&book, scenario)
        let status = workbook_close(workbook)
        guard status == LXW_NO_ERROR else { throw WriteError(path: path, reason: String(cString: lxw_strerror(status))) }
    }

    /// Midnight UTC on the first day of `month`, in seconds since 1970: the workbook's created time.
    static func createdTime(_ month: Month) -> time_t {
        var t = tm()
        // checked: a month read from a scenario has a four-digit year (0...9999, Month(parsing:)); the run ends at most 200 years on (Limits)
        t.tm_year = Int32(month.year - 1900)
        // checked: a month is 1...12
        t.tm_mon = Int32(month.month - 1)
        t.tm_mday = 1
        return timegm(&t)
    }

    // MARK: Sheets

    private static func aims(_ book: inout Book, _ r: ScenarioResults) {
        let sheet = book.sheet("Aims")
        let expected = r.manifest.mode == .expectedValue
        sheet.text(0, 0, "\(r.manifest.shownName): will the aims be met?", book.format(bold: true, size: 14))
        let about: String
        if expected {
            about = "One expected-value projection: each aim met or not at its date, and the value there."
        } else {
            let run = "Monte Carlo simulation of \(Figure(Double(r.manifest.replications)).count) replications, seed \(r.manifest.seed). "
            let chance = "Chance met: the share of replications meeting the aim at its date, with its 95% interval (Wilson). "
            let projected = "Projected: the median over replications with its 90% interval. "
            about = run + chance + projected + "Status: " + Status.allCases.map(\.key).joined(separator: " ")
        }
        // Wrapped across the table's width, so that it neither spills past the table nor widens its print.
        worksheet_merge_range(sheet.pointer, 1, 0, 1, 15, about, book.format(wrap: true))
        worksheet_set_row(sheet.pointer, 1, 48, nil)
        let header = [
            ("Aim", 34.0), ("Definition", 48.0), ("Status", 14.0), ("Chance met (%)", 10.0), ("Chance met, 95% interval low (%)", 12.0),
            ("Chance met, 95% interval high (%)", 12.0), ("In words", 22.0), ("Level (%)", 9.0), ("Date", 10.0),
            ("Projected median (%)", 11.0), ("Projected, 5th percentile (%)", 11.0), ("Projected, 95th percentile (%)", 11.0),
            ("Projected mean (%)", 11.0), ("Most likely year first met", 11.0), ("Chance not met by \(Dates.long(r.horizon)) (%)", 12.0),
            ("What it would need (expected value)", 48.0),
        ]
        book.header(sheet, row: 2, header.map(\.0), widths: header.map(\.1))
        let percent = book.format(number: "0.0%"), whole = book.format(number: "0"), date = book.format(number: "mmm yyyy")
        let wrap = book.format(wrap: true)
        for (i, t) in r.targets.enumerated() {
            let row = 3 + i
            worksheet_set_row(sheet.pointer, lxw_row_t(row), 30, nil)
            let verdict = r.verdict(t)
            let status = book.format(wrap: true, fill: verdict.status.map(Self.fill))
            sheet.text(row, 0, t.name, wrap)
            sheet.text(row, 1, ScenarioReport.aim(t, ranks: r.ranks), wrap)
            sheet.text(row, 2, expected ? verdict.words : verdict.status?.rawValue ?? "not known", status)
            if let chance = verdict.chance {
                let format = book.format(number: chance.decimals == 0 ? "0%" : "0.0%")
                sheet.number(row, 3, chance.estimate, format)
                sheet.number(row, 4, chance.low, format)
                sheet.number(row, 5, chance.high, format)
            }
            sheet.text(row, 6, expected ? verdict.words : verdict.bands, wrap)
            sheet.number(row, 7, t.definition.threshold, percent)
            sheet.date(row, 8, t.date, date)
            sheet.number(row, 9, t.value.p50, percent)
            sheet.number(row, 10, t.value.p5, percent)
            sheet.number(row, 11, t.value.p95, percent)
            sheet.number(row, 12, t.value.mean, percent)
            if let year = t.mostLikelyFirstYear { sheet.number(row, 13, Double(year.year), whole) } else { sheet.text(row, 13, "never", wrap) }
            if !expected { sheet.number(row, 14, t.firstMet.never, percent) }
            sheet.text(row, 15, t.attainability?.statement ?? "", wrap)
        }
        worksheet_freeze_panes(sheet.pointer, 3, 1)
    }

    private static func projections(_ book: inout Book, _ results: RunResults) {
        let sheet = book.sheet("Projections")
        let quantiles = ["mean", "5th percentile", "25th percentile", "median", "75th percentile", "95th percentile"]
        let header = ["Date", "Rank", "Ethnicity", "Gender"] + quantiles.map { "Officers, \($0)" } + quantiles.map { "Share, \($0) (%)" }
            + results.bases.flatMap { basis in quantiles.map { "Share excluding \(basis.joined(separator: ", ")), \($0) (%)" } }
        book.header(sheet, row: 0, header, widths: [10, 18, 12, 10] + Array(repeating: 12, count: header.count - 4))
        let count = book.format(number: "#,##0"), percent = book.format(number: "0.0%"), date = book.format(number: "mmm yyyy")
        for (i, p) in results.projections.enumerated() {
            let row = 1 + i
            sheet.date(row, 0, p.date, date)
            sheet.texts(row, from: 1, [p.rank.name, p.ethnicity.name, p.gender.name])
            for (k, q) in ([p.headcount, p.share] + p.basisShares).enumerated() {
                for (j, x) in [q.mean, q.p5, q.p25, q.p50, q.p75, q.p95].enumerated() {
                    sheet.number(row, 4 + 6 * k + j, x, k == 0 ? count : percent)
                }
            }
        }
        worksheet_freeze_panes(sheet.pointer, 1, 4)
    }

    private static func flows(_ book: inout Book, _ results: RunResults) {
        let sheet = book.sheet("Flows")
        let header = ["Year ending", "Flow", "Rank", "Ethnicity", "Gender", "Officers a year, mean", "Officers a year, 5th percentile",
                      "Officers a year, median", "Officers a year, 95th percentile"]
        book.header(sheet, row: 0, header, widths: [10, 16, 18, 12, 10, 13, 13, 13, 13])
        let count = book.format(number: "#,##0"), date = book.format(number: "mmm yyyy")
        for (i, f) in results.flows.enumerated() {
            let row = 1 + i
            sheet.date(row, 0, f.yearEnd, date)
            sheet.texts(row, from: 1, [f.flow.name, f.rank.name, f.ethnicity.name, f.gender.name])
            for (j, x) in [f.count.mean, f.count.p5, f.count.p50, f.count.p95].enumerated() { sheet.number(row, 5 + j, x, count) }
        }
        worksheet_freeze_panes(sheet.pointer, 1, 5)
    }

    /// The summary's trend (the main measure: the group of the first officer aim among all
    /// officers) by date, and its fan as a line chart: median, 50% and 90% interval ends.
    private static func trend(_ book: inout Book, _ r: ScenarioResults) {
        let sheet = book.sheet("Trend")
        guard let (title, stats) = BoardSummary.trendSeries(r), !stats.isEmpty else {
            sheet.text(0, 0, "No officer aim: no main measure to draw.", nil)
            return
        }
        sheet.text(0, 0, title + " (%)", book.format(bold: true, size: 12))
        let names = ["Date", "5th percentile", "25th percentile", "Median", "75th percentile", "95th percentile"]
        book.header(sheet, row: 1, names, widths: [10, 13, 13, 13, 13, 13])
        let percent = book.format(number: "0.0%"), date = book.format(number: "mmm yyyy")
        for (i, point) in stats.enumerated() {
            sheet.date(2 + i, 0, point.date, date)
            for (j, x) in [point.stats.p5, point.stats.p25, point.stats.p50, point.stats.p75, point.stats.p95].enumerated() {
                sheet.number(2 + i, 1 + j, x.value, percent)
            }
        }
        worksheet_freeze_panes(sheet.pointer, 2, 1)
        // checked: libxlsxwriter enum raw values are below 256
        guard let chart = workbook_add_chart(book.pointer, UInt8(LXW_CHART_LINE.rawValue)) else { return }
        let last = 2 + stats.count - 1
        let colours: [UInt32] = [0xA6C8E0, 0x56B4E9, 0x0072B2, 0x56B4E9, 0xA6C8E0]
        for j in 1...5 {
            let series = chart_add_series(chart, nil, nil)
            chart_series_set_categories(series, "Trend", 2, 0, lxw_row_t(last), 0)
            chart_series_set_values(series, "Trend", 2, lxw_col_t(j), lxw_row_t(last), lxw_col_t(j))
            chart_series_set_name_range(series, "Trend", 1, lxw_col_t(j))
            var line = lxw_chart_line()
            line.color = colours[j - 1]
            line.width = j == 3 ? 2.5 : 1.25
            // checked: libxlsxwriter enum raw values are below 256
            line.dash_type = UInt8(j == 3 ? LXW_CHART_LINE_DASH_SOLID.rawValue : LXW_CHART_LINE_DASH_DASH.rawValue)
            chart_series_set_line(series, &line)
        }
        chart_title_set_name(chart, title)
        chart_axis_set_name(chart.pointee.y_axis, "Share (%)")
        chart_axis_set_num_format(chart.pointee.y_axis, "0%")
        chart_axis_set_min(chart.pointee.y_axis, 0)
        chart_axis_set_name(chart.pointee.x_axis, "Date (as at the end of the month)")
        chart_axis_set_num_format(chart.pointee.x_axis, "mmm yyyy")
        // checked: libxlsxwriter enum raw values are below 256
        chart_legend_set_position(chart, UInt8(LXW_CHART_LEGEND_BOTTOM.rawValue))
        var options = lxw_chart_options()
        options.x_scale = 1.6
        options.y_scale = 1.5
        worksheet_insert_chart_opt(sheet.pointer, 1, 7, chart, &options)
    }

    /// A status's cell fill: the report's status colours.
    private static func fill(_ status: Status) -> UInt32 {
        switch status {
        case .onTrack: 0xC4E7DA
        case .inTheBalance: 0xFBE2B0
        case .offTrack: 0xF6C9C0
        }
    }

    // MARK: libxlsxwriter

    /// The workbook being written and its formats, one per distinct look (libxlsxwriter keeps
    /// every format added).
    private struct Book {
        let pointer: UnsafeMutablePointer<lxw_workbook>
        private var formats: [String: UnsafeMutablePointer<lxw_format>] = [:]

        init(_ pointer: UnsafeMutablePointer<lxw_workbook>) { self.pointer = pointer }

        func sheet(_ name: String) -> Sheet { Sheet(pointer: workbook_add_worksheet(pointer, name)) }


        mutating func format(number: String? = nil, bold: Bool = false, size: Double? = nil, wrap: Bool = false, fill: UInt32? = nil) -> UnsafeMutablePointer<lxw_format> {
            let key = "\(number ?? "")|\(bold)|\(size ?? 0)|\(wrap)|\(fill ?? 0)"
            if let f = formats[key] { return f }
            let f = workbook_add_format(pointer)!
            if let number { format_set_num_format(f, number) }
            if bold { format_set_bold(f) }
            if let size { format_set_font_size(f, size) }
            // checked: libxlsxwriter enum raw values are below 256
            format_set_align(f, UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue))  // text that wraps and numbers beside it line up
            if wrap { format_set_text_wrap(f) }
            if let fill { format_set_bg_color(f, fill) }
            formats[key] = f
            return f
        }

        /// A bold, wrapped header row at `row`, and the columns' widths (in characters); the
        /// sheet prints on A4 landscape, one page wide, with the header row on every page.
        mutating func header(_ sheet: Sheet, row: Int, _ names: [String], widths: [Double]) {
            worksheet_set_paper(sheet.pointer, 9)  // A4
            worksheet_set_landscape(sheet.pointer)
            worksheet_fit_to_pages(sheet.pointer, 1, 0)
            worksheet_repeat_rows(sheet.pointer, lxw_row_t(row), lxw_row_t(row))
            let bold = format(bold: true, wrap: true)
            worksheet_set_row(sheet.pointer, lxw_row_t(row), 45, nil)  // three lines of wrapped header
            for (column, name) in names.enumerated() { sheet.text(row, column, name, bold) }
            for (column, width) in widths.enumerated() {
                worksheet_set_column(sheet.pointer, lxw_col_t(column), lxw_col_t(column), width, nil)
            }
        }
    }

    private struct Sheet {
        let pointer: UnsafeMutablePointer<lxw_worksheet>!

        func text(_ row: Int, _ column: Int, _ s: String, _ format: UnsafeMutablePointer<lxw_format>?) {
            worksheet_write_string(pointer, lxw_row_t(row), lxw_col_t(column), s, format)
        }

        /// Plain texts in a row, from `column` on (a row's labels).
        func texts(_ row: Int, from column: Int, _ texts: [String]) {
            for (k, s) in texts.enumerated() { text(row, column + k, s, nil) }
        }

        /// A number; an undefined one (NaN, `NA` in the CSVs) leaves the cell empty.
        func number(_ row: Int, _ column: Int, _ x: Double?, _ format: UnsafeMutablePointer<lxw_format>?) {
            guard let x, x.isFinite else { return }
            worksheet_write_number(pointer, lxw_row_t(row), lxw_col_t(column), x, format)
        }

        /// The month as a date: its first day.
        func date(_ row: Int, _ column: Int, _ month: Month, _ format: UnsafeMutablePointer<lxw_format>?) {
            // checked: a month read from a scenario has a four-digit year (0...9999, Month(parsing:)) and a month in 1...12; the run ends at most 200 years on (Limits)
            var d = lxw_datetime(year: Int32(month.year), month: Int32(month.month), day: 1, hour: 0, min: 0, sec: 0)
            worksheet_write_datetime(pointer, lxw_row_t(row), lxw_col_t(column), &d, format)
        }
    }
}
