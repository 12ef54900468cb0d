import WorkforceFormats
import Foundation
import Testing
import Workforce
@testable import WorkforceData
import WorkforceScenario

/// Shared files and helpers.
enum Sample {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Resources")
    /// Four forces of the real HO table, 2003 and 2004 (Resources/SOURCE.md).
    static let extractPath = folder.appendingPathComponent("ho-officers-extract-2003-2004.csv").path
    static let extract = try! String(contentsOfFile: extractPath, encoding: .utf8)
    static let table = try! HomeOfficeTable(parsing: extract, file: "extract.csv")

    /// The extract's totals summed in the simplest way, independently of `CSVTable` and
    /// `HomeOfficeTable`: fields split at commas outside quotes, counts read after removing
    /// spaces and commas, `-` as 0. Keyed by force, year and rank label.
    static let independentTotals: [String: Double] = {
        var totals: [String: Double] = [:]
        for line in extract.split(whereSeparator: \.isNewline).dropFirst() {  // the file has CRLF line ends
            var fields: [String] = [], current = "", inQuotes = false
            for c in line {
                if c == "\"" { inQuotes.toggle() } else if c == "," && !inQuotes { fields.append(current); current = "" } else { current.append(c) }
            }
            fields.append(current)
            let headcount = Double(fields[9].filter { $0 != " " && $0 != "," }) ?? 0  // "-" → 0
            let fte = Double(fields[10].filter { $0 != " " && $0 != "," }) ?? 0
            totals["\(fields[2])|\(fields[0])|\(fields[5])|headcount", default: 0] += headcount
            totals["\(fields[2])|\(fields[0])|\(fields[5])|fte", default: 0] += fte
        }
        return totals
    }()
}

@Suite struct ImportTests {
    let forces = ["Dyfed-Powys", "London, City of", "Metropolitan Police", "West Midlands"]

    @Test func theExtractHoldsFourForcesOverTwoYears() {
        #expect(Sample.table.forces == forces)
        #expect(Sample.table.years == [2003, 2004])
        #expect(Sample.table.rows.count == 4 * 2 * 2 * 7 * 6)
    }

    /// Every force × year × rank total, headcount and FTE, equals the independent sum; so does
    /// the written initial workforce (headcounts are whole, so nothing is rounded).
    @Test func totalsPerForceAndRankMatchIndependentSums() throws {
        for force in forces {
            for year in [2003, 2004] {
                for measure in HomeOfficeTable.Measure.allCases {
                    let s = try Sample.table.snapshot(force: force, year: year, measure: measure, mapping: .homeOffice)
                    #expect(s.dropped.isEmpty)
                    #expect(s.categories.ranks == CategoryMapping.homeOfficeRanks)
                    let rows = try s.initialRows(service: .metDecember2021)
                    for (r, rank) in s.categories.ranks.enumerated() {
                        let expected = Sample.independentTotals["\(force)|\(year)|\(rank)|\(measure.rawValue)"]
                        #expect(s.total(rank: r) == expected, "\(force) \(year) \(rank) \(measure)")
                        #expect(Double(rows.filter { $0.rank == rank }.reduce(0) { $0 + $1.headcount }) == expected)
                    }
                }
            }
        }
    }

    /// Anchors, from the published table (so a shared mistake in both sums would show).
    @Test func knownTotals() throws {
        let met = try Sample.table.snapshot(force: "metropolitan police", year: 2003, measure: .headcount, mapping: .homeOffice)
        #expect(met.total == 28_569)
        #expect(met.total(rank: 0) == Sample.independentTotals["Metropolitan Police|2003|Constable|headcount"])
        let wm = try Sample.table.snapshot(force: "E23000014", year: 2003, measure: .headcount, mapping: .homeOffice)
        #expect(wm.force == "West Midlands")
        #expect(wm.total == 7_934)
        let city = try Sample.table.snapshot(force: "London, City of", year: 2004, measure: .headcount, mapping: .homeOffice)
        #expect(city.total == 861)
    }

    @Test func countCellsAreReadWithTheirQuirks() {
        #expect(HomeOfficeTable.number(" 5,116 ") == .value(5116))
        #expect(HomeOfficeTable.number(" 16,651 ") == .value(16651))
        #expect(HomeOfficeTable.number("12.5") == .value(12.5))
        #expect(HomeOfficeTable.number(" -") == .suppressed)
        #expect(HomeOfficeTable.number("") == .suppressed)
        #expect(HomeOfficeTable.number("..") == .suppressed)
        #expect(HomeOfficeTable.number("n/a") == .invalid)
        #expect(HomeOfficeTable.number("-3") == .invalid)
        #expect(HomeOfficeTable.year(in: "31 March 2021") == 2021)
        #expect(HomeOfficeTable.year(in: "2004") == 2004)
    }

    /// A 2021-style table: other column order, CRLF line ends, a byte-order mark, "Other" and
    /// the short labels, a police staff row, an unknown rank and FTE with fractions.
    static let modern = "\u{FEFF}Force Name,As at 31 March...,Worker type,Rank description,Gender,Ethnicity,Total (FTE),Total (headcount)\r\n"
        + "Kent,2021,Police Officer,Constable,Female,Other,\" 2.5 \",3\r\n"
        + "Kent,2021,Police Officer,Constable,Female,Chinese or Other Ethnic Group (pre 2021 category),1.5,2\r\n"
        + "Kent,2021,Police Officer,Constable,Male,Asian,\" 1,000.4 \",\" 1,001 \"\r\n"
        + "Kent,2021,Police Officer,Constable,Male,Not stated,9.6,10\r\n"
        + "Kent,2021,Police Staff,Constable,Male,White,40,40\r\n"
        + "Kent,2021,Police Officer,Special Constable,Male,White,7,7\r\n"
        + "Kent,2021,Police Officer,Sergeant,Male,White,-,-\r\n"

    @Test func labelsOfEveryEraMapOntoOneCategoryAndDropsAreCounted() throws {
        let table = try HomeOfficeTable(parsing: Self.modern, file: "modern.csv")
        let s = try table.snapshot(force: "kent", year: 2021, measure: .headcount, mapping: .homeOffice)
        let c = s.categories
        let other = c.ethnicities.firstIndex(of: "Other")!, asian = c.ethnicities.firstIndex(of: "Asian")!
        let notStated = c.ethnicities.firstIndex(of: "Not stated")!
        #expect(s.counts[0][c.group(other, 0)] == 5)
        #expect(s.counts[0][c.group(asian, 1)] == 1001)
        #expect(s.counts[0][c.group(notStated, 1)] == 10)  // "Not stated" is a category of its own
        #expect(s.tableTotal == 1063)
        #expect(s.total == 1016)
        #expect(s.suppressedCells == 1)
        #expect(Set(s.dropped) == [
            Dropped(reason: .workerType, dimension: "worker type", label: "Police Staff", rows: 1, officers: 40),
            Dropped(reason: .unknownLabel, dimension: "rank", label: "Special Constable", rows: 1, officers: 7),
        ])
    }

    @Test func fteIsRoundedPerRankKeepingTheRankTotal() throws {
        let table = try HomeOfficeTable(parsing: Self.modern, file: "modern.csv")
        let s = try table.snapshot(force: "Kent", year: 2021, measure: .fte, mapping: .homeOffice)
        #expect(abs(s.total(rank: 0) - 1014) < 1e-9)
        let rows = try s.initialRows(service: .metDecember2021)
        #expect(rows.reduce(0) { $0 + $1.headcount } == 1014)
        #expect(s.wholeCounts[0].reduce(0, +) == 1014)
    }

    @Test func overridesDropOrRenameAndUnlistedCategoriesAreReported() throws {
        var mapping = CategoryMapping.homeOffice
        try mapping.apply("ethnicity:Not stated=-")
        try mapping.apply("rank: Chief Officer = Senior")
        let s = try Sample.table.snapshot(force: "Metropolitan Police", year: 2004, measure: .headcount, mapping: mapping)
        #expect(!s.categories.ethnicities.contains("Not stated"))
        #expect(s.categories.ranks.last == "Senior")
        let notStated = s.dropped.filter { $0.label == "Not stated" }
        #expect(notStated.map(\.reason) == [.mappedToNothing])
        #expect(notStated.first?.officers == 34)
        #expect(s.total == 30_385 - 34)

        // Onto a scenario's categories without "Not stated": dropped as not in the scenario.
        let met = Categories(
            ranks: CategoryMapping.homeOfficeRanks, ethnicities: ["White", "Black", "Asian", "Mixed", "Other"], genders: ["Female", "Male"])
        let onto = try Sample.table.snapshot(force: "Metropolitan Police", year: 2004, measure: .headcount, mapping: .homeOffice, categories: met)
        #expect(onto.dropped.map(\.reason) == [.notInScenario])
        #expect(onto.dropped.first?.officers == 34)

        for bad in ["ethnicity Not stated=-", "colour:Blue=Green", "rank:Constable", "gender:=Female"] {
            #expect(throws: MappingError.self) { try mapping.apply(bad) }
        }
    }

    @Test func badTablesAreReportedWithPositions() throws {
        let missing = "Force Name,Gender,Rank description,Ethnicity\nKent,Male,Constable,White\n"
        let error = try #require(throws: InputError.self) { try HomeOfficeTable(parsing: missing, file: "t.csv") }
        #expect(error.diagnostics.map(\.description) == [
            "t.csv:1:1: no 'As at 31 March...' column; expected the Home Office layout (As at 31 March..., Force Name, Geo code, Gender, "
                + "Rank description, Worker type, Ethnicity, Total (headcount), Total (FTE))",
            "t.csv:1:1: neither a 'Total (headcount)' nor a 'Total (FTE)' column; expected at least one of them",
        ])
        let badNumber = "As at 31 March...,Force Name,Gender,Rank description,Ethnicity,Total (headcount)\n"
            + "2003,Kent,Male,Constable,White,12\n2003,Kent,Male,Sergeant,White,lots\nyear,Kent,Male,Sergeant,Black,1\n"
        let problems = try #require(throws: InputError.self) { try HomeOfficeTable(parsing: badNumber, file: "t.csv") }
        #expect(problems.diagnostics.map(\.description) == [
            "t.csv:3:31: Total (headcount): 'lots' is not a count; expected a number from 0 to 1,000,000,000 (thousands commas allowed) or - for a suppressed cell",
            "t.csv:4:1: As at 31 March...: 'year' has no year; expected a year such as 2003",
        ])
        let unclosed = try #require(throws: InputError.self) { try CSVTable(parsing: "a,b\n1,\"2\n", file: "u.csv") }
        #expect(unclosed.description == "u.csv:2:3: a quoted field is not closed; expected a closing \" before the end of the file")
        let unknown = try #require(throws: InputError.self) {
            try Sample.table.snapshot(force: "Atlantis", year: 2003, measure: .headcount, mapping: .homeOffice)
        }
        #expect(unknown.description.hasPrefix("extract.csv: no force 'Atlantis' in the table; expected one of: Dyfed-Powys, London, City of, Metropolitan Police"))
        let year = try #require(throws: InputError.self) {
            try Sample.table.snapshot(force: "Dyfed-Powys", year: 2010, measure: .headcount, mapping: .homeOffice)
        }
        #expect(year.description == "extract.csv: no rows for Dyfed-Powys as at 31 March 2010; expected one of the years 2003, 2004")
    }

    /// The written CSV is an initial workforce the scenario loader accepts, with the same counts.
    @Test func theWrittenCSVLoadsAsAnInitialWorkforce() throws {
        let s = try Sample.table.snapshot(force: "London, City of", year: 2003, measure: .headcount, mapping: .homeOffice)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("workforce-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try CSVWriter.initial(try s.initialRows(service: .metDecember2021)).write(
            to: folder.appendingPathComponent("initial.csv"), atomically: true, encoding: .utf8)
        let scenario = """
            dimensions:
              ranks: [\(s.categories.ranks.joined(separator: ", "))]
              ethnicities: [\(s.categories.ethnicities.joined(separator: ", "))]
              genders: [Female, Male]
              max_service: 35
            simulation: {start: 2003-03, horizon: 2004-03, step: year}
            initial: {csv: initial.csv}
            leaving: {bands: ["0+"], rates: {\(s.categories.ranks.map { "\($0): [0.05]" }.joined(separator: ", "))}}
            """
        let model = try ScenarioLoader.parse(text: scenario, file: "city.yaml", directory: folder.path).model
        let d = model.dimensions
        for r in d.ranks.indices {
            for q in 0..<d.groupCount {
                let n = (0..<d.maxService).reduce(0) { $0 + model.initial[d.cell(r, q, $1)] }
                #expect(Double(n) == s.counts[r][q])
            }
        }
        // The profile's bands: Constables 0-4 hold 38% of their rank.
        let constables0to4 = (0..<d.groupCount).reduce(0) { sum, q in (0...4).reduce(sum) { $0 + model.initial[d.cell(0, q, $1)] } }
        #expect(abs(Double(constables0to4) / s.total(rank: 0) - 0.38 / 0.99) < 0.01)
    }
}
