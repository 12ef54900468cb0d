import WorkforceFormats
import Foundation
import Workforce
import Yams

/// The largest-remainder (Hamilton) rule for splitting a whole number in given proportions.
public enum LargestRemainder {
    /// Splits `total` into whole parts in proportion to `weights` (which sum to 1): each part gets
    /// `floor(total × weight)`, then the units left over go one each to the parts with the largest
    /// fractional remainders, ties to the lower index.
    ///
    /// Products within 1e-9 of a whole number count as that number, and remainders are compared to
    /// 1e-9, so that rounding in the weights' last digits cannot break the rule's exact ties.
    public static func split(_ total: Int, by weights: [Double]) -> [Int] {
        let exact = weights.map { Double(total) * $0 }
        // checked: each product lies in 0...total, a validated headcount (at most Limits.officers).
        var parts = exact.map { Int(($0 + 1e-9).rounded(.down)) }
        // checked: a remainder lies in 0..<1, so its billionths are below 10^9.
        let remainders = zip(exact, parts).map { Int((max(0, $0 - Double($1)) * 1e9).rounded()) }
        let left = total - parts.reduce(0, +)
        let order = remainders.indices.sorted { (-remainders[$0], $0) < (-remainders[$1], $1) }
        for index in order.prefix(max(0, left)) {
            parts[index] += 1
        }
        return parts
    }

    /// Splits `total` evenly over the years of a service band.
    static func split(_ total: Int, over band: ClosedRange<Int>) -> [Int] {
        split(total, by: Array(repeating: 1 / Double(band.count), count: band.count))
    }
}

extension ScenarioReader {
    /// The columns of an initial-workforce CSV file.
    private static let csvColumns = ["rank", "ethnicity", "gender", "service", "headcount"]

    /// Reads `initial`, either `csv: path` or `ranks:` marginals, into a headcount per cell.
    mutating func readInitial(_ node: Node, _ path: FieldPath, _ dimensions: Dimensions) -> [Int]? {
        guard let record = record(
            node, path, expected: "a mapping with csv: path, or ranks: headcount and shares per rank", keys: ["csv", "ranks"])
        else { return nil }
        switch (record["csv"], record["ranks"]) {
        case (let csv?, nil):
            return readInitialCSV(csv, record.path("csv"), dimensions)
        case (nil, let ranks?):
            return readMarginals(ranks, record.path("ranks"), dimensions)
        case (nil, nil):
            report("missing; expected csv: path, or ranks: headcount and shares per rank", at: node, record.path("ranks"))
        case (_?, _?):
            report("both csv and ranks; expected one of them", at: record.keyNode("ranks"), record.path("ranks"))
        }
        return nil
    }

    // MARK: - Marginals

    /// Reads per-rank marginals and splits each rank's headcount deterministically: over groups by
    /// `share(e) · share(g | e)`, then each group's count over years of service by its profile.
    private mutating func readMarginals(_ node: Node, _ path: FieldPath, _ dimensions: Dimensions) -> [Int]? {
        guard let entries = entries(node, path, expected: "a mapping from rank to {headcount, ethnicity, gender, service}")
        else { return nil }
        var counts = [Int](repeating: 0, count: dimensions.cellCount)
        var complete = true
        for entry in entries {
            guard let rank = rank(entry.name, at: entry.key, entry.path, dimensions) else {
                complete = false
                continue
            }
            guard let cells = rankMarginals(entry.value, entry.path, dimensions) else {
                complete = false
                continue
            }
            for group in 0..<dimensions.groupCount {
                for service in 0..<dimensions.maxService {
                    counts[dimensions.cell(rank, group, service)] = cells[group][service]
                }
            }
        }
        return complete ? counts : nil
    }

    /// Reads one rank's marginals and splits its headcount: counts by group, then service.
    private mutating func rankMarginals(_ node: Node, _ path: FieldPath, _ dimensions: Dimensions) -> [[Int]]? {
        guard let record = record(
            node, path,
            expected: "a mapping with headcount, ethnicity, gender, service and optional gender_by_ethnicity and service_by_ethnicity",
            keys: ["headcount", "ethnicity", "gender", "service", "gender_by_ethnicity", "service_by_ethnicity"])
        else { return nil }
        let headcount = required(record, "headcount", expected: Quantity.headcount.expected)
            .flatMap { integer($0, record.path("headcount"), atLeast: 0, atMost: Limits.officers, expected: Quantity.headcount.expected) }
        let ethnicity = required(record, "ethnicity", expected: "shares by ethnicity")
            .flatMap { fixedShares($0, record.path("ethnicity"), dimensions.ethnicities, noun: "ethnicity") }
        let ethnicityCount = dimensions.ethnicities.count
        let gender = required(record, "gender", expected: "shares by gender")
            .flatMap { fixedShares($0, record.path("gender"), dimensions.genders, noun: "gender") }
            .map { Array(repeating: $0, count: ethnicityCount) }
        let service = required(record, "service", expected: "shares by service band")
            .flatMap { serviceProfile($0, record.path("service"), maxService: dimensions.maxService) }
            .map { Array(repeating: $0, count: ethnicityCount) }
        let genderByEthnicity = byEthnicity(record, "gender_by_ethnicity", dimensions, base: gender) {
            $0.fixedShares($1, $2, dimensions.genders, noun: "gender")
        }
        let serviceByEthnicity = byEthnicity(record, "service_by_ethnicity", dimensions, base: service) {
            $0.serviceProfile($1, $2, maxService: dimensions.maxService)
        }
        guard let headcount, let ethnicity, let genderByEthnicity, let serviceByEthnicity else { return nil }
        let genderCount = dimensions.genders.count
        let groupWeights = (0..<dimensions.groupCount).map { group in
            ethnicity[group / genderCount] * genderByEthnicity[group / genderCount][group % genderCount]
        }
        return LargestRemainder.split(headcount, by: groupWeights).enumerated().map { group, count in
            LargestRemainder.split(count, by: serviceByEthnicity[group / genderCount])
        }
    }

    /// Reads a map from ethnicity or aggregate to a replacement for `base` (one value per
    /// ethnicity) for those ethnicities; later entries win.
    private mutating func byEthnicity<Value>(
        _ record: Record, _ key: String, _ dimensions: Dimensions, base: [Value]?,
        read: (inout ScenarioReader, Node, FieldPath) -> Value?
    ) -> [Value]? {
        guard let node = record[key] else { return base }
        guard let entries = entries(node, record.path(key), expected: "a mapping from ethnicity or aggregate to shares") else {
            return nil
        }
        var result = base
        var complete = true
        for entry in entries {
            let members = members(Name(name: entry.name, node: entry.key, path: entry.path), .ethnicity, dimensions)
            guard let members, let value = read(&self, entry.value, entry.path) else {
                complete = false
                continue
            }
            for member in members { result?[member] = value }
        }
        return complete ? result : nil
    }

    /// Reads a service profile (band → share of the rank) as a weight per year of service, each
    /// band's share spread evenly over its years.
    private mutating func serviceProfile(_ node: Node, _ path: FieldPath, maxService: Int) -> [Double]? {
        guard let entries = entries(node, path, expected: "shares by service band, e.g. {\"0-4\": 0.4, \"5+\": 0.6}") else {
            return nil
        }
        var bands: [ClosedRange<Int>] = []
        for entry in entries {
            guard let band = band(entry.key, entry.path, maxService: maxService) else { continue }
            if let other = bands.firstIndex(where: { $0.overlaps(band) }) {
                report("'\(entry.name)' overlaps '\(entries[other].name)'; expected bands without overlaps", at: entry.key, entry.path)
                continue
            }
            bands.append(band)
        }
        guard let shares = checkedShares(entries, at: node, path, distributions: false).map(Self.resolved),
              bands.count == entries.count
        else { return nil }
        var weights = [Double](repeating: 0, count: maxService)
        for (band, share) in zip(bands, shares) {
            for year in band { weights[year] += share / Double(band.count) }
        }
        return weights
    }

    // MARK: - CSV

    /// Reads an initial-workforce CSV file named relative to the scenario file.
    private mutating func readInitialCSV(_ node: Node, _ path: FieldPath, _ dimensions: Dimensions) -> [Int]? {
        guard let relative = text(node, path, expected: "the path of a CSV file, relative to the scenario file") else { return nil }
        let csvFile = relative.hasPrefix("/") || directory.isEmpty
            ? relative
            : directory.hasSuffix("/") ? directory + relative : "\(directory)/\(relative)"
        guard let data = FileManager.default.contents(atPath: csvFile),
              let text = String(validating: Array(data), as: UTF8.self)
        else {
            report("cannot read '\(csvFile)'; expected a UTF-8 CSV file with the header \(Self.csvColumns.joined(separator: ",")), "
                   + "relative to the scenario file", at: node, path)
            return nil
        }
        return parseCSV(text, file: csvFile, dimensions)
    }

    /// Parses CSV rows `rank,ethnicity,gender,service,headcount` (columns in any order) into a
    /// headcount per cell; a band's headcount is split evenly over its years, and rows for the
    /// same cell add up. Problems are located at the file's line and column, the column name as path.
    private mutating func parseCSV(_ text: String, file: String, _ dimensions: Dimensions) -> [Int]? {
        let header = Self.csvColumns.joined(separator: ",")
        let table: CSVTable
        do {
            table = try CSVTable(keepingRaggedRows: text, file: file)
        } catch {
            diagnostics += error.diagnostics.map { d in
                var d = d
                if d.message.hasPrefix("the file is empty") { d.message = "the file is empty; expected the header \(header)" }
                return d
            }
            return nil
        }
        var positions: [String: Int] = [:]
        for (i, field) in table.header.enumerated() {
            if Self.csvColumns.contains(field.trimmed), positions[field.trimmed] == nil {
                positions[field.trimmed] = i
            } else {
                diagnostics.append(Diagnostic(
                    file: file, line: field.line, column: Self.column(field),
                    message: "unexpected column '\(field.trimmed)'; expected the header \(header)"))
            }
        }
        let columns = Self.csvColumns.compactMap { positions[$0] }
        guard columns.count == Self.csvColumns.count else {
            let missing = Self.csvColumns.filter { positions[$0] == nil }
            diagnostics.append(Diagnostic(
                file: file, line: table.header[0].line, column: 1,
                message: "missing column \(missing.joined(separator: ", ")); expected the header \(header)"))
            return nil
        }
        diagnostics += table.raggedRows
        var counts = [Int](repeating: 0, count: dimensions.cellCount)
        var complete = true
        for row in table.rows {
            guard row.count == table.header.count else {
                complete = false
                continue
            }
            let fields = columns.map { (text: row[$0].trimmed, column: Self.column(row[$0])) }
            func fail(_ column: Int, _ message: String) {
                diagnostics.append(Diagnostic(
                    file: file, line: row[columns[column]].line, column: fields[column].column, path: Self.csvColumns[column],
                    message: message))
            }
            let rank = rankIndex[fields[0].text]
            if rank == nil { fail(0, Self.unknown("rank", fields[0].text, dimensions.ranks)) }
            let ethnicity = dimensions.ethnicities.firstIndex(of: fields[1].text)
            if ethnicity == nil { fail(1, Self.unknown("ethnicity", fields[1].text, dimensions.ethnicities)) }
            let gender = dimensions.genders.firstIndex(of: fields[2].text)
            if gender == nil { fail(2, Self.unknown("gender", fields[2].text, dimensions.genders)) }
            var band: ClosedRange<Int>?
            do {
                band = try ServiceBand.parse(fields[3].text, maxService: dimensions.maxService)
            } catch {
                fail(3, error.message)
            }
            // checked: from text: nil when not a whole number that fits
            let headcount = fields[4].text.allSatisfy({ "0123456789-+".contains($0) }) ? Int(fields[4].text) : nil
            if let headcount, headcount < 0 {
                fail(4, "\(headcount) is negative; expected \(Quantity.headcount.expected)")
            } else if let headcount, headcount > Limits.officers {
                fail(4, "\(headcount) is above \(Limits.officers); expected \(Quantity.headcount.expected)")
            } else if headcount == nil, !fields[4].text.isEmpty, fields[4].text.allSatisfy({ "0123456789".contains($0) }) {
                fail(4, "\(fields[4].text) is above \(Limits.officers); expected \(Quantity.headcount.expected)")
            } else if headcount == nil {
                fail(4, "'\(fields[4].text)' is not a whole number; expected \(Quantity.headcount.expected)")
            }
            guard let rank, let ethnicity, let gender, let band, let headcount, (0...Limits.officers).contains(headcount) else {
                complete = false
                continue
            }
            let group = dimensions.group(ethnicity, gender)
            for (year, count) in zip(band, LargestRemainder.split(headcount, over: band)) {
                counts[dimensions.cell(rank, group, year)] += count
            }
        }
        return complete ? counts : nil
    }

    /// Where a field's text starts: past the white space before it.
    private static func column(_ field: CSVTable.Field) -> Int {
        field.column + field.text.prefix { $0 == " " || $0 == "\t" }.count
    }
}
