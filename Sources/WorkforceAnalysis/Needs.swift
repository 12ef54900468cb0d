import Foundation
import Workforce

/// What each aim would need on one of the scenario's own levers, moved on its own from the date
/// the scenario's plan starts: the group's share of recruits (an aim on all officers or on
/// recruits) or the group's promotion odds (an aim on some ranks or on promotions), in the
/// expected-value projection. "Out of reach" only when the lever's whole stated range
/// (`Lever.range`) does not meet the aim.
///
/// Cost: per aim, one expected-value run at the range's favourable end, then about 10 for the
/// bisection (none when the plan already meets it or the end does not).
package enum Needs {
    /// The lever an aim is tried on.
    package enum Lever: String, Sendable, Codable {
        /// The group's share of every intake's recruits (of applicants, through a funnel), 0...1,
        /// the other categories keeping their proportions of the rest.
        case recruitShare = "recruit-share"
        /// A multiplier of the group's promotion odds out of every rank below the aim's top rank.
        case promotionOdds = "promotion-odds"

        /// The range stated for it: every share; the odds up to ten times the scenario's.
        package var range: ClosedRange<Double> {
            switch self {
            case .recruitShare: 0...1
            case .promotionOdds: 1...10
            }
        }
    }

    /// What one aim needs.
    package struct Need: Sendable, Codable, Equatable {
        package var lever: Lever
        /// The group, in the aim's words.
        package var group: String
        /// Whose share the recruit lever sets: `recruits`, or `applicants` when the intakes recruit
        /// through a funnel (the recruits are then whoever passes).
        package var whose: String
        /// The first month the lever is moved.
        package var from: Month
        /// The aim's top rank, for promotion odds.
        package var rank: String?
        /// The lever's value at which the expected-value projection just meets the aim; nil
        /// when the plan already meets it (`metAsPlanned`) or no value in `range` does.
        package var value: Double?
        /// The plan meets the aim in the expected-value projection with the lever as it is.
        package var metAsPlanned: Bool
        /// The aim's measure at its date at the range's favourable end (expected value); nil when
        /// not computed (the plan already meets it).
        package var atTheEnd: Double?
        /// The half-width of the last bisection step.
        package var tolerance: Double

        /// "needs 46% of recruits BAME from Apr 2022", "needs 7.1× the BAME promotion odds into
        /// Sergeant from Apr 2022", "met as planned (expected value)", "out of reach: even 10× the
        /// BAME promotion odds from Apr 2022 gives 13.1%".
        package var sentence: String {
            if metAsPlanned { return "met as planned (in the expected-value projection)" }
            let end = atTheEnd.map { String(format: "%.1f%%", $0 * 100) } ?? "n/a"
            switch lever {
            case .recruitShare:
                guard let value else { return "out of reach: even every \(whose.dropLast()) \(group) from \(from.long) gives \(end)" }
                // Rounded up, so the value printed meets the aim.
                return "needs \(String(format: "%.0f%%", (value * 100).rounded(.up))) of \(whose) \(group) from \(from.long)"
            case .promotionOdds:
                let into = rank.map { " up to \($0)" } ?? ""
                guard let value else {
                    return "out of reach: even \(String(format: "%g", lever.range.upperBound))× the \(group) promotion odds\(into) from \(from.long) gives \(end)"
                }
                return "needs \(String(format: "%.1f", (value * 10).rounded(.up) / 10))× the \(group) promotion odds\(into) from \(from.long)"
            }
        }
    }

    /// The month the scenario's plan starts for an aim on ethnicity (`ethnic`) or on gender: its
    /// first dated change after the start (an intervention, or a dated intake share of that
    /// dimension); the start's next month when it has none.
    package static func planStart(_ model: Model, ethnic: Bool) -> Month {
        let start = model.timeline.start
        let changes = model.interventions.map(\.from) + model.intakes.flatMap { ethnic ? $0.ethnicity.changes : $0.gender.changes }
        return changes.filter { $0 > start }.min() ?? start + 1
    }

    /// What `target` (index `t`) would need, given its measure in the scenario's own expected-value
    /// run (`own`); nil for an `at_most` aim or a group of both an ethnicity and a gender.
    package static func need(_ model: Model, target t: Int, own: Double, threads: Int) throws(EngineError) -> Need? {
        let target = model.targets[t]
        guard target.comparison == .atLeast else { return nil }
        let ethnic = target.group.ethnicities.contains(false), gendered = target.group.genders.contains(false)
        guard ethnic != gendered else { return nil }
        let top = target.ranks.lastIndex(of: true) ?? 0
        let lever: Lever = (target.population == .promotions || (target.population == .officers && target.ranks.contains(false))) && top >= 1
            ? .promotionOdds : .recruitShare
        // A plan that starts after the aim's period has begun cannot move it: then from the start.
        let planned = planStart(model, ethnic: ethnic)
        let from = planned < (target.population == .officers ? target.date : target.periodStart) ? planned : model.timeline.start + 1
        let options = Engine.Options(replications: 1, seed: model.timeline.seed, threads: threads, expected: true)
        func measure(_ x: Double) throws(EngineError) -> Double {
            try Engine.run(moved(model, target: target, lever: lever, to: x, from: from), options).targetValue(replication: 0, target: t)
        }
        var need = Need(
            lever: lever, group: target.groupLabel, whose: model.intakes.contains { $0.funnel != nil } ? "applicants" : "recruits", from: from, rank: lever == .promotionOdds ? model.dimensions.ranks[top] : nil,
            value: nil, metAsPlanned: target.isMet(own), atTheEnd: nil, tolerance: 0)
        if need.metAsPlanned { return need }
        let end = try measure(lever.range.upperBound)
        need.atTheEnd = end.isNaN ? nil : end
        guard target.isMet(end) else { return need }
        // Bisection: `low` misses, `high` meets.
        var (low, high) = (lever.range.lowerBound, lever.range.upperBound)
        let step = lever == .recruitShare ? 0.005 : 0.05
        while high - low > step {
            let mid = (low + high) / 2
            if target.isMet(try measure(mid)) { high = mid } else { low = mid }
        }
        need.value = high
        need.tolerance = (high - low) / 2
        return need
    }

    /// The scenario with the lever at `x` from `from` on.
    static func moved(_ model: Model, target: Target, lever: Lever, to x: Double, from: Month) -> Model {
        var m = model
        let d = model.dimensions
        func fixed(_ value: Double, _ path: String) -> Parameter {
            m.parameters.append(ParameterSpec(path: path, distribution: .fixed(value), range: 0...1e300))
            return Parameter(m.parameters.count - 1)
        }
        switch lever {
        case .promotionOdds:
            // Selected by the rank promoted from: every rank below the aim's top rank.
            let top = target.ranks.lastIndex(of: true) ?? 0
            m.interventions.append(Intervention(
                name: "need.promotion_odds", from: from,
                selector: Selector(ranks: d.ranks.indices.map { $0 < top }, ethnicities: target.group.ethnicities, genders: target.group.genders),
                effect: .promotionOdds(fixed(x, "need.promotion_odds"))))
        case .recruitShare:
            // The group's categories share x in their proportions of the initial workforce, the others 1 − x.
            let ethnic = target.group.ethnicities.contains(false)
            let members = ethnic ? target.group.ethnicities : target.group.genders
            let names = ethnic ? d.ethnicities : d.genders
            var weight = [Double](repeating: 0, count: names.count)
            for r in d.ranks.indices {
                for e in d.ethnicities.indices {
                    for g in d.genders.indices {
                        for s in 0..<d.maxService { weight[ethnic ? e : g] += Double(model.initial[d.cell(r, d.group(e, g), s)]) }
                    }
                }
            }
            let inside = zip(weight, members).filter(\.1).map(\.0).reduce(0, +), outside = weight.reduce(0, +) - inside
            let insideCount = Double(members.filter { $0 }.count), outsideCount = Double(members.filter { !$0 }.count)
            let shares = Shares(names.indices.map { c in
                let part = members[c]
                    ? (inside > 0 ? weight[c] / inside : 1 / insideCount) * x
                    : (outside > 0 ? weight[c] / outside : 1 / max(outsideCount, 1)) * (1 - x)
                return .value(fixed(part, "need.recruit_share.\(names[c])"))
            })
            m.interventions.append(Intervention(
                name: "need.recruit_share", from: from,
                selector: Selector(ranks: d.ranks.map { _ in true }, ethnicities: d.ethnicities.map { _ in true }, genders: d.genders.map { _ in true }),
                effect: ethnic ? .intakeShares(ethnicity: shares, gender: nil) : .intakeShares(ethnicity: nil, gender: shares)))
        }
        return m
    }
}
