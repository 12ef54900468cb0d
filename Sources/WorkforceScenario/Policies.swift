import Workforce
import Yams

extension ScenarioReader {
    /// The effects an intervention may have; it must have exactly one.
    private static let effects = ["leaving", "promotion_odds", "intake_shares", "transfers_out", "stage_pass", "promotion_pass"]
    /// The effects that may select years of service: those on exits at rates.
    private static let serviceEffects = ["leaving", "transfers_out"]

    /// Reads `interventions`. `intakeRanks`, when known, are the ranks that recruit: an
    /// `intake_shares` intervention must select at least one of them; `stages`, when known, the
    /// funnel stage names of each rank's intakes, one of which a `stage_pass` must name;
    /// `passRanks`, when known (every promotion rule read), the ranks whose officers are promoted
    /// by pass rate, one of which a `promotion_pass` must select.
    mutating func readInterventions(
        _ node: Node, _ path: FieldPath, _ dimensions: Dimensions, intakeRanks: Set<Int>?, stages: [Int: [String]]? = nil,
        passRanks: Set<Int>? = []
    ) -> [Intervention] {
        guard let items = list(node, path, expected: "a list of {name, from, until?, ranks?, ethnicities?, genders?, <effect>}")
        else { return [] }
        var interventions: [Intervention] = []
        var names = Set<String>()
        for (i, item) in items.enumerated() {
            guard let record = record(
                item, path.index(i), expected: "a mapping with name, from, until?, ranks?, ethnicities?, genders? and one effect",
                keys: ["name", "from", "until", "ranks", "ethnicities", "genders", "service"] + Self.effects)
            else { continue }
            let name = uniqueName(record, &names, noun: "intervention")
            let from = required(record, "from", expected: "the first month the intervention holds, YYYY-MM")
                .flatMap { date($0, record.path("from")) }
            var until: Month?
            if let node = record["until"] {
                until = date(node, record.path("until"), notBefore: from, "from")
            }
            let selector = serviceSelector(record, dimensions)
            var effect = interventionEffect(record, dimensions, selector: selector, intakeRanks: intakeRanks, stages: stages)
            if let selector, let passRanks, record["promotion_pass"] != nil, !passRanks.contains(where: { selector.ranks[$0] }) {
                let ranks = passRanks.sorted().map { dimensions.ranks[$0] }
                report("promotion_pass for ranks no one is promoted from by pass rate; expected ranks promoted from by: pass_rate: "
                       + (ranks.isEmpty ? "none" : ranks.joined(separator: ", ")),
                       at: record.keyNode("promotion_pass"), record.path("promotion_pass"))
                effect = nil
            }
            if let node = record.keyNode("service"), record.present(Self.serviceEffects).isEmpty {
                report("service with an effect other than leaving or transfers_out; expected service only on leaving and transfers_out interventions",
                       at: node, record.path("service"))
                effect = nil
            }
            if let name, let from, let selector, let effect {
                interventions.append(Intervention(name: name, from: from, until: until, selector: selector, effect: effect))
            }
        }
        return interventions
    }

    /// Reads the one effect of an intervention.
    private mutating func interventionEffect(
        _ record: Record, _ dimensions: Dimensions, selector: Selector?, intakeRanks: Set<Int>?, stages: [Int: [String]]?
    ) -> Intervention.Effect? {
        let given = record.present(Self.effects)
        guard given.count == 1, let key = given.first, let node = record[key] else {
            let found = given.isEmpty ? "no effect" : "several effects (\(given.joined(separator: ", ")))"
            report("\(found); expected exactly one of: \(Self.effects.joined(separator: ", "))", at: record.node, record.path)
            return nil
        }
        switch key {
        case "leaving":
            return parameter(node, record.path(key), .factor).map(Intervention.Effect.leaving)
        case "transfers_out":
            return parameter(node, record.path(key), .factor).map(Intervention.Effect.transfersOut)
        case "promotion_odds":
            return parameter(node, record.path(key), .factor).map(Intervention.Effect.promotionOdds)
        case "promotion_pass":
            return parameter(node, record.path(key), .passRate).map(Intervention.Effect.promotionPass)
        case "stage_pass":
            return stagePass(node, record.path(key), selector: selector, stages: stages, dimensions)
        default:
            var complete = true
            for selectorKey in record.present(["ethnicities", "genders"]) {
                report("\(selectorKey) with intake_shares, which replaces the shares of whole intakes; expected only ranks",
                       at: record.keyNode(selectorKey), record.path(selectorKey))
                complete = false
            }
            if let intakeRanks, let selector,
               !intakeRanks.contains(where: { selector.ranks[$0] }) {
                let recruiting = intakeRanks.sorted().map { dimensions.ranks[$0] }
                report("intake_shares for ranks no intake joins; expected ranks with an intake: "
                       + (recruiting.isEmpty ? "none (there is no recruitment)" : recruiting.joined(separator: ", ")),
                       at: record.node, record.path)
                complete = false
            }
            let effect = intakeShares(node, record.path(key), dimensions)
            return complete ? effect : nil
        }
    }

    /// Reads `intake_shares: {ethnicity?, gender?}`.
    private mutating func intakeShares(_ node: Node, _ path: FieldPath, _ dimensions: Dimensions) -> Intervention.Effect? {
        guard let record = record(node, path, expected: "a mapping with ethnicity and/or gender shares", keys: ["ethnicity", "gender"])
        else { return nil }
        guard record["ethnicity"] != nil || record["gender"] != nil else {
            report("no shares; expected ethnicity or gender shares, or both", at: node, path)
            return nil
        }
        let ethnicity = record["ethnicity"].map {
            shares($0, record.path("ethnicity"), dimensions.ethnicities, noun: "ethnicity", aggregates: dimensions.aggregates.filter { $0.dimension == .ethnicity })
        }
        let gender = record["gender"].map { shares($0, record.path("gender"), dimensions.genders, noun: "gender") }
        if ethnicity == .some(nil) || gender == .some(nil) { return nil }
        return .intakeShares(ethnicity: ethnicity ?? nil, gender: gender ?? nil)
    }

    /// Reads a required `name`, reporting one already used by an earlier entry.
    private mutating func uniqueName(_ record: Record, _ names: inout Set<String>, noun: String) -> String? {
        guard let node = required(record, "name", expected: "a name"),
              let name = text(node, record.path("name"), expected: "a name")
        else { return nil }
        guard names.insert(name).inserted else {
            report("duplicate \(noun) name '\(name)'; expected a name no other \(noun) has", at: node, record.path("name"))
            return nil
        }
        return name
    }

    // MARK: - Targets

    /// Reads `targets`. With a timeline, their dates are checked to lie within the run.
    mutating func readTargets(
        _ node: Node, _ path: FieldPath, _ dimensions: Dimensions, _ timeline: Timeline?
    ) -> [Target] {
        guard let items = list(
            node, path, expected: "a list of {name, share_of, group, ranks?, denominator_excludes?, at_least|at_most, by, from?}")
        else { return [] }
        var targets: [Target] = []
        var names = Set<String>()
        for (i, item) in items.enumerated() {
            guard let record = record(
                item, path.index(i),
                expected: "a mapping with name, share_of, group, ranks?, denominator_excludes?, at_least or at_most, by and from?",
                keys: ["name", "share_of", "group", "ranks", "denominator_excludes", "at_least", "at_most", "by", "from"])
            else { continue }
            let name = uniqueName(record, &names, noun: "target")
            let populations = ["officers", "recruits", "promotions"]
            var population: Target.Population?
            if let node = required(record, "share_of", expected: populations.joined(separator: ", ")),
               let word = text(node, record.path("share_of"), expected: populations.joined(separator: ", ")) {
                population = switch word {
                case "officers": .officers
                case "recruits": .recruits
                case "promotions": .promotions
                default: nil
                }
                if population == nil { report(Self.unknown("population", word, populations), at: node, record.path("share_of")) }
            }
            let group = required(record, "group", expected: "a category or aggregate, or {ethnicity, gender}")
                .flatMap { targetGroup($0, record.path("group"), dimensions) }
            var ranks: [Bool]? = Array(repeating: true, count: dimensions.ranks.count)
            if let node = record["ranks"] { ranks = rankMask(node, record.path("ranks"), dimensions) }
            let denominator = targetDenominator(record, group: group?.selector, dimensions)
            let threshold = targetThreshold(record)
            let byNode = required(record, "by", expected: "the month the target is judged at, YYYY-MM")
            let by = byNode.flatMap { dateInRun($0, record.path("by"), timeline) }
            // The period counted for recruits and promotions: from `from`, else the 12 months ending at `by`.
            var periodStart = population == .officers ? nil : by.map { $0 + -11 }
            if let node = record["from"] {
                periodStart = targetPeriodStart(node, record, population: population, by: by, timeline)
            }
            if let name, let population, let group, let ranks, let denominator, let threshold, let by {
                targets.append(Target(
                    name: name, population: population, ranks: ranks, group: group.selector, groupName: group.name,
                    comparison: threshold.comparison, threshold: threshold.value, date: by, periodStart: periodStart,
                    denominator: Selector(ranks: ranks, ethnicities: denominator.ethnicities, genders: denominator.genders)))
            }
        }
        return targets
    }

    /// Reads a target's `group`: a category or aggregate of either dimension, or `{ethnicity, gender}`.
    private mutating func targetGroup(_ node: Node, _ path: FieldPath, _ dimensions: Dimensions) -> (selector: Selector, name: GroupName)? {
        var selector = Selector.all(dimensions)
        guard case .mapping = node else {
            guard let name = text(node, path, expected: "a category or aggregate, or {ethnicity, gender}") else { return nil }
            guard let dimension = dimensions.dimension(of: name),
                  let members = dimensions.members(of: name, in: dimension)
            else {
                let choices = dimensions.ethnicities + dimensions.genders + dimensions.aggregates.map(\.name)
                report(Self.unknown("group", name, choices), at: node, path)
                return nil
            }
            let mask = dimensions.categories(dimension).indices.map(members.contains)
            if dimension == .ethnicity { selector.ethnicities = mask } else { selector.genders = mask }
            return (selector, dimension == .ethnicity ? GroupName(ethnicity: name) : GroupName(gender: name))
        }
        guard let record = record(node, path, expected: "{ethnicity, gender}", keys: ["ethnicity", "gender"]) else { return nil }
        guard record["ethnicity"] != nil || record["gender"] != nil else {
            report("an empty group; expected an ethnicity, a gender, or both", at: node, path)
            return nil
        }
        var groupName = GroupName()
        var complete = true
        for (key, dimension) in [("ethnicity", Aggregate.Dimension.ethnicity), ("gender", .gender)] {
            guard let value = record[key] else { continue }
            guard let name = text(value, record.path(key), expected: "\(dimension.withArticle) or aggregate"),
                  let members = members(Name(name: name, node: value, path: record.path(key)), dimension, dimensions)
            else {
                complete = false
                continue
            }
            let mask = dimensions.categories(dimension).indices.map(members.contains)
            if dimension == .ethnicity {
                (selector.ethnicities, groupName.ethnicity) = (mask, name)
            } else {
                (selector.genders, groupName.gender) = (mask, name)
            }
        }
        return complete ? (selector, groupName) : nil
    }

    /// Reads a target's `denominator_excludes`: categories or aggregates (of either dimension) left
    /// out of the share's denominator, and so of its numerator too (e.g. "Not stated", the Home
    /// Office basis). Everyone is counted when it is absent. Leaving out the whole group, or every
    /// category of a dimension, is reported: the share could only be 0 or undefined.
    private mutating func targetDenominator(_ record: Record, group: Selector?, _ dimensions: Dimensions) -> Selector? {
        var selector = Selector.all(dimensions)
        guard let node = record["denominator_excludes"] else { return selector }
        let path = record.path("denominator_excludes")
        guard let names = names(node, path, expected: "a category or aggregate, or a list of them") else { return nil }
        var complete = true
        for name in names {
            guard let dimension = dimensions.dimension(of: name.name),
                  let members = dimensions.members(of: name.name, in: dimension)
            else {
                let choices = dimensions.ethnicities + dimensions.genders + dimensions.aggregates.map(\.name)
                report(Self.unknown("category", name.name, choices), at: name.node, name.path)
                complete = false
                continue
            }
            for member in members {
                if dimension == .ethnicity { selector.ethnicities[member] = false } else { selector.genders[member] = false }
            }
        }
        guard complete else { return nil }
        if !selector.ethnicities.contains(true) || !selector.genders.contains(true) {
            report("every category of a dimension is excluded; expected some officers left in the denominator", at: node, path)
            return nil
        }
        let overlaps = { (a: [Bool], b: [Bool]) in zip(a, b).contains { $0 && $1 } }
        if let group, !overlaps(group.ethnicities, selector.ethnicities) || !overlaps(group.genders, selector.genders) {
            report("the whole group is excluded, so its share could only be 0; expected categories outside the group",
                   at: node, path)
            return nil
        }
        return selector
    }

    /// Reads a target's `from`, which only recruit and promotion targets have and which may not
    /// come after `by`.
    private mutating func targetPeriodStart(
        _ node: Node, _ record: Record, population: Target.Population?, by: Month?, _ timeline: Timeline?
    ) -> Month? {
        guard population != .officers else {
            report("a period start for share_of: officers, which is judged at one month; expected from only with recruits or promotions",
                   at: record.keyNode("from"), record.path("from"))
            return nil
        }
        guard let from = dateInRun(node, record.path("from"), timeline) else { return nil }
        if let by, from > by {
            report("\(from) is after by \(by); expected a month no later than by", at: node, record.path("from"))
            return nil
        }
        return from
    }

    /// Reads a target's `at_least` or `at_most` (exactly one).
    private mutating func targetThreshold(_ record: Record) -> (comparison: Target.Comparison, value: Double)? {
        let given = record.present(["at_least", "at_most"])
        guard given.count == 1, let key = given.first, let node = record[key],
              let comparison = Target.Comparison(rawValue: key)
        else {
            if given.isEmpty {
                report("missing; expected at_least or at_most with \(Quantity.share.expected)", at: record.node, record.path("at_least"))
            } else {
                report("both at_least and at_most; expected one of them", at: record.keyNode("at_most"), record.path("at_most"))
            }
            return nil
        }
        return fixed(node, record.path(key), .share).map { (comparison, $0) }
    }

    /// Reads a month that must lie within the run (start to horizon) when the timeline is known.
    private mutating func dateInRun(_ node: Node, _ path: FieldPath, _ timeline: Timeline?) -> Month? {
        guard let month = date(node, path) else { return nil }
        if let timeline, month < timeline.start || month > timeline.horizon {
            report("\(month) is outside the run, \(timeline.start) to \(timeline.horizon); expected a month within it",
                   at: node, path)
            return nil
        }
        return month
    }
}
