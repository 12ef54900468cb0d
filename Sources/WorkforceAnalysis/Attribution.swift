import Workforce

/// Splits the projected change in an officer target's measure, from the start to the target's
/// date, between the flows with group differences (`flows(in:)`: recruitment, leaving,
/// promotion, and transfers out where the scenario has them).
///
/// Each flow's *group differences* can be set to parity: exits at rates (leaving, transfers
/// out) and promotion lose every multiplier, override, odds factor and intervention that singles
/// out some ethnicities or genders; recruitment takes the make-up of the whole workforce at the
/// start. Running all 2ⁿ combinations of the n flows on common random numbers gives, per
/// replication, the measure `g(T)` with the flows in `T` as in the scenario and the others at
/// parity. Then:
/// - `structure = g(∅) − start`: the change with no group differences at all (e.g. younger
///   groups retiring less);
/// - each flow's **Shapley** part, the average of its marginal effect `g(T ∪ {i}) − g(T)` over
///   the orders in which flows can be added; the parts sum exactly to `g(all) − g(∅)`;
/// - each flow's **one-at-a-time** part `g(all) − g(all \ {i})`, and the `interaction`
///   remainder `g(all) − g(∅) − Σ one-at-a-time parts`.
/// So `total = structure + Σ Shapley parts = g(all) − start`.
package enum Attribution {
    /// The flows attribution splits the change between, for `model`: those with a part
    /// (`Flow.attribution`) that the model has, in `Flow` order (so bit i of a combination is
    /// always the same flow for one model).
    package static func flows(in model: Model) -> [Flow] {
        Flow.allCases.filter { $0.attribution != nil && $0.isPresent(in: model) }
    }

    /// The model with the group differences of `flows` removed.
    package static func atParity(_ model: Model, _ flows: Set<Flow>) -> Model {
        var m = model
        let d = model.dimensions
        func allGroups(_ s: Selector) -> Bool { !s.ethnicities.contains(false) && !s.genders.contains(false) }
        func atParity(_ table: Leaving) -> Leaving {
            var t = table
            t.multipliers.removeAll { !allGroups($0.selector) }
            t.overrides.removeAll { !allGroups($0.selector) }
            return t
        }
        for flow in flows where flow.kind == .exit {
            switch flow {
            case .leavers: m.leaving = atParity(m.leaving)
            case .transfersOut: m.transfersOut = m.transfersOut.map(atParity)
            case .joiners, .promotions, .retirements: continue
            }
            m.interventions.removeAll { $0.effect.exitFactor(of: flow) != nil && !allGroups($0.selector) }
        }
        if flows.contains(.promotions) {
            for r in m.promotion.keys { m.promotion[r]!.odds.removeAll() }
            m.interventions.removeAll {
                if case .promotionOdds = $0.effect { return !allGroups($0.selector) }
                return false
            }
        }
        if flows.contains(.joiners) {
            // The all-ranks make-up at the start: ethnicity shares, and gender shares within each.
            var byGroup = [Double](repeating: 0, count: d.groupCount)
            for r in d.ranks.indices {
                for q in 0..<d.groupCount {
                    for s in 0..<d.maxService { byGroup[q] += Double(model.initial[d.cell(r, q, s)]) }
                }
            }
            recruit(&m, weights: byGroup, label: "parity")
        }
        return m
    }

    /// Makes every intake of `m` recruit groups in proportion to `weights` (one per ethnicity ×
    /// gender group, not all zero): ethnicity shares, and gender shares within each ethnicity
    /// (equal for an ethnicity of weight zero), as fixed parameters named `<label>.ethnicity.E`
    /// and `<label>.gender.E.G`. Drops the interventions that change intake shares. An intake
    /// with a funnel gets these as its applicants' shares, and every group passes each stage at
    /// the stage's own rate (group rates and `stage_pass` interventions dropped), so its recruits
    /// have them too.
    static func recruit(_ m: inout Model, weights: [Double], label: String) {
        let d = m.dimensions
        func fixed(_ value: Double, _ path: String) -> Shares.Entry {
            m.parameters.append(ParameterSpec(path: path, distribution: .fixed(value), range: 0...1))
            return .value(Parameter(m.parameters.count - 1))
        }
        let total = weights.reduce(0, +), scale = total > 0 ? 1 / total : 0
        let byEthnicity = d.ethnicities.indices.map { e in d.genders.indices.reduce(0.0) { $0 + weights[d.group(e, $1)] } }
        let ethnicity = Shares(d.ethnicities.indices.map { fixed(byEthnicity[$0] * scale, "\(label).ethnicity.\(d.ethnicities[$0])") })
        var genderBy: [Int: Dated<Shares>] = [:]
        for e in d.ethnicities.indices {
            genderBy[e] = Dated(constant: Shares(d.genders.indices.map { g in
                fixed(
                    byEthnicity[e] > 0 ? weights[d.group(e, g)] / byEthnicity[e] : 1 / Double(d.genders.count),
                    "\(label).gender.\(d.ethnicities[e]).\(d.genders[g])")
            }))
        }
        for i in m.intakes.indices {
            m.intakes[i].ethnicity = Dated(constant: ethnicity)
            m.intakes[i].gender = genderBy[0]!
            m.intakes[i].genderByEthnicity = genderBy
            for j in m.intakes[i].funnel?.stages.indices ?? 0..<0 { m.intakes[i].funnel?.stages[j].byGroup = [] }
        }
        m.interventions.removeAll {
            switch $0.effect {
            case .intakeShares, .stagePass: return true
            default: return false
            }
        }
    }

    /// The 2ⁿ parity combinations of `flows` (`flows(in:)`) in a fixed order: index bit i set =
    /// `flows[i]` as in the scenario (bit 0 recruitment, 1 leaving, 2 promotion, 3 transfers out
    /// when present). The last combination is the scenario itself.
    package static func combinations(of flows: [Flow]) -> [Set<Flow>] {
        (0..<(1 << flows.count)).map { mask in Set(flows.enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element)) }
    }

    /// The model for a combination: the flows *not* in `actual` at parity.
    package static func model(_ model: Model, actual: Set<Flow>) -> Model {
        atParity(model, Set(flows(in: model)).subtracting(actual))
    }

    /// The parts of one replication's change, from `g[mask]` (the measure for each of the 2ⁿ
    /// combinations, indexed as in `combinations(of:)`) and the start value.
    package struct Parts: Sendable {
        package var total: Double
        package var structure: Double
        /// By flow, in the order of `combinations(of:)`'s flows.
        package var shapley: [Double]
        package var oneAtATime: [Double]
        package var interaction: Double

        /// `g.count` is 2ⁿ for n flows.
        package init(g: [Double], start: Double) {
            let n = g.count.trailingZeroBitCount, all = (1 << n) - 1
            total = g[all] - start
            structure = g[0] - start
            func factorial(_ k: Int) -> Double { k <= 1 ? 1 : Double(k) * factorial(k - 1) }
            shapley = (0..<n).map { i in
                var sum = 0.0
                for mask in 0..<(1 << n) where mask & (1 << i) == 0 {
                    let size = mask.nonzeroBitCount
                    sum += factorial(size) * factorial(n - size - 1) / factorial(n) * (g[mask | (1 << i)] - g[mask])
                }
                return sum
            }
            oneAtATime = (0..<n).map { i in g[all] - g[all & ~(1 << i)] }
            interaction = g[all] - g[0] - oneAtATime.reduce(0, +)
        }
    }
}
