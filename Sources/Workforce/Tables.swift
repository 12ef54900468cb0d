import Foundation

/// The per-step rates of one replication, rebuilt only when a dated value changes (a regime):
/// parameters are drawn once per replication, so between changes every rate is constant.
struct Tables {
    /// Cells of one rank whose officers share one step probability: the groups
    /// `blockGroups[groups]`, each over the years of service `service`.
    struct Block {
        var rank: Int
        var service: Range<Int>
        var probability: Double
        var groups: Range<Int>
        /// The block's substream index within its rank and step (`StreamKey.Purpose.leaving`
        /// or `.promotionByRate`): its first year of service × groups + its first group, so that a block keeps
        /// its random numbers when other blocks of the rank change.
        var stream: Int
    }

    private let plan: Plan
    /// Leaving blocks: per rank × leaving band, groups with equal probabilities share a block.
    private(set) var leaving: [Block] = []
    /// `promotionBlocks[r]`: blocks of eligible officers of rank r-1 for promotion by rate into r.
    private(set) var promotionBlocks: [[Block]]
    /// `promotionWeights[r][q]`: relative odds of group q for promotion into r (by vacancy).
    private(set) var promotionWeights: [[Double]]
    private(set) var blockGroups: [Int] = []
    /// Establishment per rank (NaN where none).
    private(set) var establishment: [Double]
    /// Recruits per year per intake (for `perYear` intakes).
    private(set) var intakeSize: [Double]
    /// Probability of each group per intake (ethnicity share × gender share given ethnicity).
    private(set) var intakeShares: [[Double]]
    /// The fraction of a recruit carried to the next step, per intake (Monte Carlo only).
    var intakeCarry: [Double]

    /// Scratch space for `rebuild`, kept so that a rebuild allocates nothing once the tables have
    /// reached their size: the interventions active at the month, the service years where a
    /// leaving band is split, per-group probabilities and odds, the distinct probabilities of a
    /// rank's blocks, and an intake's shares by ethnicity and by gender for each ethnicity.
    private var active: [Int] = []
    private var cuts: [Int] = []
    private var probabilities: [Double]
    private var odds: [Double]
    private var seen: [Double] = []
    private var ethnicityShares: [Double]
    private var genderShares: [Double]

    init(plan: Plan) {
        self.plan = plan
        let R = plan.ranks, Q = plan.groups
        let d = plan.model.dimensions
        promotionBlocks = Array(repeating: [], count: R)
        promotionWeights = Array(repeating: Array(repeating: 1, count: Q), count: R)
        establishment = Array(repeating: .nan, count: R)
        intakeSize = Array(repeating: 0, count: plan.model.intakes.count)
        intakeShares = Array(repeating: Array(repeating: 0, count: Q), count: plan.model.intakes.count)
        intakeCarry = Array(repeating: 0, count: plan.model.intakes.count)
        probabilities = Array(repeating: 0, count: Q)
        odds = Array(repeating: 1, count: Q)
        ethnicityShares = Array(repeating: 0, count: d.ethnicities.count)
        genderShares = Array(repeating: 0, count: d.ethnicities.count * d.genders.count)
    }

    mutating func resetCarries() {
        for i in intakeCarry.indices { intakeCarry[i] = 0 }
    }

    /// The probability over one step of an event with annual probability `annual`:
    /// `1 - (1 - annual)^(1/k)` for k steps a year.
    static func stepProbability(annual: Double, stepsPerYear k: Int) -> Double {
        if annual >= 1 { return 1 }
        if annual <= 0 { return 0 }
        return k == 1 ? annual : -expm1(log1p(-annual) / Double(k))
    }

    /// Where `appendBlocks` puts its blocks.
    private enum Destination { case leaving, promotion(into: Int) }

    /// Appends the blocks of `service` in `rank` from `probabilities`: groups with equal
    /// probabilities share a block (compared exactly: equal inputs give equal rates), in order of
    /// their first group. A block's stream is keyed by the first year of service it covers and
    /// its first group: distinct within a rank even where a band is split at a service selection.
    private mutating func appendBlocks(rank: Int, service: Range<Int>, to destination: Destination) {
        let Q = plan.groups
        seen.removeAll(keepingCapacity: true)
        for first in 0..<Q {
            let p = probabilities[first]
            guard p > 0, !seen.contains(p) else { continue }
            seen.append(p)
            let start = blockGroups.count
            for q in first..<Q where probabilities[q] == p { blockGroups.append(q) }
            let block = Block(rank: rank, service: service, probability: p, groups: start..<blockGroups.count, stream: service.lowerBound * Q + first)
            switch destination {
            case .leaving: leaving.append(block)
            case .promotion(let r): promotionBlocks[r].append(block)
            }
        }
    }

    /// Rebuilds every table for steps beginning in `month`, in place (no allocation once the
    /// tables have reached their size).
    mutating func rebuild(at month: Month, parameters v: [Double]) {
        let model = plan.model
        let d = model.dimensions
        let R = plan.ranks, Q = plan.groups, G = d.genders.count, E = d.ethnicities.count
        let k = plan.stepsPerYear
        active.removeAll(keepingCapacity: true)
        for (i, intervention) in model.interventions.enumerated() where intervention.isActive(at: month) { active.append(i) }
        leaving.removeAll(keepingCapacity: true)
        blockGroups.removeAll(keepingCapacity: true)

        // Leaving.
        let L = model.leaving
        // Bands are split where a multiplier or leaving intervention selects years of service,
        // so each piece lies wholly inside or outside every such selection.
        cuts.removeAll(keepingCapacity: true)
        for m in L.multipliers {
            if let s = m.selector.service { cuts.append(s.lowerBound); cuts.append(s.upperBound + 1) }
        }
        for i in active {
            if let s = model.interventions[i].selector.service { cuts.append(s.lowerBound); cuts.append(s.upperBound + 1) }
        }
        cuts.sort()
        for r in 0..<R {
            for (b, band) in L.bands.enumerated() {
                let whole = max(0, band.lowerBound)..<min(plan.service, band.upperBound + 1)
                guard !whole.isEmpty else { continue }
                // The pieces run from each edge to the next: the band's ends and the distinct cuts inside it.
                var lower = whole.lowerBound
                var c = 0
                while lower < whole.upperBound {
                    while c < cuts.count && cuts[c] <= lower { c += 1 }
                    let upper = c < cuts.count && cuts[c] < whole.upperBound ? cuts[c] : whole.upperBound
                    for e in 0..<E {
                        for g in 0..<G {
                            var base = v[L.rates[r][b].index]
                            for o in L.overrides where o.selector.contains(rank: r, ethnicity: e, gender: g) && !o.rates[r].isEmpty {
                                base = v[o.rates[r][b].index]
                            }
                            for m in L.multipliers where Self.selects(m.selector, r, e, g, lower) { base *= v[m.factor.index] }
                            for i in active where Self.selects(model.interventions[i].selector, r, e, g, lower) {
                                if case .leaving(let factor) = model.interventions[i].effect { base *= v[factor.index] }
                            }
                            probabilities[e * G + g] = Self.stepProbability(annual: min(1, base), stepsPerYear: k)
                        }
                    }
                    appendBlocks(rank: r, service: lower..<upper, to: .leaving)
                    lower = upper
                }
            }
        }

        // Establishment.
        for r in 0..<R {
            establishment[r] = model.establishment[r].map { v[$0.value(at: month).index] } ?? .nan
        }

        // Promotion: odds factors per group, then rates or vacancy weights.
        for r in 1..<max(1, R) {
            guard let rule = model.promotion[r] else { continue }
            for e in 0..<E {
                for g in 0..<G {
                    var f = 1.0
                    for m in rule.odds where m.selector.ethnicities[e] && m.selector.genders[g] { f *= v[m.factor.index] }
                    for i in active where model.interventions[i].selector.contains(rank: r - 1, ethnicity: e, gender: g) {
                        if case .promotionOdds(let factor) = model.interventions[i].effect { f *= v[factor.index] }
                    }
                    odds[e * G + g] = f
                }
            }
            switch rule.mode {
            case .rate(let rate):
                let p = v[rate.index]
                for q in 0..<Q {
                    let annual: Double
                    if p >= 1 {
                        annual = odds[q] > 0 ? 1 : 0
                    } else {
                        let o = p / (1 - p) * odds[q]
                        annual = o.isFinite ? o / (1 + o) : 1
                    }
                    probabilities[q] = Self.stepProbability(annual: annual, stepsPerYear: k)
                }
                promotionBlocks[r].removeAll(keepingCapacity: true)
                let service = min(rule.minService, plan.service)..<plan.service
                if !service.isEmpty {
                    appendBlocks(rank: r - 1, service: service, to: .promotion(into: r))
                }
            case .vacancy:
                for q in 0..<Q { promotionWeights[r][q] = odds[q] }
            }
        }

        // Intakes: ethnicity shares, and gender shares for each ethnicity, then their products.
        for (n, intake) in model.intakes.enumerated() {
            if case .perYear(let size) = intake.size { intakeSize[n] = v[size.value(at: month).index] }
            Self.resolve(intake.ethnicity.value(at: month), v, into: &ethnicityShares, at: 0)
            for e in 0..<E {
                Self.resolve((intake.genderByEthnicity[e] ?? intake.gender).value(at: month), v, into: &genderShares, at: e * G)
            }
            for i in active where model.interventions[i].selector.ranks[intake.rank] {
                guard case .intakeShares(let ethnicity, let gender) = model.interventions[i].effect else { continue }
                if let ethnicity { Self.resolve(ethnicity, v, into: &ethnicityShares, at: 0) }
                if let gender {
                    for e in 0..<E { Self.resolve(gender, v, into: &genderShares, at: e * G) }
                }
            }
            for e in 0..<E {
                for g in 0..<G { intakeShares[n][e * G + g] = ethnicityShares[e] * genderShares[e * G + g] }
            }
        }
    }

    /// Whether `s` selects rank `r`, ethnicity `e`, gender `g` and the years of service from `lower`.
    private static func selects(_ s: Selector, _ r: Int, _ e: Int, _ g: Int, _ lower: Int) -> Bool {
        s.contains(rank: r, ethnicity: e, gender: g) && (s.service?.contains(lower) ?? true)
    }

    /// Writes share values as drawn to `values[at...]`; `rest` is one minus the others (never
    /// below zero), summed in entry order.
    private static func resolve(_ shares: Shares, _ v: [Double], into values: inout [Double], at offset: Int) {
        var rest: Int?
        for (j, entry) in shares.entries.enumerated() {
            switch entry {
            case .value(let p): values[offset + j] = v[p.index]
            case .part(let p, let fraction): values[offset + j] = v[p.index] * fraction
            case .rest:
                values[offset + j] = 0
                if rest == nil { rest = j }
            }
        }
        if let rest {
            var sum = 0.0
            for j in shares.entries.indices { sum += values[offset + j] }
            values[offset + rest] = max(0, 1 - sum)
        }
    }
}

/// Follows each target's measure through a replication: its value at the target's date and the
/// step from which it is first met and kept (docs/engine.md, "First met").
///
/// An officer target is measured at every step. A recruit or promotion target is measured over
/// periods aligned to its own (same length, ending at its date ± whole periods), only periods
/// that begin inside the run; a period's measure is dated at its last step. "First met" is the
/// first date from which the measure meets the threshold at every measurement up to the target's
/// date, or, if it is not met then, up to the horizon (where the part of a period counted by the
/// horizon must meet it too); -1 if there is none.
struct TargetTracker {
    private let plan: Plan
    /// Per target: numerator and denominator summed over the current period (recruit and
    /// promotion targets).
    private var numerator: [Double]
    private var denominator: [Double]
    /// Per target: the first step of the current unbroken run of met measurements, or -1.
    private var runStart: [Int32]
    /// Per target: which rank × group entries are counted in the numerator and denominator.
    private let inNumerator: [[Bool]]
    private let inDenominator: [[Bool]]

    init(plan: Plan) {
        self.plan = plan
        let targets = plan.model.targets
        let d = plan.model.dimensions
        numerator = Array(repeating: 0, count: targets.count)
        denominator = numerator
        runStart = Array(repeating: -1, count: targets.count)
        // Masks over rank × group entries (group = ethnicity × gender), in record order.
        func mask(_ member: (Int, Int, Int) -> Bool) -> [Bool] {
            (0..<plan.ranks).flatMap { r in
                (0..<d.ethnicities.count).flatMap { e in (0..<d.genders.count).map { g in member(r, e, g) } }
            }
        }
        inDenominator = targets.map { t in mask { t.counts(rank: $0, ethnicity: $1, gender: $2) } }
        inNumerator = targets.map { t in mask { t.countsInGroup(rank: $0, ethnicity: $1, gender: $2) } }
    }

    mutating func observe(
        step t: Int, headcount: UnsafeMutableBufferPointer<Double>, joiners: UnsafeMutableBufferPointer<Double>?,
        promotions: UnsafeMutableBufferPointer<Double>?, record: inout Replication.Record
    ) {
        for (i, target) in plan.model.targets.enumerated() {
            let date = plan.targetSteps[i]
            if let value = measure(i, target, step: t, date: date, headcount, joiners, promotions) {
                if target.isMet(value) {
                    if runStart[i] < 0 { runStart[i] = Int32(t) }  // checked: t is a step index, at most Limits.horizonYears × 12
                } else {
                    runStart[i] = -1
                }
                if t == date {
                    record.targetValues[i] = value
                    record.firstMet[i] = runStart[i]
                }
            }
            if t == plan.steps && record.firstMet[i] < 0 { record.firstMet[i] = runStart[i] }
        }
    }

    /// Target `i`'s measure at step `t`, or nil where it is not measured: an officer target's
    /// share now; a recruit or promotion target's share over the aligned period ending at `t`.
    @inline(__always)
    private mutating func measure(
        _ i: Int, _ target: Target, step t: Int, date: Int, _ headcount: UnsafeMutableBufferPointer<Double>,
        _ joiners: UnsafeMutableBufferPointer<Double>?, _ promotions: UnsafeMutableBufferPointer<Double>?
    ) -> Double? {
        if target.population == .officers { return share(i, headcount) }
        guard let source = target.population == .recruits ? joiners : promotions else { return nil }
        // The aligned period holding step t: it ends at `end` and starts at end − L + 1.
        let length = plan.targetWindows[i]
        let end = date + Self.ceilingDivision(t - date, length) * length
        guard end - length + 1 >= 1 else { return nil }  // a period that began before the run
        for j in 0..<source.count where inDenominator[i][j] {
            denominator[i] += source[j]
            if inNumerator[i][j] { numerator[i] += source[j] }
        }
        if t == plan.steps && t != end && runStart[i] >= 0 {
            // The horizon falls inside a period: what has been counted of it must keep meeting the
            // threshold for a run to last to the horizon (it can end a run, never start one).
            let partial = denominator[i] > 0 ? numerator[i] / denominator[i] : .nan
            if !target.isMet(partial) { runStart[i] = -1 }
        }
        guard t == end else { return nil }
        defer {
            numerator[i] = 0
            denominator[i] = 0
        }
        return denominator[i] > 0 ? numerator[i] / denominator[i] : .nan
    }

    /// ⌈a / b⌉ for b > 0 and any sign of a.
    @inline(__always) static func ceilingDivision(_ a: Int, _ b: Int) -> Int {
        a >= 0 ? (a + b - 1) / b : -((-a) / b)
    }

    private func share(_ i: Int, _ counts: UnsafeMutableBufferPointer<Double>) -> Double {
        var num = 0.0, den = 0.0
        for j in 0..<counts.count where inDenominator[i][j] {
            den += counts[j]
            if inNumerator[i][j] { num += counts[j] }
        }
        return den > 0 ? num / den : .nan
    }
}
