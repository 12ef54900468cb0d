import WorkforceFormats

/// The categories counts are kept by: ranks (lowest first), ethnicities and genders.
package struct Categories: Sendable, Hashable {
    package var ranks: [String]
    package var ethnicities: [String]
    package var genders: [String]

    package init(ranks: [String], ethnicities: [String], genders: [String]) {
        self.ranks = ranks
        self.ethnicities = ethnicities
        self.genders = genders
    }

    /// The categories a mapping produces, in its order (the order used without a scenario).
    package init(_ mapping: CategoryMapping) {
        self.init(
            ranks: mapping.categories(.rank), ethnicities: mapping.categories(.ethnicity), genders: mapping.categories(.gender))
    }

    func names(_ dimension: CategoryMapping.Dimension) -> [String] {
        switch dimension {
        case .rank: ranks
        case .ethnicity: ethnicities
        case .gender: genders
        }
    }

    /// Groups are ethnicity × gender, ethnicity outer (as in the engine).
    package var groupCount: Int { ethnicities.count * genders.count }
    package func group(_ ethnicity: Int, _ gender: Int) -> Int { ethnicity * genders.count + gender }
    /// "White Female".
    package func groupName(_ group: Int) -> String {
        "\(ethnicities[group / genders.count]) \(genders[group % genders.count])"
    }
}

/// What an import left out, and why, with the number of table rows and officers.
package struct Dropped: Sendable, Hashable {
    package enum Reason: String, Sendable {
        /// Not the worker type imported (e.g. police staff, PCSOs).
        case workerType = "other worker type"
        /// The mapping drops this label on purpose.
        case mappedToNothing = "dropped by the mapping"
        /// No rule of the mapping names this label.
        case unknownLabel = "label not in the mapping"
        /// The label's category is not one of the scenario's.
        case notInScenario = "category not in the scenario"
    }
    package var reason: Reason
    /// "worker type", "rank", "ethnicity" or "gender".
    package var dimension: String
    /// The table's label, and the category it mapped to when that is the problem.
    package var label: String
    package var rows: Int
    package var officers: Double
}

/// The officers of one force at one date, mapped onto a set of categories: a count for each
/// rank × ethnicity × gender, and an account of what was read and what was left out.
package struct ForceSnapshot: Sendable {
    package var force: String
    package var code: String
    /// As at 31 March of this year.
    package var year: Int
    package var measure: HomeOfficeTable.Measure
    package var categories: Categories
    /// `counts[rank][group]` (group = ethnicity × gender, see `Categories.group`): headcount or FTE.
    package var counts: [[Double]]
    /// Table rows of the force and year read, and how many of their cells were suppressed (`-`).
    package var rows: Int
    package var suppressedCells: Int
    /// Every officer of the force and year in the table, of every worker type.
    package var tableTotal: Double
    package var dropped: [Dropped]
    /// Per table rank label (of the worker type imported): officers in the table and officers kept.
    package var byRankLabel: [(label: String, table: Double, kept: Double)]

    /// Officers kept.
    package var total: Double { counts.joined().reduce(0, +) }
    /// Officers kept in one rank.
    package func total(rank: Int) -> Double { counts[rank].reduce(0, +) }
}

extension HomeOfficeTable {
    /// The officers of `force` (a name or geo code) as at 31 March `year`, by `measure`, of
    /// `workerType` (compared without case; every row when the table has no worker-type column),
    /// mapped by `mapping` onto `categories` (the mapping's own when nil). Rows whose labels map to
    /// nothing, or to a category not in `categories`, are left out and accounted for in `dropped`.
    package func snapshot(
        force name: String, year: Int, measure: Measure, mapping: CategoryMapping, categories: Categories? = nil,
        workerType: String = "Police Officer"
    ) throws(InputError) -> ForceSnapshot {
        guard let force = force(named: name) else {
            throw InputError(file: file, "no force '\(name)' in the table; expected one of: \(forces.joined(separator: ", "))")
        }
        let forceRows = rows.filter { $0.force == force }
        guard forceRows.contains(where: { $0.year == year }) else {
            let years = Set(forceRows.map(\.year)).sorted().map(String.init)
            throw InputError(file: file, "no rows for \(force) as at 31 March \(year); expected one of the years \(years.joined(separator: ", "))")
        }
        guard (measure == .headcount ? forceRows[0].headcount : forceRows[0].fte) != nil else {
            throw InputError(file: file, "the table has no '\(measure.column)' column; expected it for --count \(measure.rawValue)")
        }
        let categories = categories ?? Categories(mapping)
        let selected = forceRows.filter { $0.year == year }
        var counts = Array(repeating: Array(repeating: 0.0, count: categories.groupCount), count: categories.ranks.count)
        var dropped: [Dropped] = []
        var byRank: [(label: String, table: Double, kept: Double)] = []
        func drop(_ reason: Dropped.Reason, _ dimension: String, _ label: String, _ officers: Double) {
            if let i = dropped.firstIndex(where: { $0.reason == reason && $0.dimension == dimension && $0.label == label }) {
                dropped[i].rows += 1
                dropped[i].officers += officers
            } else {
                dropped.append(Dropped(reason: reason, dimension: dimension, label: label, rows: 1, officers: officers))
            }
        }
        let wantedType = CSVTable.normalized(workerType)
        var suppressed = 0
        var tableTotal = 0.0
        for row in selected {
            let officers = (measure == .headcount ? row.headcount : row.fte) ?? 0
            tableTotal += officers
            if measure == .headcount ? row.headcountSuppressed : row.fteSuppressed { suppressed += 1 }
            if !row.workerType.isEmpty && CSVTable.normalized(row.workerType) != wantedType {
                drop(.workerType, "worker type", row.workerType, officers)
                continue
            }
            if let i = byRank.firstIndex(where: { $0.label == row.rank }) {
                byRank[i].table += officers
            } else {
                byRank.append((row.rank, officers, 0))
            }
            // The category index of a label, or nil when the row is dropped (counted once, at the
            // first dimension that drops it).
            func index(_ label: String, _ dimension: CategoryMapping.Dimension) -> Int? {
                switch mapping.map(label, dimension) {
                case .category(let category):
                    if let index = categories.names(dimension).firstIndex(of: category) { return index }
                    drop(.notInScenario, dimension.rawValue, CSVTable.normalized(label) == CSVTable.normalized(category) ? label : "\(label) → \(category)", officers)
                case .dropped:
                    drop(.mappedToNothing, dimension.rawValue, label, officers)
                case .unknown:
                    drop(.unknownLabel, dimension.rawValue, label, officers)
                }
                return nil
            }
            var indices: [Int] = []
            for (dimension, label) in [(CategoryMapping.Dimension.rank, row.rank), (.ethnicity, row.ethnicity), (.gender, row.gender)] {
                guard let i = index(label, dimension) else { break }
                indices.append(i)
            }
            guard indices.count == 3 else { continue }
            counts[indices[0]][categories.group(indices[1], indices[2])] += officers
            byRank[byRank.firstIndex { $0.label == row.rank }!].kept += officers
        }
        // Table rank labels in the categories' rank order, unmapped ones last.
        func order(_ label: String) -> Int {
            guard case .category(let rank) = mapping.map(label, .rank) else { return categories.ranks.count }
            return categories.ranks.firstIndex(of: rank) ?? categories.ranks.count
        }
        byRank.sort { (order($0.label), $0.label) < (order($1.label), $1.label) }
        return ForceSnapshot(
            force: force, code: selected.first?.code ?? "", year: year, measure: measure, categories: categories,
            counts: counts, rows: selected.count, suppressedCells: suppressed, tableTotal: tableTotal, dropped: dropped,
            byRankLabel: byRank)
    }
}
