import WorkforceFormats

/// The Home Office "Police workforce open data tables" ethnicity table: officers by force ×
/// gender × rank × ethnicity, each as at 31 March, one row per cell, in the HO column layout
/// (`As at 31 March...`, `Geo code`, `Force Name`, `Region`, `Gender`, `Rank description`,
/// `Worker type`, `Ethnicity`, `Ethnic group`, `Total (headcount)`, `Total (FTE)`).
///
/// Columns are found by name (case and spacing do not matter; column order does not either);
/// `Geo code`, `Worker type` and one of the two totals may be missing. The real files' quirks are
/// read as they are: numbers padded with spaces and written with thousands commas
/// (`" 5,116 "`), and `-` (or an empty cell, `..` or `*`) for a suppressed or empty cell, which
/// counts as 0 and is counted in `suppressed`.
package struct HomeOfficeTable: Sendable {
    /// One row: the officers of one force × year × gender × rank × worker type × ethnicity.
    package struct Row: Sendable {
        /// The as-at year (31 March of it).
        package var year: Int
        package var force: String
        /// The force's ONS geography code (`E23000001`), empty when the table has none.
        package var code: String
        package var gender: String
        package var rank: String
        /// Empty when the table has no worker-type column.
        package var workerType: String
        package var ethnicity: String
        /// Headcount and full-time equivalent; nil when the table lacks the column.
        package var headcount: Double?
        package var fte: Double?
        /// Which of the two were written as suppressed or empty.
        package var headcountSuppressed: Bool
        package var fteSuppressed: Bool
        /// The line the row is on, for messages.
        package var line: Int
    }

    /// Which total to read.
    package enum Measure: String, Sendable, CaseIterable {
        case headcount
        /// Full-time equivalent (the HO headline basis).
        case fte

        /// The column header this measure is read from.
        package var column: String { self == .headcount ? "Total (headcount)" : "Total (FTE)" }
    }

    package var file: String
    package var rows: [Row]

    /// The values a suppressed or empty cell is written as.
    static let suppressedMarks: Set<String> = ["", "-", "..", "*"]

    /// Reads the table's CSV text. Every problem (a missing column, a number that is not one, a
    /// year that cannot be found in the as-at cell) is reported with its line and column.
    package init(parsing text: String, file: String) throws(InputError) {
        let table = try CSVTable(parsing: text, file: file)
        self.file = file
        let columns: [(key: String, index: Int?, required: Bool)] = [
            ("As at 31 March...", table.column(["As at", "Year"], prefixes: ["As at"]), true),
            ("Force Name", table.column(["Force Name", "Force"]), true),
            ("Geo code", table.column(["Geo code"]), false),
            ("Gender", table.column(["Gender", "Sex"]), true),
            ("Rank description", table.column(["Rank description", "Rank"]), true),
            ("Worker type", table.column(["Worker type"]), false),
            ("Ethnicity", table.column(["Ethnicity"]), true),
            ("Total (headcount)", table.column(["Total (headcount)", "Headcount"]), false),
            ("Total (FTE)", table.column(["Total (FTE)", "FTE"]), false),
        ]
        var problems = columns.filter { $0.required && $0.index == nil }.map { column in
            Diagnostic(
                file: file, line: table.header.first?.line ?? 1, column: 1,
                message: "no '\(column.key)' column; expected the Home Office layout (\(columns.map(\.key).joined(separator: ", ")))")
        }
        let headcountColumn = columns[7].index, fteColumn = columns[8].index
        if headcountColumn == nil && fteColumn == nil {
            problems.append(Diagnostic(
                file: file, line: table.header.first?.line ?? 1, column: 1,
                message: "neither a 'Total (headcount)' nor a 'Total (FTE)' column; expected at least one of them"))
        }
        guard problems.isEmpty else { throw InputError(problems) }
        let index = columns.map { $0.index ?? -1 }

        var rows: [Row] = []
        for fields in table.rows {
            func text(_ i: Int) -> String { index[i] < 0 ? "" : fields[index[i]].trimmed }
            func number(_ column: Int?) -> (value: Double?, suppressed: Bool) {
                guard let column else { return (nil, false) }
                switch Self.number(fields[column].text) {
                case .value(let value): return (value, false)
                case .suppressed: return (0, true)
                case .invalid:
                    problems.append(table.problem(
                        fields[column], column: column,
                        "'\(fields[column].trimmed)' is not a count; expected a number from 0 to 1,000,000,000 (thousands commas allowed) or - for a suppressed cell"))
                    return (nil, false)
                }
            }
            let year = Self.year(in: text(0))
            if year == nil {
                problems.append(table.problem(
                    fields[index[0]], column: index[0], "'\(text(0))' has no year; expected a year such as 2003"))
            }
            let headcount = number(headcountColumn), fte = number(fteColumn)
            guard let year else { continue }
            rows.append(Row(
                year: year, force: text(1), code: text(2), gender: text(3), rank: text(4), workerType: text(5),
                ethnicity: text(6), headcount: headcount.value, fte: fte.value,
                headcountSuppressed: headcount.suppressed, fteSuppressed: fte.suppressed, line: fields[0].line))
        }
        guard problems.isEmpty else { throw InputError(problems) }
        self.rows = rows
        let repeated = Self.repeatedCells([self])
        guard repeated.isEmpty else { throw InputError(repeated) }
    }

    /// Several tables read as one (e.g. one file per year): their rows, in order, under the first
    /// one's file name. A cell given twice, across the tables (the same table given twice, two
    /// tables sharing a year), is refused with both places, rather than summed.
    package init(combining tables: [HomeOfficeTable]) throws(InputError) {
        precondition(!tables.isEmpty, "at least one table")
        let repeated = Self.repeatedCells(tables)
        guard repeated.isEmpty else { throw InputError(repeated) }
        self = tables[0]
        rows = tables.flatMap(\.rows)
    }

    /// The rows of `tables` that repeat a cell (force, as-at year, gender, rank, worker type,
    /// ethnicity) of an earlier row: one problem each, naming both lines, the first 10 in full and
    /// then how many more. Cost: one pass over the rows, with a dictionary of their cells.
    static func repeatedCells(_ tables: [HomeOfficeTable]) -> [Diagnostic] {
        struct Cell: Hashable { var year: Int, force: String, gender: String, rank: String, workerType: String, ethnicity: String }
        var seen: [Cell: (table: Int, line: Int)] = [:]
        var problems: [Diagnostic] = []
        var more = 0
        for (t, table) in tables.enumerated() {
            for row in table.rows {
                let cell = Cell(
                    year: row.year, force: CSVTable.normalized(row.force), gender: row.gender, rank: row.rank, workerType: row.workerType,
                    ethnicity: row.ethnicity)
                guard let first = seen[cell] else {
                    seen[cell] = (t, row.line)
                    continue
                }
                guard problems.count < 10 else {
                    more += 1
                    continue
                }
                let place = first.table == t ? "line \(first.line)"
                    : tables[first.table].file == table.file ? "line \(first.line) of the same file, given before" : "\(tables[first.table].file) line \(first.line)"
                problems.append(Diagnostic(
                    file: table.file, line: row.line, column: 1,
                    message: "\(row.force), 31 March \(row.year), \(row.gender) \(row.rank) \(row.ethnicity)\(row.workerType.isEmpty ? "" : " (\(row.workerType))") "
                        + "is also on \(place); expected each cell once (is a table given twice, or do two tables share a year?)"))
            }
        }
        if more > 0 { problems.append(Diagnostic(file: tables[0].file, message: "\(more) more rows repeat a cell; expected each cell once")) }
        return problems
    }

    /// The largest count a cell may hold: a billion officers is beyond any force, and keeps every
    /// sum of cells well inside the whole numbers a `Double` and an `Int` hold exactly.
    package static let largestCount = 1e9

    /// What a count cell holds.
    enum Cell: Equatable {
        case value(Double)
        case suppressed
        case invalid
    }

    /// Reads a count cell: white space and thousands commas are ignored; `-`, `..`, `*` or
    /// nothing mean suppressed or empty.
    static func number(_ text: String) -> Cell {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if suppressedMarks.contains(trimmed) { return .suppressed }
        let digits = trimmed.replacingOccurrences(of: ",", with: "")
        guard digits.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), let value = Double(digits),
              (0...largestCount).contains(value)
        else {
            return .invalid
        }
        return .value(value)
    }

    /// The first four-digit number in an as-at cell (`2003`, `31 March 2003`, `2003-03-31`).
    static func year(in text: String) -> Int? {
        var digits = ""
        for c in text + " " {
            if c.isASCII && c.isNumber {
                digits.append(c)
            } else {
                // checked: from text: nil when not a whole number that fits
                if digits.count == 4, let year = Int(digits) { return year }
                digits = ""
            }
        }
        return nil
    }

    /// The forces in the table, in order of first appearance.
    package var forces: [String] {
        var seen = Set<String>()
        return rows.map(\.force).filter { seen.insert($0).inserted }
    }

    /// The as-at years in the table, increasing.
    package var years: [Int] { Set(rows.map(\.year)).sorted() }

    /// The force a name or code selects: compared without case and spacing, the whole name or code.
    package func force(named name: String) -> String? {
        let wanted = CSVTable.normalized(name)
        return rows.first { CSVTable.normalized($0.force) == wanted || CSVTable.normalized($0.code) == wanted }?.force
    }
}
