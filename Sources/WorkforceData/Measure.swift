import Workforce

/// A figure a projection gives at a date, written compactly (docs/data.md, "Measures"):
///
///     [officers. | recruits. | promotions.] share|count ( GROUP [in RANKS] [excluding CATEGORIES] [since YYYY-MM] )
///
/// - `GROUP`: a category or aggregate (`BAME`, `Female`), an ethnicity and a gender joined by `&`
///   (`Black&Female`), or `All`;
/// - `RANKS`: rank names joined by `+` (`Sergeant+Inspector`); a final `+` adds every rank above
///   the last one named (`Inspector+`: Inspector and above); or `all` (the default);
/// - `excluding`: categories or aggregates joined by `+`, left out of a share's denominator (and
///   numerator): `excluding Not stated` is the Home Office basis;
/// - `since`: for recruits and promotions, the first month of the period counted (default: the
///   12 months ending at the date).
///
/// `share(...)` of officers is the share of the group among officers in the ranks at the date, as a
/// target's measure; `count(...)` is the group's headcount there (officers only). Recruit and
/// promotion measures are shares over the period, as in targets.
package struct Measure: Sendable {
    package enum Statistic: String, Sendable { case share, count }

    /// The measure as written.
    package var text: String
    package var statistic: Statistic
    package var population: Target.Population
    /// The ranks counted.
    package var ranks: [Bool]
    /// The group measured (its ranks mask is unused).
    package var group: Selector
    /// The group as the measure names it.
    package var groupName: GroupName
    /// Who a share is of (its ranks mask is unused).
    package var denominator: Selector
    /// For recruits and promotions, the first month of the period (nil: 12 months to the date).
    package var since: Month?

    /// The target that makes the engine record this measure at `date` (its threshold is
    /// irrelevant). For a count, the target makes the date a report step, where headcounts are
    /// recorded.
    package func target(name: String, date: Month) -> Target {
        Target(
            name: name, population: population, ranks: ranks, group: group, groupName: groupName, comparison: .atLeast,
            threshold: 0, date: date, periodStart: population == .officers ? nil : since ?? date + -11,
            denominator: Selector(ranks: ranks, ethnicities: denominator.ethnicities, genders: denominator.genders))
    }

    /// Parses `text` against a model's dimensions; the error says what is wrong and what was expected.
    package init(parsing text: String, _ d: Dimensions) throws(MeasureError) {
        self.text = text
        var body = Substring(text.trimmingCharacters(in: .whitespaces))
        population = .officers
        for (word, kind) in [("officers.", Target.Population.officers), ("recruits.", .recruits), ("promotions.", .promotions)]
        where body.hasPrefix(word) {
            population = kind
            body = body.dropFirst(word.count)
        }
        guard let open = body.firstIndex(of: "("), body.hasSuffix(")"),
              let statistic = Statistic(rawValue: body[..<open].trimmingCharacters(in: .whitespaces))
        else {
            throw MeasureError("'\(text)' is not a measure")
        }
        self.statistic = statistic
        if statistic == .count && population != .officers {
            throw MeasureError("count of \(population == .recruits ? "recruits" : "promotions") is not recorded per period")
        }
        let parts = Self.clauses(String(body[body.index(after: open)..<body.index(before: body.endIndex)]))
        guard let groupText = parts[""], !groupText.isEmpty else { throw MeasureError("no group in '\(text)'") }

        (group, groupName) = try Self.group(groupText, d)
        ranks = Array(repeating: true, count: d.ranks.count)
        if let text = parts["in"], text != "all" {
            ranks = Array(repeating: false, count: d.ranks.count)
            let andAbove = text.hasSuffix("+")
            for name in Self.list(andAbove ? String(text.dropLast()) : text) {
                guard let r = d.ranks.firstIndex(of: name) else { throw MeasureError(Self.unknown("rank", name, d.ranks)) }
                ranks[r] = true
            }
            if andAbove, let highest = ranks.lastIndex(of: true) {
                for r in highest..<d.ranks.count { ranks[r] = true }
            }
        }
        denominator = .all(d)
        if let text = parts["excluding"] {
            guard statistic == .share else { throw MeasureError("excluding with count; expected it only with share") }
            for name in Self.list(text) {
                let (ethnicities, genders) = try Self.members(name, d)
                for e in ethnicities { denominator.ethnicities[e] = false }
                for g in genders { denominator.genders[g] = false }
            }
            let overlaps = { (a: [Bool], b: [Bool]) in zip(a, b).contains { $0 && $1 } }
            guard overlaps(group.ethnicities, denominator.ethnicities), overlaps(group.genders, denominator.genders) else {
                throw MeasureError("the whole group is excluded; expected categories outside the group")
            }
        }
        if let text = parts["since"] {
            guard population != .officers else { throw MeasureError("since with officers; expected it only with recruits or promotions") }
            guard let month = Self.month(text) else { throw MeasureError("'\(text)' is not a month; expected YYYY-MM") }
            since = month
        }
    }

    /// The clauses of the text between the parentheses: the group (key ""), then `in`,
    /// `excluding` and `since`, each introduced by its keyword between spaces.
    private static func clauses(_ inner: String) -> [String: String] {
        var marks: [(key: String, range: Range<String.Index>)] = []
        for key in ["in", "excluding", "since"] {
            if let range = inner.range(of: " \(key) ") { marks.append((key, range)) }
        }
        marks.sort { $0.range.lowerBound < $1.range.lowerBound }
        var result: [String: String] = [:]
        var key = "", from = inner.startIndex
        for mark in marks {
            result[key] = inner[from..<mark.range.lowerBound].trimmingCharacters(in: .whitespaces)
            (key, from) = (mark.key, mark.range.upperBound)
        }
        result[key] = inner[from...].trimmingCharacters(in: .whitespaces)
        return result
    }

    private static func list(_ text: String) -> [String] {
        text.split(separator: "+").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// The ethnicity and gender indices a category or aggregate name stands for (one of the two empty).
    private static func members(_ name: String, _ d: Dimensions) throws(MeasureError) -> (ethnicities: [Int], genders: [Int]) {
        if let e = d.ethnicities.firstIndex(of: name) { return ([e], []) }
        if let g = d.genders.firstIndex(of: name) { return ([], [g]) }
        if let aggregate = d.aggregates.first(where: { $0.name == name }) {
            return aggregate.dimension == .ethnicity ? (aggregate.members, []) : ([], aggregate.members)
        }
        throw MeasureError(unknown("category", name, d.ethnicities + d.genders + d.aggregates.map(\.name)))
    }

    /// A group: `All`, a category or aggregate, or `ethnicity&gender`.
    private static func group(_ text: String, _ d: Dimensions) throws(MeasureError) -> (Selector, GroupName) {
        var selector = Selector.all(d)
        var groupName = GroupName()
        if text == "All" && (try? members(text, d)) == nil { return (selector, groupName) }
        let names = text.split(separator: "&").map { $0.trimmingCharacters(in: .whitespaces) }
        var seenEthnicity = false, seenGender = false
        for name in names {
            let (ethnicities, genders) = try members(name, d)
            if !ethnicities.isEmpty {
                guard !seenEthnicity else { throw MeasureError("two ethnicities in '\(text)'; expected at most one ethnicity and one gender") }
                seenEthnicity = true
                selector.ethnicities = d.ethnicities.indices.map(ethnicities.contains)
                groupName.ethnicity = name
            } else {
                guard !seenGender else { throw MeasureError("two genders in '\(text)'; expected at most one ethnicity and one gender") }
                seenGender = true
                selector.genders = d.genders.indices.map(genders.contains)
                groupName.gender = name
            }
        }
        return (selector, groupName)
    }

    /// `YYYY-MM`, or `YYYY-MM-DD` (the month of that day).
    static func month(_ text: String) -> Month? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 || (parts.count == 3 && parts[2].count == 2 && Int(parts[2]).map { (1...31).contains($0) } == true)
        else { return nil }
        return Month(parsing: parts[0] + "-" + parts[1])
    }

    private static func unknown(_ noun: String, _ name: String, _ choices: [String]) -> String {
        "unknown \(noun) '\(name)'; expected one of: \(choices.joined(separator: ", "))"
    }
}

/// Why a measure could not be read.
package struct MeasureError: Error, Sendable {
    package var message: String
    init(_ message: String) {
        self.message = message.contains("expected") ? message
            : message + "; expected e.g. share(BAME), share(Black in Sergeant+Inspector), share(BAME excluding Not stated), "
                + "count(All), recruits.share(Female since 2022-04)"
    }
}
