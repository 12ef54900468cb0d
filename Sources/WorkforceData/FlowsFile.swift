import WorkforceFormats

extension ObservedFlows {
    /// Reads a flows CSV (`year,flow,rank,ethnicity,gender,count`): leavers and joiners of the
    /// year ending 31 March `year`, labelled as in the HO tables or by category names (through the
    /// same `mapping` as the snapshots). `flow` is `leavers` or `joiners`; joiners join the lowest
    /// rank, so their `rank` may be empty. Counts may carry thousands commas; `-` is 0. Cells not
    /// listed are 0; rows for the same cell add up. Rows whose labels the mapping drops are left
    /// out; unknown labels are reported.
    package static func read(
        _ text: String, file: String, mapping: CategoryMapping, categories: Categories
    ) throws(InputError) -> [Int: ObservedFlows] {
        let table = try CSVTable(parsing: text, file: file)
        let names = ["year", "flow", "rank", "ethnicity", "gender", "count"]
        let columns = names.map { table.column([$0]) }
        guard columns.allSatisfy({ $0 != nil }) else {
            let missing = zip(names, columns).filter { $1 == nil }.map(\.0)
            throw InputError([Diagnostic(
                file: file, line: table.header.first?.line ?? 1, column: 1,
                message: "missing column \(missing.joined(separator: ", ")); expected the header \(names.joined(separator: ","))")])
        }
        let index = columns.map { $0! }
        let R = categories.ranks.count, Q = categories.groupCount
        var flows: [Int: ObservedFlows] = [:]
        var problems: [Diagnostic] = []
        for row in table.rows {
            func field(_ i: Int) -> CSVTable.Field { row[index[i]] }
            func fail(_ i: Int, _ message: String) { problems.append(table.problem(field(i), column: index[i], message)) }
            let year = HomeOfficeTable.year(in: field(0).trimmed)
            if year == nil { fail(0, "'\(field(0).trimmed)' has no year; expected the year the period ends (2004 for 2003/04)") }
            let kind = field(1).trimmed.lowercased()
            if kind != "leavers" && kind != "joiners" { fail(1, "'\(field(1).trimmed)' is not a flow; expected leavers or joiners") }
            var count: Double?
            switch HomeOfficeTable.number(field(5).text) {
            case .value(let value): count = value
            case .suppressed: count = 0
            case .invalid: fail(5, "'\(field(5).trimmed)' is not a count; expected a whole number from 0 to 1,000,000,000")
            }
            // Category indices; nil when the row is dropped by the mapping, and a problem when unknown.
            var indices: [Int?] = []
            var dropped = false
            for (i, dimension) in [(2, CategoryMapping.Dimension.rank), (3, .ethnicity), (4, .gender)] {
                let label = field(i).trimmed
                if dimension == .rank && label.isEmpty && kind == "joiners" {
                    indices.append(0)
                    continue
                }
                switch mapping.map(label, dimension) {
                case .category(let category):
                    let position = categories.names(dimension).firstIndex(of: category)
                    if position == nil { fail(i, "'\(label)' maps to \(category), which is not one of: \(categories.names(dimension).joined(separator: ", "))") }
                    indices.append(position)
                case .dropped:
                    dropped = true
                    indices.append(nil)
                case .unknown:
                    fail(i, "unknown \(dimension.rawValue) '\(label)'; expected a label the mapping knows (see --map)")
                    indices.append(nil)
                }
            }
            guard !dropped, let year, let count, let r = indices[0], let e = indices[1], let g = indices[2] else { continue }
            var entry = flows[year] ?? ObservedFlows()
            if kind == "leavers" {
                var leavers = entry.leavers ?? Array(repeating: Array(repeating: 0, count: Q), count: R)
                leavers[r][categories.group(e, g)] += count
                entry.leavers = leavers
            } else if kind == "joiners" {
                guard r == 0 else {
                    fail(2, "joiners into \(categories.ranks[r]); expected joiners into the lowest rank, \(categories.ranks[0]) (or no rank)")
                    continue
                }
                var joiners = entry.joiners ?? Array(repeating: 0, count: Q)
                joiners[categories.group(e, g)] += count
                entry.joiners = joiners
            }
            flows[year] = entry
        }
        guard problems.isEmpty else { throw InputError(problems) }
        return flows
    }
}
