import Foundation
import Workforce

/// The best each target could possibly reach by its date, and the earliest date it could be
/// reached at all, under stated extremes of policy.
///
/// For a target on group G (for an `at_most` target, on the other groups counted in its
/// denominator: the ones whose growth helps it), the **extreme policy** is the scenario with:
/// - **every recruit from the group**: every intake's ethnicity × gender make-up is that of the
///   favoured groups in the initial workforce (all ranks), so every recruit is in the group;
///   dated intake-share interventions are dropped;
/// - **every vacancy filled from the group when eligible**: promotion into the target's ranks and
///   every rank below them weights the other groups by `otherOdds` (1/1000) relative to the
///   group, and drops every group-specific odds factor and odds intervention for those ranks.
///   By vacancy this fills posts from the group first and from the others only when the group's
///   eligible pool runs short (to within about 0.1% of the posts); by rate, the others are
///   almost never promoted and the group keeps its rate. Promotion into ranks above the
///   target's keeps the scenario's rules;
/// - **no leaving gap**: leaving and transfers out lose every multiplier, override and
///   intervention that singles out some ethnicities or genders (`Attribution.atParity(_:_:)`
///   for the exits).
///
/// The bound is the **expected-value projection** of that model (a bound on the mean, not on a
/// single replication: a Monte Carlo replication may exceed it by its own noise). The earliest
/// date is the first month the projection meets the threshold, searched to `searchYears` after
/// the start (at least the scenario's horizon), with the scenario's last dated values held.
///
/// Cost: one expected-value run per distinct extreme (targets on the same group and top rank
/// share one), each over `searchYears`; then each aim's `Needs.need` (up to about 11 runs each).
package enum Attainability {
    /// The relative promotion odds of the groups other than the favoured one under the extreme
    /// policy: small enough that the group fills nearly every vacancy it can, large enough that
    /// the expected-value filling (Fog's Wallenius mean) can still fill the rest from the others.
    package static let otherOdds = 1e-3

    /// One target's bound.
    package struct Bound: Sendable {
        package var target: Target
        /// The measure at the target's date under the extreme policy (expected value).
        package var best: Double
        /// Whether `best` meets the threshold: the target is within reach at its date.
        package var attainable: Bool
        /// The first month the extreme policy meets the threshold; nil if not by `searchedUntil`.
        package var earliest: Month?
        /// The last month searched for `earliest`.
        package var searchedUntil: Month
        /// The measure under the scenario's own policy (expected value), for comparison.
        package var scenarioValue: Double
        /// What the aim would need on one of the scenario's own levers (`Needs`), when computed.
        package var need: Needs.Need?
    }

    /// Years after the start searched for the earliest date: one full career (`maxService`), by
    /// which the whole workforce has been replaced under the extreme policy.
    package static func searchYears(_ model: Model) -> Int {
        max(model.dimensions.maxService, (model.timeline.horizon - model.timeline.start + 11) / 12)
    }

    /// Whether an ethnicity × gender pair is favoured by the extremes for `target`: in its
    /// denominator and in its group (out of its group for an `at_most` target).
    package static func favours(_ target: Target, ethnicity e: Int, gender g: Int) -> Bool {
        guard target.denominator.ethnicities[e] && target.denominator.genders[g] else { return false }
        let inGroup = target.group.ethnicities[e] && target.group.genders[g]
        return target.comparison == .atLeast ? inGroup : !inGroup
    }

    /// The highest rank a target counts.
    static func topRank(_ target: Target) -> Int { target.ranks.lastIndex(of: true) ?? 0 }

    /// The scenario under the extreme policy for `target`, run to `horizon`.
    package static func extremeModel(_ model: Model, for target: Target, horizon: Month) -> Model {
        var m = Attribution.atParity(model, [.leavers, .transfersOut])
        let d = model.dimensions
        m.timeline.horizon = max(horizon, model.timeline.horizon)
        func fixed(_ value: Double, _ path: String) -> Parameter {
            m.parameters.append(ParameterSpec(path: path, distribution: .fixed(value), range: 0...1e300))
            return Parameter(m.parameters.count - 1)
        }

        // Recruitment: the favoured groups only, in their initial all-ranks proportions
        // (equal shares among them if none is in the initial workforce).
        var weight = [Double](repeating: 0, count: d.groupCount)
        for e in d.ethnicities.indices {
            for g in d.genders.indices where favours(target, ethnicity: e, gender: g) {
                let q = d.group(e, g)
                for r in d.ranks.indices {
                    for s in 0..<d.maxService { weight[q] += Double(model.initial[d.cell(r, q, s)]) }
                }
            }
        }
        if weight.allSatisfy({ $0 == 0 }) {
            for e in d.ethnicities.indices {
                for g in d.genders.indices where favours(target, ethnicity: e, gender: g) { weight[d.group(e, g)] = 1 }
            }
        }
        if weight.contains(where: { $0 > 0 }) { Attribution.recruit(&m, weights: weight, label: "extreme") }

        // Promotion into the target's ranks and those below: the favoured groups first.
        let top = topRank(target)
        guard top >= 1 else { return m }
        let other = fixed(otherOdds, "extreme.promotion.other_odds")
        var against: [Leaving.Multiplier] = []
        for e in d.ethnicities.indices {
            for g in d.genders.indices where !favours(target, ethnicity: e, gender: g) {
                against.append(Leaving.Multiplier(
                    selector: Selector(
                        ranks: d.ranks.map { _ in true }, ethnicities: d.ethnicities.indices.map { $0 == e },
                        genders: d.genders.indices.map { $0 == g }),
                    factor: other))
            }
        }
        for r in 1...top where m.promotion[r] != nil { m.promotion[r]!.odds = against }
        // Odds interventions select officers by the rank they are promoted from.
        for i in m.interventions.indices {
            guard case .promotionOdds = m.interventions[i].effect else { continue }
            for r in 0..<top { m.interventions[i].selector.ranks[r] = false }
        }
        m.interventions.removeAll {
            if case .promotionOdds = $0.effect { return !$0.selector.ranks.contains(true) }
            return false
        }
        return m
    }

    /// Every target's bound. Runs the scenario itself once in expected-value mode, then one
    /// extreme model per distinct (favoured groups, top rank).
    package static func bounds(_ model: Model, threads: Int = 1) throws(EngineError) -> [Bound] {
        let options = Engine.Options(replications: 1, seed: model.timeline.seed, threads: threads, expected: true)
        let own = try Engine.run(model, options)
        let d = model.dimensions
        let horizon = model.timeline.start + 12 * searchYears(model)
        struct Key: Hashable {
            var favoured: [Bool]
            var top: Int
        }
        var runs: [Key: RunResult] = [:]
        var bounds: [Bound] = []
        for (t, target) in model.targets.enumerated() {
            let key = Key(
                favoured: d.ethnicities.indices.flatMap { e in d.genders.indices.map { g in favours(target, ethnicity: e, gender: g) } },
                top: topRank(target))
            let run: RunResult
            if let cached = runs[key] {
                run = cached
            } else {
                run = try Engine.run(extremeModel(model, for: target, horizon: horizon), options)
                runs[key] = run
            }
            let best = run.targetValue(replication: 0, target: t)
            bounds.append(Bound(
                target: target, best: best, attainable: target.isMet(best),
                earliest: run.firstMet(replication: 0, target: t).map { run.plan.model.timeline.end(ofStep: run.plan.reachedStep(target: t, firstMet: $0)) },
                searchedUntil: run.plan.model.timeline.horizon,
                scenarioValue: own.targetValue(replication: 0, target: t),
                need: try Needs.need(model, target: t, own: own.targetValue(replication: 0, target: t), threads: threads)))
        }
        return bounds
    }

    /// The sentence shown beside a verdict, e.g. "out of reach: even with every vacancy filled
    /// from BAME officers when eligible, every recruit BAME and no leaving gap, at most 13.1%;
    /// reachable at the earliest in 2026-09".
    /// With a `need`, its sentence (what the aim needs on the scenario's own levers), and when
    /// that is out of reach, the earliest date the extremes reach it; else the bound's sentence.
    package static func sentence(_ b: Bound) -> String {
        if let need = b.need {
            guard need.value == nil && !need.metAsPlanned else { return need.sentence }
            return need.sentence + "; even every recruit and promotion from the group "
                + (b.earliest.map { "reaches it at the earliest in \($0)" } ?? "does not reach it by \(b.searchedUntil)")
        }
        let t = b.target
        let group = t.comparison == .atLeast ? t.groupLabel : "outside \(t.groupLabel)"
        let levers: String
        switch t.population {
        case .officers:
            levers = "every recruit and every promotion (when eligible) from the \(group) group and no leaving gap"
        case .recruits:
            levers = "every recruit from the \(group) group"
        case .promotions:
            levers = "every promotion (when eligible) from the \(group) group"
        }
        let bound = t.comparison == .atLeast ? "at most" : "at least"
        let value = b.best.isNaN ? "n/a" : String(format: "%.1f%%", b.best * 100)
        let when = b.earliest.map { "reachable at the earliest in \($0)" } ?? "not reachable by \(b.searchedUntil)"
        return b.attainable
            ? "within reach: with \(levers), \(value) by \(t.date); \(when)"
            : "out of reach: even with \(levers), \(bound) \(value); \(when)"
    }
}
