import Workforce
import Yams

extension Aggregate.Dimension {
    /// The singular noun for a category of this dimension.
    var noun: String { self == .ethnicity ? "ethnicity" : "gender" }

    /// The noun with its indefinite article: "an ethnicity", "a gender".
    var withArticle: String { self == .ethnicity ? "an ethnicity" : "a gender" }
}

extension Dimensions {
    /// The categories of one dimension.
    func categories(_ dimension: Aggregate.Dimension) -> [String] {
        dimension == .ethnicity ? ethnicities : genders
    }

    /// The names that select within one dimension: its categories, then its aggregates.
    func choices(_ dimension: Aggregate.Dimension) -> [String] {
        categories(dimension) + aggregates.filter { $0.dimension == dimension }.map(\.name)
    }

    /// The category indices a category or aggregate name of one dimension stands for.
    func members(of name: String, in dimension: Aggregate.Dimension) -> [Int]? {
        if let index = categories(dimension).firstIndex(of: name) { return [index] }
        return aggregates.first { $0.dimension == dimension && $0.name == name }?.members
    }

    /// The dimension a category or aggregate name belongs to, if any.
    func dimension(of name: String) -> Aggregate.Dimension? {
        [.ethnicity, .gender].first { members(of: name, in: $0) != nil }
    }
}

extension ScenarioReader {
    /// The largest `max_service` accepted: a career longer than a century is a typing mistake, and
    /// would make the cell arrays needlessly large.
    static let maxServiceLimit = 100

    /// Reads `dimensions`: the rank, ethnicity and gender names, `max_service` and aggregates.
    mutating func readDimensions(_ node: Node, _ path: FieldPath) -> Dimensions? {
        guard let record = record(
            node, path, expected: "a mapping with ranks, ethnicities, genders, max_service and optional aggregates",
            keys: ["ranks", "ethnicities", "genders", "max_service", "aggregates"])
        else { return nil }
        let ranks = categoryList(record, "ranks", noun: "rank")
        let ethnicities = categoryList(record, "ethnicities", noun: "ethnicity")
        let genders = categoryList(record, "genders", noun: "gender")
        if let ethnicities, let genders {
            let ethnicityNames = Set(ethnicities.map(\.name))
            for gender in genders where ethnicityNames.contains(gender.name) {
                report("'\(gender.name)' is both an ethnicity and a gender; expected names unique across both dimensions",
                       at: gender.node, gender.path)
            }
        }
        var maxService: Int?
        if let node = required(record, "max_service", expected: "the number of years of service, a whole number ≥ 1") {
            let expected = "a whole number of years from 1 to \(Self.maxServiceLimit)"
            maxService = integer(node, record.path("max_service"), atLeast: 1, expected: expected)
            if let years = maxService, years > Self.maxServiceLimit {
                report("\(years) is above \(Self.maxServiceLimit); expected \(expected)", at: node, record.path("max_service"))
                maxService = nil
            }
        }
        guard let ranks, let ethnicities, let genders, let maxService else { return nil }
        let cells = [ranks.count, ethnicities.count, genders.count, maxService].reduce(1.0) { $0 * Double($1) }
        if cells > Double(Limits.cells) {
            report("\(ranks.count) ranks × \(ethnicities.count) ethnicities × \(genders.count) genders × \(maxService) years of service "
                   + "make \(Self.format(cells)) cells; expected at most \(Limits.cells)", at: node, path)
            return nil
        }
        rankIndex = Dictionary(ranks.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        var dimensions = Dimensions(
            ranks: ranks.map(\.name), ethnicities: ethnicities.map(\.name), genders: genders.map(\.name),
            maxService: maxService)
        if let node = record["aggregates"] {
            (dimensions.aggregates, dimensions.rankAggregates) = readAggregates(node, record.path("aggregates"), dimensions)
        }
        return dimensions
    }

    /// Reads one required list of distinct category names. A duplicate is reported but kept, so
    /// that the rest of the scenario can still be checked against the list.
    private mutating func categoryList(_ record: Record, _ key: String, noun: String) -> [Name]? {
        let expected = "a list of \(key)"
        guard let node = required(record, key, expected: expected) else { return nil }
        guard case .sequence = node else {
            report("found \(Self.describe(node)); expected \(expected)", at: node, record.path(key))
            return nil
        }
        guard let names = names(node, record.path(key), expected: expected) else { return nil }
        var seen = Set<String>()
        for name in names where !seen.insert(name.name).inserted {
            report("duplicate \(noun) '\(name.name)'; expected distinct names", at: name.node, name.path)
        }
        return names
    }

    /// Reads `aggregates`: named sets of categories, each of a single dimension, or of ranks.
    private mutating func readAggregates(
        _ node: Node, _ path: FieldPath, _ dimensions: Dimensions
    ) -> (groups: [Aggregate], ranks: [RankAggregate]) {
        let expected = "a list of ethnicities, a list of genders or a list of ranks"
        guard let entries = entries(node, path, expected: "a mapping from aggregate names to \(expected)") else { return ([], []) }
        var aggregates: [Aggregate] = []
        var rankAggregates: [RankAggregate] = []
        for entry in entries {
            if let clash = dimensions.dimension(of: entry.name) {
                report("'\(entry.name)' is already \(clash.withArticle); expected names unique across categories and aggregates",
                       at: entry.key, entry.path)
                continue
            }
            if dimensions.ranks.contains(entry.name) || rankAggregates.contains(where: { $0.name == entry.name }) {
                report("'\(entry.name)' is already a rank; expected names unique across ranks and aggregates", at: entry.key, entry.path)
                continue
            }
            guard let names = names(entry.value, entry.path, expected: expected) else { continue }
            if let first = names.first, dimensions.ranks.contains(first.name) {
                // A rank aggregate: every member a rank, each once; kept lowest first.
                var members = Set<Int>()
                for name in names {
                    guard let index = rank(name.name, at: name.node, name.path, dimensions) else { continue }
                    if !members.insert(index).inserted { report("duplicate member '\(name.name)'; expected distinct ranks", at: name.node, name.path) }
                }
                rankAggregates.append(RankAggregate(name: entry.name, members: members.sorted()))
                continue
            }
            var dimension: Aggregate.Dimension?
            var members: [Int] = []
            for name in names {
                guard let found = [Aggregate.Dimension.ethnicity, .gender].first(where: {
                    dimensions.categories($0).contains(name.name)
                }) else {
                    report(Self.unknown("category", name.name, dimensions.ethnicities + dimensions.genders),
                           at: name.node, name.path)
                    continue
                }
                let index = dimensions.categories(found).firstIndex(of: name.name) ?? 0
                if let dimension, dimension != found {
                    report("'\(name.name)' is \(found.withArticle) but the aggregate's first member is \(dimension.withArticle); "
                           + "expected categories of one dimension", at: name.node, name.path)
                } else if members.contains(index) {
                    report("duplicate member '\(name.name)'; expected distinct categories", at: name.node, name.path)
                } else {
                    dimension = found
                    members.append(index)
                }
            }
            // A faulty aggregate is kept with the members it has (its problems are reported), so
            // that uses of its name elsewhere are not reported as unknown as well.
            if let dimension {
                aggregates.append(Aggregate(name: entry.name, dimension: dimension, members: members))
            }
        }
        return (aggregates, rankAggregates)
    }

    // MARK: - Selectors

    /// Reads the `ranks`, `ethnicities` and `genders` keys of a record as a selector; an omitted
    /// key selects everyone.
    mutating func selector(_ record: Record, _ dimensions: Dimensions) -> Selector? {
        var selector = Selector.all(dimensions)
        var complete = true
        if let node = record["ranks"] {
            if let mask = rankMask(node, record.path("ranks"), dimensions) { selector.ranks = mask } else { complete = false }
        }
        if let node = record["ethnicities"] {
            if let mask = groupMask(node, record.path("ethnicities"), .ethnicity, dimensions) {
                selector.ethnicities = mask
            } else {
                complete = false
            }
        }
        if let node = record["genders"] {
            if let mask = groupMask(node, record.path("genders"), .gender, dimensions) { selector.genders = mask } else { complete = false }
        }
        return complete ? selector : nil
    }

    /// The index of a rank name, reporting an unknown one.
    mutating func rank(_ name: String, at node: Node, _ path: FieldPath, _ dimensions: Dimensions) -> Int? {
        if let index = rankIndex[name] { return index }
        report(Self.unknown("rank", name, dimensions.ranks), at: node, path)
        return nil
    }

    /// Reads `all`, a rank name or a list of rank names as a mask over the ranks.
    mutating func rankMask(_ node: Node, _ path: FieldPath, _ dimensions: Dimensions) -> [Bool]? {
        if Self.scalarText(node) == "all" { return Array(repeating: true, count: dimensions.ranks.count) }
        guard let names = names(node, path, expected: "a rank, a list of ranks, or all") else { return nil }
        var mask = Array(repeating: false, count: dimensions.ranks.count)
        var complete = true
        for name in names {
            if let aggregate = dimensions.rankAggregates.first(where: { $0.name == name.name }) {
                for member in aggregate.members { mask[member] = true }
            } else if let index = rank(name.name, at: name.node, name.path, dimensions) {
                mask[index] = true
            } else {
                complete = false
            }
        }
        return complete ? mask : nil
    }

    /// Reads a category or aggregate name, or a list of them, as a mask over one dimension.
    private mutating func groupMask(
        _ node: Node, _ path: FieldPath, _ dimension: Aggregate.Dimension, _ dimensions: Dimensions
    ) -> [Bool]? {
        let plural = dimension == .ethnicity ? "ethnicities" : "genders"
        guard let names = names(node, path, expected: "\(dimension.withArticle) or a list of \(plural)") else { return nil }
        var mask = Array(repeating: false, count: dimensions.categories(dimension).count)
        var complete = true
        for name in names {
            if let members = members(name, dimension, dimensions) {
                for member in members { mask[member] = true }
            } else {
                complete = false
            }
        }
        return complete ? mask : nil
    }

    /// Resolves a category or aggregate name of one dimension, reporting an unknown one.
    mutating func members(_ name: Name, _ dimension: Aggregate.Dimension, _ dimensions: Dimensions) -> [Int]? {
        if let members = dimensions.members(of: name.name, in: dimension) { return members }
        let choices = dimensions.choices(dimension).joined(separator: ", ")
        if let other = dimensions.dimension(of: name.name) {
            report("'\(name.name)' is \(other.withArticle), not \(dimension.withArticle); expected one of: \(choices)",
                   at: name.node, name.path)
        } else {
            report(Self.unknown(dimension.noun, name.name, dimensions.choices(dimension)), at: name.node, name.path)
        }
        return nil
    }
}
