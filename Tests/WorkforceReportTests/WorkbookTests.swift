import Foundation
import Testing
import WorkforceFormats
import WorkforceResults
import WorkforceScenario
import _WorkforceTestSupport

/// results.xlsx, read back by openpyxl (PyPI; `scripts/ensure-dependencies --tests` installs it)
/// and rendered by LibreOffice (Debian libreoffice-calc): the same figures as the CSVs, cell for
/// cell, and a workbook that opens and prints.
@Suite(.serialized) struct WorkbookTests {
    /// A run of the example (40 replications) and its results read back from the folder.
    static let run: Result<URL, Command.Failure> = {
        do {
            let out = try CLI.temporaryFolder()
            let outcome = try CLI.run(["run", "Scenarios/example.yaml", "--replications", "40", "--quiet", "--out", out.path])
            guard outcome.status == 0 else { return .failure(Command.Failure(message: outcome.stderr)) }
            return .success(out.appendingPathComponent("example"))
        } catch {
            return .failure(Command.Failure(message: "\(error)"))
        }
    }()

    /// Every sheet as openpyxl reads it: rows of cells (numbers, text, dates as `YYYY-MM`, null
    /// for an empty cell), the frozen cell, and the number format of each cell of the first data row.
    private static let dump = #"""
        import json, sys, datetime, openpyxl
        book = openpyxl.load_workbook(sys.argv[1])
        out = {"order": book.sheetnames, "sheets": {}, "created": book.properties.created.isoformat()}
        for sheet in book.worksheets:
            def cell(v):
                if isinstance(v, datetime.datetime): return v.strftime("%Y-%m")
                return v
            rows = [[cell(c.value) for c in row] for row in sheet.iter_rows()]
            first = int(sheet.freeze_panes[1:]) if sheet.freeze_panes else 1
            formats = [c.number_format for c in sheet[first]] if sheet.max_row >= first else []
            out["sheets"][sheet.title] = {"rows": rows, "freeze": sheet.freeze_panes, "formats": formats,
                "charts": len(sheet._charts)}
        json.dump(out, sys.stdout)
        """#

    struct Sheet: Decodable {
        var rows: [[Cell]]
        var freeze: String?
        var formats: [String]
        var charts: Int
    }

    enum Cell: Decodable, Equatable {
        case number(Double), text(String), empty
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() { self = .empty } else if let x = try? c.decode(Double.self) { self = .number(x) } else { self = .text(try c.decode(String.self)) }
        }
        /// The cell as the CSV writes its figure: `decimals` places, NA when empty.
        func csv(_ decimals: Int) -> String {
            switch self {
            case .number(let x): CSVWriter.number(x, decimals)
            case .text(let s): s
            case .empty: "NA"
            }
        }
    }

    struct Book: Decodable {
        var order: [String]
        var sheets: [String: Sheet]
        var created: String
    }

    private func read(_ xlsx: URL) throws -> Book {
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", Self.dump, xlsx.path]
        let output = Pipe(), errors = Pipe()
        python.standardOutput = output
        python.standardError = errors
        try python.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        python.waitUntilExit()
        try #require(python.terminationStatus == 0, "openpyxl could not read the workbook (scripts/ensure-dependencies --tests installs it): \(message)")
        return try JSONDecoder().decode(Book.self, from: data)
    }

    /// Every figure of projections.csv, flows.csv and targets.csv is in the workbook, in the same
    /// order, equal at the CSV's precision; headers are frozen, shares formatted as %, counts whole.
    @Test func theWorkbookHoldsEveryFigureOfTheCSVs() throws {
        let folder = try Self.run.get()
        let book = try read(folder.appendingPathComponent("results.xlsx"))
        #expect(book.order == ["Aims", "Projections", "Flows", "Trend"])
        #expect(book.created.hasPrefix("2021-12-01T00:00:00"), "the created time is the run's start month: \(book.created)")

        // Projections: one row per CSV row; dates, labels, and the 12 (or more) figures.
        let projections = try ResultTable(try CLI.read(folder.appendingPathComponent("projections.csv")), file: "projections.csv")
        let p = try #require(book.sheets["Projections"])
        #expect(p.freeze == "E2")
        #expect(p.rows.count == projections.rows.count + 1)
        #expect(p.rows[0].prefix(6) == [.text("Date"), .text("Rank"), .text("Ethnicity"), .text("Gender"), .text("Officers, mean"), .text("Officers, 5th percentile")])
        #expect(p.formats[4] == "#,##0" && p.formats[10] == "0.0%", "\(p.formats)")
        var mismatches: [String] = []
        for (i, row) in projections.rows.enumerated() {
            let cells = p.rows[i + 1]
            let written = [cells[0].csv(0)] + cells[1...3].map { $0.csv(0) }
                + (4..<cells.count).map { j in
                    // Means to 10 decimals; headcount quantiles 3, share quantiles 6 (as the CSV).
                    let k = (j - 4) % 6
                    return cells[j].csv(k == 0 ? 10 : (j < 10 ? 3 : 6))
                }
            if written != row { mismatches.append("projections.csv line \(i + 2): \(row) ≠ \(written)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(3))")

        // Flows: the same, at 3 decimals.
        let flows = try ResultTable(try CLI.read(folder.appendingPathComponent("flows.csv")), file: "flows.csv")
        let f = try #require(book.sheets["Flows"])
        #expect(f.freeze == "F2" && f.rows.count == flows.rows.count + 1)
        for (i, row) in flows.rows.enumerated() {
            let cells = f.rows[i + 1]
            #expect(cells[0..<5].map { $0.csv(0) } + cells[5...].map { $0.csv(3) } == row, "flows.csv line \(i + 2)")
        }

        // Aims: each target's figures as targets.csv gives them, and its status in the report's words.
        let targets = try ResultTable(try CLI.read(folder.appendingPathComponent("targets.csv")), file: "targets.csv")
        let a = try #require(book.sheets["Aims"])
        #expect(a.freeze == "B4")
        #expect(a.rows.count == 3 + targets.rows.count)
        #expect(a.rows[2].prefix(4) == [.text("Aim"), .text("Definition"), .text("Status"), .text("Chance met (%)")])
        let column = { (name: String) throws -> Int in try targets.column(name) }
        for (i, row) in targets.rows.enumerated() {
            let cells = a.rows[3 + i]
            #expect(cells[0] == .text(row[try column("target")]))
            #expect([Cell.text("on track"), .text("in the balance"), .text("off track")].contains(cells[2]), "\(cells[2])")
            #expect(cells[3].csv(4) == row[try column("probability_met")])
            #expect(cells[7].csv(6) == row[try column("threshold")])
            #expect(cells[8].csv(0) == row[try column("date")])
            #expect(cells[9].csv(6) == row[try column("p50")])
            #expect(cells[10].csv(6) == row[try column("p5")])
            #expect(cells[11].csv(6) == row[try column("p95")])
            #expect(cells[12].csv(6) == row[try column("mean")])
            #expect(cells[13].csv(0) == row[try column("first_met_most_likely_year")])
            #expect(cells[14].csv(4) == row[try column("probability_never_met")])
            if case .number(let low) = cells[4], case .number(let high) = cells[5], case .number(let chance) = cells[3] {
                #expect(low <= chance && chance <= high, "the 95% interval holds the chance")
            } else {
                Issue.record("no chance interval: \(cells)")
            }
        }
        // Trend: the main measure by date and its native line chart.
        let t = try #require(book.sheets["Trend"])
        #expect(t.charts == 1)
        #expect(t.rows[1].prefix(4) == [.text("Date"), .text("5th percentile"), .text("25th percentile"), .text("Median")])
    }

    /// Two runs of the same scenario and seed write byte-identical workbooks.
    @Test func theSameRunGivesTheSameBytes() throws {
        let first = try Self.run.get()
        let out = try CLI.temporaryFolder()
        let again = try CLI.run(["run", "Scenarios/example.yaml", "--replications", "40", "--threads", "1", "--quiet", "--out", out.path])
        #expect(again.status == 0, "\(again.stderr)")
        let a = try Data(contentsOf: first.appendingPathComponent("results.xlsx"))
        let b = try Data(contentsOf: out.appendingPathComponent("example/results.xlsx"))
        #expect(a.count > 10_000 && a == b)
    }

    /// LibreOffice (headless) opens the workbook and prints it: the Aims sheet's words are in the PDF.
    @Test func libreOfficeOpensAndPrintsIt() throws {
        let folder = try Self.run.get()
        let out = try CLI.temporaryFolder()
        let office = Process()
        office.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        office.arguments = ["libreoffice", "-env:UserInstallation=file://\(out.path)/profile", "--headless", "--convert-to", "pdf", "--outdir", out.path,
                            folder.appendingPathComponent("results.xlsx").path]
        office.standardOutput = FileHandle.nullDevice
        office.standardError = FileHandle.nullDevice
        try office.run()
        office.waitUntilExit()
        try #require(office.terminationStatus == 0, "libreoffice failed (Debian libreoffice-calc; scripts/ensure-dependencies --tests installs it)")
        let pdf = out.appendingPathComponent("results.pdf")
        let text = Process()
        text.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        text.arguments = ["pdftotext", "-l", "1", pdf.path, "-"]
        let pipe = Pipe()
        text.standardOutput = pipe
        try text.run()
        let words = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        text.waitUntilExit()
        #expect(words.contains("will the aims be met?") && words.contains("BAME 21% of officers by 2024") && words.contains("off track"), "\(words.prefix(600))")
    }
}
