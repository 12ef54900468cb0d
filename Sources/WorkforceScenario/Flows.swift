import Workforce
import Yams

/// A problem found in text outside the YAML tree (a band in a CSV cell, say), as a message.
struct Problem: Error {
    let message: String
}

/// Service bands: inclusive ranges of years of service written `"0-4"`, `"30+"` or `"7"`.
enum ServiceBand {
    static let expected = "years of service such as \"0-4\", \"30+\" or \"7\""

    /// Parses a band within `0 ..< maxService`; `a+` runs to `maxService - 1`.
    static func parse(_ text: String, maxService: Int) throws(Problem) -> ClosedRange<Int> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.hasSuffix("+")
            ? [String(trimmed.dropLast()), String(maxService - 1)]
            : trimmed.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        // checked: from text: nil when not a whole number that fits
        let years = parts.compactMap { $0.allSatisfy(\.isASCII) ? Int($0) : nil }
        guard (1...2).contains(parts.count), years.count == parts.count, years.allSatisfy({ $0 >= 0 }),
              let low = years.first, let high = years.last
        else { throw Problem(message: "'\(text)' is not a band; expected \(expected)") }
        guard low <= high else {
            throw Problem(message: "'\(text)' runs backwards; expected low-high with low ≤ high")
        }
        guard high < maxService else {
            throw Problem(message: "'\(text)' runs past year \(maxService - 1); "
                          + "expected years within 0-\(maxService - 1) (max_service is \(maxService))")
        }
        return low...high
    }

    /// `year 5` or `years 5-6`.
    static func describe(_ years: ClosedRange<Int>) -> String {
        years.count == 1 ? "year \(years.lowerBound)" : "years \(years.lowerBound)-\(years.upperBound)"
    }
}

extension ScenarioReader {
    /// Reads `simulation`: the time grid, replications and seed.
    mutating func readSimulation(_ node: Node, _ path: FieldPath) -> Timeline? {
        guard let record = record(
            node, path, expected: "a mapping with start, horizon, step and optional replications and seed",
            keys: ["start", "horizon", "step", "replications", "seed"])
        else { return nil }
        let start = required(record, "start", expected: "the as-at month of the initial workforce, YYYY-MM")
            .flatMap { date($0, record.path("start")) }
        let horizonNode = required(record, "horizon", expected: "the last month simulated, YYYY-MM")
        let horizon = horizonNode.flatMap { date($0, record.path("horizon")) }
        let stepNames = Timeline.Step.allCases.map(\.rawValue)
        var step: Timeline.Step?
        if let node = required(record, "step", expected: stepNames.joined(separator: ", ")),
           let name = text(node, record.path("step"), expected: stepNames.joined(separator: ", ")) {
            step = Timeline.Step(rawValue: name)
            if step == nil { report(Self.unknown("step", name, stepNames), at: node, record.path("step")) }
        }
        var replications: Int? = 1000
        if let node = record["replications"] {
            replications = integer(
                node, record.path("replications"), atLeast: 1, atMost: Limits.replications,
                expected: "a whole number from 1 to \(Limits.replications)")
        }
        var seed: Int? = 1
        if let node = record["seed"] {
            seed = integer(node, record.path("seed"), atLeast: 0, atMost: Limits.seed, expected: "a whole number from 0 to 10^15")
        }
        if let start, let horizon, let horizonNode, let step {
            if horizon <= start {
                report("\(horizon) is not after start \(start); expected a later month", at: horizonNode, record.path("horizon"))
                return nil
            }
            if horizon - start > Limits.horizonYears * 12 {
                report("\(horizon) is \(horizon - start) months after start \(start); "
                       + "expected at most \(Limits.horizonYears) years (\(Limits.horizonYears * 12) months) after start",
                       at: horizonNode, record.path("horizon"))
                return nil
            }
            if (horizon - start) % step.months != 0 {
                report("\(horizon) is \(horizon - start) months after start \(start), not a whole number of \(step.rawValue)s; "
                       + "expected a month a multiple of \(step.months) months after start",
                       at: horizonNode, record.path("horizon"))
                return nil
            }
        }
        guard let start, let horizon, let step, let replications, let seed else { return nil }
        return Timeline(start: start, horizon: horizon, step: step, replications: replications, seed: UInt64(seed))  // checked: seed ≥ 0
    }

    /// Reads one service band.
    mutating func band(_ node: Node, _ path: FieldPath, maxService: Int) -> ClosedRange<Int>? {
        guard let text = text(node, path, expected: ServiceBand.expected) else { return nil }
        do {
            return try ServiceBand.parse(text, maxService: maxService)
        } catch {
            report(error.message, at: node, path)
            return nil
        }
    }

    // MARK: - Leaving

    /// Reads `leaving`, or another exit flow's table in the same form (`transfers_out`): bands,
    /// the rate table, multipliers and overrides; `noun` names the rates in messages ("leaving").
    mutating func readLeaving(_ node: Node, _ path: FieldPath, _ dimensions: Dimensions, noun: String = "leaving") -> Leaving? {
        guard let record = record(
            node, path, expected: "a mapping with bands, rates and optional multipliers and overrides",
            keys: ["bands", "rates", "multipliers", "overrides"])
        else { return nil }
        let bands = required(record, "bands", expected: "a list of service bands such as \"0-4\"")
            .flatMap { readBands($0, record.path("bands"), maxService: dimensions.maxService) }
        let everyRank = Array(repeating: true, count: dimensions.ranks.count)
        let rates = required(record, "rates", expected: "a mapping from each rank to its \(noun) rates, one per band")
            .flatMap { rateTable($0, record.path("rates"), dimensions, bandCount: bands?.count, selected: everyRank) }
            .map { $0.compactMap { $0 } }
        // Faulty multipliers and overrides are left out: their problems are reported.
        let multipliers = record["multipliers"].map {
            readMultipliers($0, record.path("multipliers"), dimensions, keys: ["ranks", "ethnicities", "genders", "service", "factor"])
        } ?? []
        var overrides: [Leaving.Override] = []
        if let node = record["overrides"],
           let items = list(node, record.path("overrides"), expected: "a list of {ranks?, ethnicities?, genders?, rates}") {
            overrides = items.enumerated().compactMap {
                readOverride($1, record.path("overrides").index($0), dimensions, bandCount: bands?.count, base: rates, noun: noun)
            }
        }
        guard let bands, let rates else { return nil }
        return Leaving(bands: bands, rates: rates, multipliers: multipliers, overrides: overrides)
    }

    /// Reads the bands of the rate tables, which must cover `0 ..< maxService` in order.
    private mutating func readBands(_ node: Node, _ path: FieldPath, maxService: Int) -> [ClosedRange<Int>]? {
        let expected = "service bands covering years 0-\(maxService - 1) in order, without gaps or overlaps"
        guard let items = list(node, path, expected: "a list of \(expected)") else { return nil }
        guard !items.isEmpty else {
            report("found an empty list; expected \(expected)", at: node, path)
            return nil
        }
        let bands = items.enumerated().compactMap { band($1, path.index($0), maxService: maxService) }
        guard bands.count == items.count else { return nil }
        var next = 0
        var complete = true
        for (i, band) in bands.enumerated() {
            let written = Self.scalarText(items[i]) ?? ""
            if band.lowerBound > next {
                report("'\(written)' leaves \(ServiceBand.describe(next...(band.lowerBound - 1))) uncovered; expected \(expected)",
                       at: items[i], path.index(i))
                complete = false
            } else if band.lowerBound < next {
                report("'\(written)' overlaps the band before it, which ends at year \(next - 1); expected \(expected)",
                       at: items[i], path.index(i))
                complete = false
            }
            next = max(next, band.upperBound + 1)
        }
        if complete, next < maxService {
            report("the bands end at year \(next - 1), leaving \(ServiceBand.describe(next...(maxService - 1))) uncovered; "
                   + "expected \(expected)", at: node, path)
            complete = false
        }
        return complete ? bands : nil
    }

    /// Reads a table of annual leaving probabilities, rank → one per band, giving a row for each
    /// rank that `selected` includes (and `nil` for the others, which may not be given).
    private mutating func rateTable(
        _ node: Node, _ path: FieldPath, _ dimensions: Dimensions, bandCount: Int?, selected: [Bool]
    ) -> [[Parameter]?]? {
        let rowExpected = bandCount.map { "\($0) annual probabilities, one per band" } ?? "annual probabilities, one per band"
        guard let entries = entries(node, path, expected: "a mapping from rank to a list of \(rowExpected)") else { return nil }
        let selectedNames = dimensions.ranks.indices.filter { selected[$0] }.map { dimensions.ranks[$0] }
        var rows = [[Parameter]?](repeating: nil, count: dimensions.ranks.count)
        var named = Set<Int>()
        var complete = true
        for entry in entries {
            guard let rank = rank(entry.name, at: entry.key, entry.path, dimensions) else {
                complete = false
                continue
            }
            named.insert(rank)
            guard selected[rank] else {
                report("'\(entry.name)' is not among the ranks this override selects; expected rates for: "
                       + selectedNames.joined(separator: ", "), at: entry.key, entry.path)
                complete = false
                continue
            }
            guard let items = list(entry.value, entry.path, expected: "a list of \(rowExpected)") else {
                complete = false
                continue
            }
            if let bandCount, items.count != bandCount {
                report("found \(items.count) rate\(items.count == 1 ? "" : "s"); expected \(rowExpected)", at: entry.value, entry.path)
                complete = false
            }
            let row = items.enumerated().compactMap { parameter($1, entry.path.index($0), .probability) }
            if row.count == items.count { rows[rank] = row } else { complete = false }
        }
        for rank in dimensions.ranks.indices where selected[rank] && !named.contains(rank) {
            report("missing; expected a list of \(rowExpected)", at: node, path.key(dimensions.ranks[rank]))
            complete = false
        }
        return complete ? rows : nil
    }

    /// Reads one entry of `leaving.overrides`; ranks it does not select keep the base rates.
    private mutating func readOverride(
        _ node: Node, _ path: FieldPath, _ dimensions: Dimensions, bandCount: Int?, base: [[Parameter]]?, noun: String
    ) -> Leaving.Override? {
        guard let record = record(
            node, path, expected: "a mapping with rates and optional ranks, ethnicities and genders",
            keys: ["ranks", "ethnicities", "genders", "rates"])
        else { return nil }
        let selector = selector(record, dimensions)
        guard let tableNode = required(record, "rates", expected: "a mapping from rank to \(noun) rates, one per band"),
              let selector,
              let rows = rateTable(tableNode, record.path("rates"), dimensions, bandCount: bandCount, selected: selector.ranks),
              let base
        else { return nil }
        return Leaving.Override(selector: selector, rates: zip(rows, base).map { $0 ?? $1 })
    }

    /// Reads a list of `{selector…, factor}` entries with the given keys.
    mutating func readMultipliers(_ node: Node, _ path: FieldPath, _ dimensions: Dimensions, keys: [String]) -> [Leaving.Multiplier] {
        let expected = "{\(keys.map { $0 == "factor" ? "factor" : "\($0)?" }.joined(separator: ", "))}"
        guard let items = list(node, path, expected: "a list of \(expected) entries") else { return [] }
        var multipliers: [Leaving.Multiplier] = []
        for (i, item) in items.enumerated() {
            guard let record = record(item, path.index(i), expected: expected, keys: keys) else { continue }
            let selector = serviceSelector(record, dimensions)
            let factor = required(record, "factor", expected: Quantity.factor.expected)
                .flatMap { parameter($0, record.path("factor"), .factor) }
            if let selector, let factor { multipliers.append(Leaving.Multiplier(selector: selector, factor: factor)) }
        }
        return multipliers
    }

    // MARK: - Establishment, promotion, recruitment

    /// Reads `establishment`: for every rank named, its dated headcount (`nil` if faulty); and
    /// `scale` (unless a rank is so named), a factor on every rank's establishment, into `scale`.
    mutating func readEstablishment(
        _ node: Node, _ path: FieldPath, _ dimensions: Dimensions, scale: inout Parameter?
    ) -> [Int: Dated<Parameter>?] {
        guard let entries = entries(node, path, expected: "a mapping from rank to headcount, and optionally scale") else { return [:] }
        var establishment: [Int: Dated<Parameter>?] = [:]
        for entry in entries {
            if entry.name == "scale" && !dimensions.ranks.contains("scale") {
                scale = parameter(entry.value, entry.path, .factor)
                continue
            }
            guard let rank = rank(entry.name, at: entry.key, entry.path, dimensions) else { continue }
            let value = dated(entry.value, entry.path, valueKey: "value", expected: Quantity.headcount.expected) {
                $0.parameter($1, $2, .headcount)
            }
            establishment.updateValue(value, forKey: rank)
        }
        return establishment
    }

    /// Reads `promotion`: the rule for promotion into each rank above the lowest.
    mutating func readPromotion(
        _ node: Node, _ path: FieldPath, _ dimensions: Dimensions, establishment: [Int: Dated<Parameter>?]
    ) -> [Int: Promotion] {
        guard let entries = entries(node, path, expected: "a mapping from rank to its promotion rule") else { return [:] }
        var promotion: [Int: Promotion] = [:]
        for entry in entries {
            guard let rank = rankIndex[entry.name], rank > 0 else {
                let message = dimensions.ranks.first == entry.name
                    ? "'\(entry.name)' is the lowest rank, which no one is promoted into; expected one of: "
                        + dimensions.ranks.dropFirst().joined(separator: ", ")
                    : Self.unknown("rank", entry.name, Array(dimensions.ranks.dropFirst()))
                report(message, at: entry.key, entry.path)
                continue
            }
            guard let record = record(
                entry.value, entry.path, expected: "a mapping with by and optional rate, apply, pass, pass_by_group, min_service and odds",
                keys: ["by", "rate", "apply", "pass", "pass_by_group", "min_service", "odds"])
            else { continue }
            var mode: Promotion.Mode?
            if let byNode = required(record, "by", expected: "rate, vacancy or pass_rate"),
               let by = text(byNode, record.path("by"), expected: "rate, vacancy or pass_rate") {
                mode = promotionMode(by, record, byNode, rank: entry.name, established: establishment.keys.contains(rank), dimensions)
            }
            var minService: Int? = 0
            if let node = record["min_service"] {
                minService = integer(node, record.path("min_service"), atLeast: 0, expected: "a whole number of years ≥ 0")
                if let years = minService, years >= dimensions.maxService {
                    report("\(years) is not below max_service \(dimensions.maxService); expected fewer years",
                           at: node, record.path("min_service"))
                    minService = nil
                }
            }
            let odds = record["odds"].map {
                readMultipliers($0, record.path("odds"), dimensions, keys: ["ethnicities", "genders", "factor"])
            } ?? []
            if let mode, let minService {
                promotion[rank] = Promotion(mode: mode, minService: minService, odds: odds)
            }
        }
        return promotion
    }

    /// The promotion mode named by `by`, with its rate or its need for an establishment checked.
    private mutating func promotionMode(
        _ by: String, _ record: Record, _ byNode: Node, rank: String, established: Bool, _ dimensions: Dimensions
    ) -> Promotion.Mode? {
        // Keys that belong to one mode only.
        let ownKeys = ["rate": "rate", "apply": "pass_rate", "pass": "pass_rate", "pass_by_group": "pass_rate"]
        var misplaced = false
        for key in record.present(["rate", "apply", "pass", "pass_by_group"]) where ownKeys[key] != by && ["rate", "vacancy", "pass_rate"].contains(by) {
            report("\(key) with by: \(by); expected \(key) only with by: \(ownKeys[key]!)", at: record.keyNode(key), record.path(key))
            misplaced = true
        }
        if misplaced { return nil }
        switch by {
        case "pass_rate":
            guard established else {
                report("promotion by pass rate needs an establishment for \(rank); expected establishment.\(rank), or by: rate",
                       at: byNode, record.path("by"))
                return nil
            }
            let apply = required(record, "apply", expected: "\(Quantity.probability.expected): the chance an eligible officer applies in a year")
                .flatMap { parameter($0, record.path("apply"), .probability) }
            let pass = required(record, "pass", expected: Quantity.passRate.expected)
                .flatMap { parameter($0, record.path("pass"), .passRate) }
            var byGroup: [Funnel.GroupRate]? = []
            if let node = record["pass_by_group"] { byGroup = groupRates(node, record.path("pass_by_group"), dimensions) }
            guard let apply, let pass, let byGroup else { return nil }
            return .passRate(apply: apply, pass: pass, byGroup: byGroup)
        case "rate":
            return required(record, "rate", expected: "\(Quantity.probability.expected) (by: rate)")
                .flatMap { parameter($0, record.path("rate"), .probability) }
                .map(Promotion.Mode.rate)
        case "vacancy":
            guard established else {
                report("promotion by vacancy needs an establishment for \(rank); expected establishment.\(rank), or by: rate",
                       at: byNode, record.path("by"))
                return nil
            }
            return .vacancy
        default:
            report(Self.unknown("promotion rule", by, ["rate", "vacancy", "pass_rate"]), at: byNode, record.path("by"))
            return nil
        }
    }

    /// Reads `recruitment`: the list of intakes.
    mutating func readRecruitment(
        _ node: Node, _ path: FieldPath, _ dimensions: Dimensions, establishment: [Int: Dated<Parameter>?]
    ) -> [Intake] {
        guard let items = list(node, path, expected: "a list of intakes {rank?, size, ethnicity, gender, funnel?}") else { return [] }
        var intakes: [Intake] = []
        var fillRanks = Set<Int>()
        for (i, item) in items.enumerated() {
            guard let record = record(
                item, path.index(i), expected: "a mapping with size, ethnicity, gender and optional rank, gender_by_ethnicity and funnel",
                keys: ["rank", "size", "ethnicity", "gender", "gender_by_ethnicity", "funnel"])
            else { continue }
            var rank: Int? = 0
            if let node = record["rank"] {
                rank = text(node, record.path("rank"), expected: "a rank")
                    .flatMap { self.rank($0, at: node, record.path("rank"), dimensions) }
            }
            var funnel: Funnel?? = .some(nil)
            if let node = record["funnel"] { funnel = readFunnel(node, record.path("funnel"), dimensions).map { .some($0) } }
            // With a funnel, size only caps the recruits: without it, everyone who passes joins.
            var size: Intake.Size? = record["funnel"] != nil && record["size"] == nil ? .allWhoPass : nil
            if size == nil, let node = required(record, "size", expected: "fill or {per_year: n}"), let rank {
                size = intakeSize(node, record.path("size"), rank: rank, dimensions, established: establishment.keys.contains(rank))
                if case .fillToEstablishment = size, !fillRanks.insert(rank).inserted {
                    report("a second intake of size fill into \(dimensions.ranks[rank]); expected at most one per rank",
                           at: node, record.path("size"))
                    size = nil
                }
            }
            let ethnicity = required(record, "ethnicity", expected: "shares by ethnicity, or a dated list of them")
                .flatMap { datedShares($0, record.path("ethnicity"), .ethnicity, dimensions) }
            let gender = required(record, "gender", expected: "shares by gender, or a dated list of them")
                .flatMap { datedShares($0, record.path("gender"), .gender, dimensions) }
            var byEthnicity: [Int: Dated<Shares>]? = [:]
            if let node = record["gender_by_ethnicity"] {
                byEthnicity = genderByEthnicity(node, record.path("gender_by_ethnicity"), dimensions)
            }
            if let rank, let size, let ethnicity, let gender, let byEthnicity, let funnel {
                intakes.append(Intake(
                    rank: rank, size: size, ethnicity: ethnicity, gender: gender, genderByEthnicity: byEthnicity, funnel: funnel))
            }
        }
        return intakes
    }

    /// Reads an intake's `size`: `fill`, or `{per_year: n}` with `n` possibly dated.
    private mutating func intakeSize(_ node: Node, _ path: FieldPath, rank: Int, _ dimensions: Dimensions, established: Bool) -> Intake.Size? {
        if Self.scalarText(node) == "fill" {
            guard established else {
                let name = dimensions.ranks[rank]
                report("size: fill needs an establishment for \(name); expected establishment.\(name), or {per_year: n}",
                       at: node, path)
                return nil
            }
            return .fillToEstablishment
        }
        guard case .mapping = node else {
            report("found \(Self.describe(node)); expected fill or {per_year: n}", at: node, path)
            return nil
        }
        guard let record = record(node, path, expected: "fill or {per_year: n}", keys: ["per_year"]),
              let perYear = required(record, "per_year", expected: Quantity.recruitsPerYear.expected)
        else { return nil }
        return dated(perYear, record.path("per_year"), valueKey: "value", expected: Quantity.recruitsPerYear.expected) {
            $0.parameter($1, $2, .recruitsPerYear)
        }.map(Intake.Size.perYear)
    }

    /// Reads shares over one dimension, or a dated list of `{from, shares}`.
    private mutating func datedShares(_ node: Node, _ path: FieldPath, _ dimension: Aggregate.Dimension, _ dimensions: Dimensions) -> Dated<Shares>? {
        dated(node, path, valueKey: "shares", expected: "shares by \(dimension.noun)") {
            $0.shares($1, $2, dimensions.categories(dimension), noun: dimension.noun, aggregates: dimensions.aggregates.filter { $0.dimension == dimension })
        }
    }

    /// Reads `gender_by_ethnicity`: ethnicity or aggregate → gender shares; later entries win.
    private mutating func genderByEthnicity(_ node: Node, _ path: FieldPath, _ dimensions: Dimensions) -> [Int: Dated<Shares>]? {
        guard let entries = entries(node, path, expected: "a mapping from ethnicity or aggregate to gender shares") else { return nil }
        var result: [Int: Dated<Shares>] = [:]
        var complete = true
        for entry in entries {
            let members = members(Name(name: entry.name, node: entry.key, path: entry.path), .ethnicity, dimensions)
            let shares = datedShares(entry.value, entry.path, .gender, dimensions)
            guard let members, let shares else {
                complete = false
                continue
            }
            for member in members { result[member] = shares }
        }
        return complete ? result : nil
    }
}
