import Workforce
import Yams

/// What a model number stands for: the range it is valid in and how messages describe it.
struct Quantity {
    let range: ClosedRange<Double>
    /// What a value should be, for "expected …" in messages.
    let expected: String
    /// Whether a fixed value must be a whole number (a distribution may still give fractions).
    var isWhole = false

    static let probability = Quantity(range: 0...1, expected: "an annual probability between 0 and 1")
    static let share = Quantity(range: 0...1, expected: "a share between 0 and 1")
    static let factor = Quantity(range: 0...Double.greatestFiniteMagnitude, expected: "a factor ≥ 0")
    static let headcount = Quantity(
        range: 0...Double(Limits.officers), expected: "a headcount: a whole number from 0 to \(Limits.officers)", isWhole: true)
    static let recruitsPerYear = Quantity(
        range: 0...Double(Limits.officers), expected: "a number of recruits per year from 0 to \(Limits.officers)")

    /// What lies outside the range, for messages: "outside 0...1", or "below 0" when the range
    /// has no upper bound.
    var outside: String {
        let low = ScenarioReader.format(range.lowerBound)
        return range.upperBound == .greatestFiniteMagnitude
            ? "below \(low)" : "outside \(low)...\(ScenarioReader.format(range.upperBound))"
    }
}

/// One share as read: a number or distribution (with its year-to-year variation, if written
/// `{value, year_to_year, persistence}`), a fixed fraction of an aggregate's share, or the `rest`.
enum ShareValue {
    case value(Distribution, FieldPath, YearToYear?)
    /// `fraction` of the aggregate share drawn from the distribution written at the path.
    case part(Distribution, FieldPath, YearToYear?, fraction: Double)
    case rest

    /// The share, when it is a fixed number.
    var fixedValue: Double? {
        switch self {
        case .value(.fixed(let share), _, _): share
        case .part(.fixed(let share), _, _, let fraction): share * fraction
        default: nil
        }
    }

    /// The largest share a draw can give; 0 for the rest, which is not counted.
    var upperBound: Double {
        switch self {
        case .value(let distribution, _, _): distribution.upperBound(in: 0...1)
        case .part(let distribution, _, _, let fraction): distribution.upperBound(in: 0...1) * fraction
        case .rest: 0
        }
    }
}

extension Distribution {
    /// The largest value a draw can take when truncated to `range`.
    func upperBound(in range: ClosedRange<Double>) -> Double {
        switch self {
        case .fixed(let value): value
        case .uniform(_, let high), .beta(_, _, _, let high), .triangular(_, _, let high): high
        case .normal: range.upperBound
        }
    }
}

extension ScenarioReader {
    /// The distributions a scenario may write: each one's name, how its numbers are written, and
    /// how many numbers it takes.
    private static let distributionForms: [(name: String, form: String, counts: [Int])] = [
        ("uniform", "[low, high]", [2]), ("normal", "[mean, sd]", [2]), ("beta", "[a, b] or [a, b, low, high]", [2, 4]),
        ("triangular", "[low, mode, high]", [3]),
    ]

    /// Reads a number or distribution for `quantity` and appends it to `parameters`; or, written
    /// `{value: NUMBER-OR-DISTRIBUTION, year_to_year: σ, persistence: ρ, drift: δ}` (either of
    /// `year_to_year` and `drift`, or both), one that also varies from one simulation year to the
    /// next (`YearToYear`; `persistence` and whichever of σ, δ is not written default to 0).
    mutating func parameter(_ node: Node, _ path: FieldPath, _ quantity: Quantity) -> Parameter? {
        if Self.isVaried(node) {
            guard let (distribution, valuePath, yearToYear) = variedValue(node, path, quantity) else { return nil }
            return addParameter(distribution, valuePath, quantity, yearToYear: yearToYear)
        }
        guard let distribution = distribution(node, path, quantity) else { return nil }
        return addParameter(distribution, path, quantity)
    }

    /// Whether `node` is written `{value, year_to_year, ...}` or `{value, drift, ...}`.
    static func isVaried(_ node: Node) -> Bool {
        guard case .mapping(let mapping) = node else { return false }
        return mapping.contains { ["year_to_year", "drift"].contains(scalarText($0.key)) }
    }

    /// Reads `{value, year_to_year, persistence, drift}` (every problem reported at once): the
    /// value's distribution, its field path (`path.value`) and the variation; nil if it is wrong.
    mutating func variedValue(_ node: Node, _ path: FieldPath, _ quantity: Quantity) -> (Distribution, FieldPath, YearToYear)? {
        guard Self.isVaried(node), case .mapping(let mapping) = node else { return nil }
        let keys = ["value", "year_to_year", "persistence", "drift"]
        var value: Node?, sd = 0.0, drift = 0.0, persistence = 0.0, valid = true
        for (key, item) in mapping {
            let name = Self.scalarText(key) ?? Self.describe(key)
            switch name {
            case "value": value = item
            case "year_to_year", "drift":
                let expected = name == "drift"
                    ? "the standard deviation of one year's step of the wandering level (log, logit or log-ratio scale), from 0 to 1"
                    : "the year-to-year standard deviation (log, logit or log-ratio scale), ≥ 0"
                if let x = number(item, path.key(name), expected: expected) {
                    if x < 0 {
                        report("\(Self.format(x)) is negative; expected \(expected)", at: item, path.key(name))
                        valid = false
                    } else if name == "drift" && x > 1 {
                        report("\(Self.format(x)) is above 1; expected \(expected)", at: item, path.key(name))
                        valid = false
                    } else if name == "drift" {
                        drift = x
                    } else {
                        sd = x
                    }
                } else {
                    valid = false
                }
            case "persistence":
                if let x = number(item, path.key(name), expected: "the correlation of consecutive years, from 0 to below 1") {
                    if (0..<1).contains(x) { persistence = x } else {
                        report("\(Self.format(x)) is outside 0..<1; expected the correlation of consecutive years, from 0 to below 1", at: item, path.key(name))
                        valid = false
                    }
                } else {
                    valid = false
                }
            default:
                report(Self.unknown("key", name, keys), at: key, path)
                valid = false
            }
        }
        guard let value else {
            report("no value; expected {value: NUMBER-OR-DISTRIBUTION, year_to_year: SD, persistence: RHO, drift: SD}", at: node, path)
            return nil
        }
        guard let distribution = distribution(value, path.key("value"), quantity), valid else { return nil }
        return (distribution, path.key("value"), YearToYear(sd: sd, persistence: persistence, drift: drift))
    }

    /// Appends a parameter and returns its index.
    mutating func addParameter(_ distribution: Distribution, _ path: FieldPath, _ quantity: Quantity, yearToYear: YearToYear? = nil) -> Parameter {
        parameters.append(ParameterSpec(path: path.description, distribution: distribution, range: quantity.range, yearToYear: yearToYear))
        return Parameter(parameters.count - 1)
    }

    /// Reads a fixed number inside `quantity`'s range.
    mutating func fixed(_ node: Node, _ path: FieldPath, _ quantity: Quantity, expected: String? = nil) -> Double? {
        let expected = expected ?? quantity.expected
        guard let value = number(node, path, expected: expected) else { return nil }
        guard quantity.range.contains(value) else {
            // Every quantity starts at 0; those not confined to 0...1 say which end was passed.
            let problem = quantity.range.upperBound <= 1 ? quantity.outside
                : value < 0 ? "negative" : "above \(Self.format(quantity.range.upperBound))"
            report("\(Self.format(value)) is \(problem); expected \(expected)", at: node, path)
            return nil
        }
        if quantity.isWhole, value != value.rounded() {
            report("\(Self.format(value)) is not a whole number; expected \(expected)", at: node, path)
            return nil
        }
        return value
    }

    /// Reads a number, or a one-key mapping naming a distribution, valid for `quantity`.
    mutating func distribution(_ node: Node, _ path: FieldPath, _ quantity: Quantity) -> Distribution? {
        let forms = Self.distributionForms.map { "{\($0.name): \($0.form)}" }.joined(separator: ", ")
        guard case .mapping(let mapping) = node else {
            if Self.plainNumber(node) == nil {
                report("found \(Self.describe(node)); expected \(quantity.expected), or a distribution: \(forms)", at: node, path)
                return nil
            }
            return fixed(node, path, quantity).map(Distribution.fixed)
        }
        let names = Self.distributionForms.map(\.name)
        guard mapping.count == 1, let (key, value) = mapping.first else {
            report("found a mapping with \(mapping.count) keys; expected one distribution: \(forms)", at: node, path)
            return nil
        }
        guard let name = Self.scalarText(key), let (_, form, counts) = Self.distributionForms.first(where: { $0.name == name }) else {
            report(Self.unknown("distribution", Self.scalarText(key) ?? Self.describe(key), names), at: key, path)
            return nil
        }
        let argumentsPath = path.key(name)
        guard let items = list(value, argumentsPath, expected: "\(name): \(form)") else { return nil }
        var arguments: [Double] = []
        for (i, item) in items.enumerated() {
            if let argument = number(item, argumentsPath.index(i), expected: "a number") { arguments.append(argument) }
        }
        guard arguments.count == items.count else { return nil }
        guard counts.contains(arguments.count) else {
            report("found \(arguments.count) number\(arguments.count == 1 ? "" : "s"); expected \(name): \(form)", at: value, argumentsPath)
            return nil
        }
        return checkedDistribution(name, arguments, form: form, quantity, at: node, path)
    }

    /// Builds a distribution from its arguments, reporting bad parameters and bounds outside the
    /// quantity's range.
    private mutating func checkedDistribution(
        _ name: String, _ a: [Double], form: String, _ quantity: Quantity, at node: Node, _ path: FieldPath
    ) -> Distribution? {
        let f = Self.format
        let written = "\(name) [\(a.map(f).joined(separator: ", "))]"
        let distribution: Distribution
        let problem: String?
        let rule: String
        switch name {
        case "uniform":
            distribution = .uniform(low: a[0], high: a[1])
            rule = "low ≤ high"
            problem = a[0] <= a[1] ? nil : "low \(f(a[0])) is above high \(f(a[1]))"
        case "normal":
            distribution = .normal(mean: a[0], sd: a[1])
            rule = "sd > 0"
            problem = a[1] > 0 ? nil : "sd \(f(a[1])) is not positive"
        case "beta":
            let (low, high) = a.count == 4 ? (a[2], a[3]) : (0, 1)
            distribution = .beta(a: a[0], b: a[1], low: low, high: high)
            let shape = Limits.betaShape
            rule = "a and b from \(f(shape.lowerBound)) to \(f(shape.upperBound)) and low < high"
            problem = !shape.contains(a[0]) ? "a \(f(a[0])) is outside \(f(shape.lowerBound)) to \(f(shape.upperBound))"
                : !shape.contains(a[1]) ? "b \(f(a[1])) is outside \(f(shape.lowerBound)) to \(f(shape.upperBound))"
                : low < high ? nil : "low \(f(low)) is not below high \(f(high))"
        default:
            distribution = .triangular(low: a[0], mode: a[1], high: a[2])
            rule = "low ≤ mode ≤ high and low < high"
            problem = a[1] < a[0] ? "mode \(f(a[1])) is below low \(f(a[0]))"
                : a[1] > a[2] ? "mode \(f(a[1])) is above high \(f(a[2]))"
                : a[0] < a[2] ? nil : "low equals high"
        }
        if let problem {
            report("\(written): \(problem); expected \(name): \(form) with \(rule)", at: node, path)
            return nil
        }
        let bounds: ClosedRange<Double>? = switch distribution {
        case .uniform(let low, let high), .beta(_, _, let low, let high), .triangular(let low, _, let high): low...high
        case .fixed, .normal: nil
        }
        if let bounds, !(quantity.range.contains(bounds.lowerBound) && quantity.range.contains(bounds.upperBound)) {
            report("\(written) reaches \(quantity.outside); expected \(quantity.expected)", at: node, path)
            return nil
        }
        return distribution
    }

    // MARK: - Shares

    /// Reads shares over the categories of one dimension into model shares; categories not
    /// listed get a fixed 0. An aggregate may stand for its members as
    /// `BAME: {share: 0.4, split: {Black: 0.2, Asian: 0.5, ...}}`: one (possibly uncertain)
    /// share, divided among the members in fixed proportions.
    mutating func shares(
        _ node: Node, _ path: FieldPath, _ categories: [String], noun: String, aggregates: [Aggregate] = []
    ) -> Shares? {
        guard let values = shareValues(node, path, categories, noun: noun, distributions: true, aggregates: aggregates)
        else { return nil }
        var aggregateParameters: [FieldPath: Parameter] = [:]
        let entries = values.map { value -> Shares.Entry in
            switch value {
            case .rest: return .rest
            case .value(let distribution, let valuePath, let yearToYear):
                return .value(addParameter(distribution, valuePath, .share, yearToYear: yearToYear))
            case .part(let distribution, let valuePath, let yearToYear, let fraction):
                // One parameter per aggregate, so its members share one draw.
                let parameter = aggregateParameters[valuePath] ?? addParameter(distribution, valuePath, .share, yearToYear: yearToYear)
                aggregateParameters[valuePath] = parameter
                return .part(parameter, fraction: fraction)
            }
        }
        return Shares(entries)
    }

    /// Reads fixed shares over the categories of one dimension, `rest` resolved.
    mutating func fixedShares(_ node: Node, _ path: FieldPath, _ categories: [String], noun: String) -> [Double]? {
        shareValues(node, path, categories, noun: noun, distributions: false).map(Self.resolved)
    }

    /// Reads a mapping from categories to shares: one value per category, in dimension order.
    private mutating func shareValues(
        _ node: Node, _ path: FieldPath, _ categories: [String], noun: String, distributions: Bool,
        aggregates: [Aggregate] = []
    ) -> [ShareValue]? {
        let example = "{\(categories.prefix(2).map { "\($0): 0.5" }.joined(separator: ", "))}"
        guard let rawEntries = entries(node, path, expected: "shares by \(noun), e.g. \(example)") else { return nil }
        // Each entry's slots and, for an aggregate, the fixed split of its share over them.
        var slots: [[(slot: Int, fraction: Double)]] = []
        var entries: [Entry] = []
        var taken = Set<Int>()
        for entry in rawEntries {
            var entrySlots: [(slot: Int, fraction: Double)]?
            var valueEntry = entry
            if let index = categories.firstIndex(of: entry.name) {
                entrySlots = [(index, 1)]
            } else if let aggregate = aggregates.first(where: { $0.name == entry.name }) {
                let members = aggregate.members.map { categories[$0] }
                if let record = record(
                    entry.value, entry.path, expected: "{share: a share, split: shares of \(members.joined(separator: ", "))}",
                    keys: ["share", "split"]),
                   let share = required(record, "share", expected: "the aggregate's share"),
                   let splitNode = required(record, "split", expected: "how the share divides among \(members.joined(separator: ", "))"),
                   let split = fixedShares(splitNode, record.path("split"), members, noun: "\(noun) in \(aggregate.name)") {
                    if Self.scalarText(share) == "rest" {
                        report("an aggregate's share cannot be rest; expected a share or a distribution", at: share, record.path("share"))
                        continue
                    }
                    entrySlots = zip(aggregate.members, split).map { ($0, $1) }
                    valueEntry = Entry(name: entry.name, key: entry.key, value: share, path: record.path("share"))
                }
            } else {
                report(Self.unknown(noun, entry.name, categories + aggregates.map(\.name)), at: entry.key, entry.path)
            }
            guard let entrySlots else { continue }
            for (slot, _) in entrySlots where taken.contains(slot) {
                report("\(categories[slot]) is given twice (alone and in an aggregate, or in two aggregates); expected each \(noun) once",
                       at: entry.key, entry.path)
            }
            taken.formUnion(entrySlots.map(\.slot))
            slots.append(entrySlots)
            entries.append(valueEntry)
        }
        guard slots.count == rawEntries.count, Set(slots.flatMap { $0.map(\.slot) }).count == slots.flatMap({ $0 }).count,
              let values = checkedShares(entries, at: node, path, distributions: distributions)
        else { return nil }
        var result = categories.map { ShareValue.value(.fixed(0), path.key($0), nil) }
        for (i, entrySlots) in slots.enumerated() {
            for (slot, fraction) in entrySlots {
                switch values[i] {
                case .value(let distribution, let valuePath, let yearToYear) where entrySlots.count > 1 || entries[i].name != categories[slot]:
                    result[slot] = .part(distribution, valuePath, yearToYear, fraction: fraction)
                default:
                    result[slot] = values[i]
                }
            }
        }
        return result
    }

    /// Reads the values of a share mapping (numbers, distributions if allowed, at most one `rest`)
    /// and checks that they can only sum to 1.
    mutating func checkedShares(_ entries: [Entry], at node: Node, _ path: FieldPath, distributions: Bool) -> [ShareValue]? {
        var values: [ShareValue] = []
        var restCount = 0
        for entry in entries {
            if Self.scalarText(entry.value) == "rest" {
                restCount += 1
                if restCount > 1 {
                    report("a second rest; expected at most one rest entry", at: entry.value, entry.path)
                }
                values.append(.rest)
            } else if distributions, Self.isVaried(entry.value) {
                // Varies from year to year against the other shares (YearToYear.swift).
                if let (distribution, valuePath, yearToYear) = variedValue(entry.value, entry.path, .share) {
                    values.append(.value(distribution, valuePath, yearToYear))
                }
            } else if distributions {
                if let distribution = distribution(entry.value, entry.path, .share) {
                    values.append(.value(distribution, entry.path, nil))
                }
            } else if let value = fixed(entry.value, entry.path, .share, expected: "a share between 0 and 1 or rest") {
                values.append(.value(.fixed(value), entry.path, nil))
            }
        }
        guard values.count == entries.count, restCount <= 1 else { return nil }
        let fixed = values.compactMap(\.fixedValue)
        let others = fixed.reduce(0, +)
        if fixed.count + restCount < values.count {  // some share is a distribution
            guard restCount == 1 else {
                report("shares with a distribution but no rest; expected one entry to be rest", at: node, path)
                return nil
            }
            let highest = values.map(\.upperBound).reduce(0, +)
            if highest > 1 + 1e-9 {
                report("the upper bounds of the shares other than rest sum to \(Self.format(highest)) "
                       + "(\(Self.format(highest - 1)) over 1); expected at most 1, so that rest cannot be negative",
                       at: node, path)
                return nil
            }
            return values
        }
        let total = Self.resolved(values).reduce(0, +)
        if restCount == 1, others > 1 + 1e-9 {
            report("the shares other than rest sum to \(Self.format(others)) (\(Self.format(others - 1)) over 1); "
                   + "expected at most 1, so that rest is not negative", at: node, path)
            return nil
        }
        if abs(total - 1) > 1e-9 {
            let miss = total < 1 ? "\(Self.format(1 - total)) short of 1" : "\(Self.format(total - 1)) over 1"
            report("shares sum to \(Self.format(total)) (\(miss)); expected shares summing to 1", at: node, path)
            return nil
        }
        return values
    }

    /// The values of fixed shares with `rest` replaced by one minus the others.
    static func resolved(_ values: [ShareValue]) -> [Double] {
        let rest = max(0, 1 - values.compactMap(\.fixedValue).reduce(0, +))
        return values.map { $0.fixedValue ?? rest }
    }

    // MARK: - Dated values

    /// Reads a value that may change on given dates: either a plain value, or a list of
    /// `{from, <valueKey>}` entries with increasing dates (the first holds from the start).
    mutating func dated<Value>(
        _ node: Node, _ path: FieldPath, valueKey: String, expected valueExpected: String,
        read: (inout ScenarioReader, Node, FieldPath) -> Value?
    ) -> Dated<Value>? {
        guard case .sequence(let items) = node else {
            return read(&self, node, path).map { Dated(constant: $0) }
        }
        let expected = "{from: YYYY-MM, \(valueKey): \(valueExpected)}"
        guard !items.isEmpty else {
            report("found an empty list; expected a list of \(expected) entries", at: node, path)
            return nil
        }
        var entries: [(from: Month, value: Value)] = []
        var previous: Month?
        var complete = true
        for (i, item) in items.enumerated() {
            let itemPath = path.index(i)
            guard let record = record(item, itemPath, expected: expected, keys: ["from", valueKey]) else {
                complete = false
                continue
            }
            let fromNode = required(record, "from", expected: "a month written YYYY-MM")
            let from = fromNode.flatMap { date($0, record.path("from")) }
            if let from, let fromNode, let previous, from <= previous {
                report("\(from) is not after \(previous), the date before it; expected increasing dates",
                       at: fromNode, record.path("from"))
                complete = false
            }
            previous = from ?? previous
            var value: Value?
            if let valueNode = required(record, valueKey, expected: valueExpected) {
                value = read(&self, valueNode, record.path(valueKey))
            }
            if let from, let value { entries.append((from, value)) } else { complete = false }
        }
        return complete ? Dated(entries) : nil
    }
}
