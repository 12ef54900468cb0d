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
    /// `exits[flow.rawValue]`: the blocks of an exit flow that runs at rates (leavers, transfers
    /// out; empty for the other flows): per rank × band of its table, groups with equal
    /// probabilities share a block.
    private(set) var exits: [[Block]] = Array(repeating: [], count: Flow.allCases.count)
    /// `promotionBlocks[r]`: blocks of eligible officers of rank r-1 for promotion by rate into r.
    private(set) var promotionBlocks: [[Block]]
    /// `promotionWeights[r][q]`: relative odds of group q for promotion into r (by vacancy).
    private(set) var promotionWeights: [[Double]]
    /// Promotion by pass rate into r: the step probability that an eligible officer applies, and
    /// `promotionPass[r][q]` the probability that an applicant of group q passes.
    private(set) var promotionApply: [Double]
    private(set) var promotionPass: [[Double]]
    private(set) var blockGroups: [Int] = []
    /// Establishment per rank (NaN where none).
    private(set) var establishment: [Double]
    /// Recruits per year per intake (for `perYear` intakes).
    private(set) var intakeSize: [Double]
    /// Probability of each group per intake (ethnicity share × gender share given ethnicity).
    private(set) var intakeShares: [[Double]]
    /// The fraction of a recruit carried to the next step, per intake (Monte Carlo only).
    var intakeCarry: [Double]
    /// Per intake with a funnel: applications per year, each stage's pass rate per group
    /// (`Funnel.passRates`), and the fraction of an application carried to the next step.
    private(set) var applications: [Double]
    private(set) var passRates: [[Double]]
    var applicationCarry: [Double]

    init(plan: Plan) {
        self.plan = plan
        let R = plan.ranks, Q = plan.groups
        promotionBlocks = Array(repeating: [], count: R)
        promotionWeights = Array(repeating: Array(repeating: 1, count: Q), count: R)
        promotionApply = Array(repeating: 0, count: R)
        promotionPass = promotionWeights
        establishment = Array(repeating: .nan, count: R)
        intakeSize = Array(repeating: 0, count: plan.model.intakes.count)
        intakeShares = Array(repeating: Array(repeating: 0, count: Q), count: plan.model.intakes.count)
        intakeCarry = Array(repeating: 0, count: plan.model.intakes.count)
        applications = intakeCarry
        applicationCarry = intakeCarry
        passRates = Array(repeating: [], count: plan.model.intakes.count)
    }

    mutating func resetCarries() {
        for i in intakeCarry.indices {
            intakeCarry[i] = 0
            applicationCarry[i] = 0
        }
    }

    /// The probability over one step of an event with annual probability `annual`:
    /// `1 - (1 - annual)^(1/k)` for k steps a year.
    static func stepProbability(annual: Double, stepsPerYear k: Int) -> Double {
        if annual >= 1 { return 1 }
        if annual <= 0 { return 0 }
        return k == 1 ? annual : -expm1(log1p(-annual) / Double(k))
    }

    /// Rebuilds every table for steps beginning in `month`.
    mutating func rebuild(at month: Month, parameters v: [Double]) {
        let model = plan.model
        let d = model.dimensions
        let R = plan.ranks, Q = plan.groups, G = d.genders.count
        let k = plan.stepsPerYear
        let active = model.interventions.filter { $0.isActive(at: month) }
        blockGroups.removeAll(keepingCapacity: true)

        // Groups with equal probabilities share a block (compared exactly: equal inputs give equal rates).
        // A block's stream is keyed by the first year of service it covers and its first group:
        // distinct within a rank even where a band is split at a service selection.
        func appendBlocks(rank: Int, service: Range<Int>, probabilities: [Double], into blocks: inout [Block]) {
            var seen: [Double] = []
            for p in probabilities where p > 0 && !seen.contains(p) {
                seen.append(p)
                let start = blockGroups.count
                for q in 0..<Q where probabilities[q] == p { blockGroups.append(q) }
                blocks.append(Block(
                    rank: rank, service: service, probability: p, groups: start..<blockGroups.count,
                    stream: service.lowerBound * Q + blockGroups[start]))
            }
        }

        // Exits at rates: leaving, then transfers out, each from its own table.
        var probabilities = [Double](repeating: 0, count: Q)
        for flow in Flow.stepOrder {
            guard let L = model.rates(of: flow) else { continue }
            let acting = active.filter { $0.effect.exitFactor(of: flow) != nil }
            var blocks: [Block] = []
            // Bands are split where a multiplier or an intervention on this flow selects years of
            // service, so each piece lies wholly inside or outside every such selection.
            var cuts: [Int] = []
            for selected in L.multipliers.map(\.selector) + acting.map(\.selector) {
                if let s = selected.service { cuts += [s.lowerBound, s.upperBound + 1] }
            }
            for r in 0..<R {
                for (b, band) in L.bands.enumerated() {
                    let whole = max(0, band.lowerBound)..<min(plan.service, band.upperBound + 1)
                    guard !whole.isEmpty else { continue }
                    let edges = [whole.lowerBound] + Set(cuts.filter { whole.contains($0) && $0 > whole.lowerBound }).sorted() + [whole.upperBound]
                    for (lower, upper) in zip(edges, edges.dropFirst()) {
                        let service = lower..<upper
                        func selects(_ s: Selector, _ e: Int, _ g: Int) -> Bool {
                            s.contains(rank: r, ethnicity: e, gender: g) && (s.service?.contains(lower) ?? true)
                        }
                        for e in 0..<d.ethnicities.count {
                            for g in 0..<G {
                                var base = v[L.rates[r][b].index]
                                for o in L.overrides where o.selector.contains(rank: r, ethnicity: e, gender: g) && !o.rates[r].isEmpty {
                                    base = v[o.rates[r][b].index]
                                }
                                for m in L.multipliers where selects(m.selector, e, g) { base *= v[m.factor.index] }
                                for i in acting where selects(i.selector, e, g) {
                                    if let factor = i.effect.exitFactor(of: flow) { base *= v[factor.index] }
                                }
                                probabilities[e * G + g] = Self.stepProbability(annual: min(1, base), stepsPerYear: k)
                            }
                        }
                        appendBlocks(rank: r, service: service, probabilities: probabilities, into: &blocks)
                    }
                }
            }
            exits[flow.rawValue] = blocks
        }

        // Establishment.
        for r in 0..<R {
            establishment[r] = model.establishment[r].map { v[$0.value(at: month).index] } ?? .nan
            if let scale = model.establishmentScale { establishment[r] *= v[scale.index] }
        }

        // Promotion: odds factors per group, then rates or vacancy weights.
        for r in 1..<max(1, R) {
            guard let rule = model.promotion[r] else { continue }
            var odds = [Double](repeating: 1, count: Q)
            for e in 0..<d.ethnicities.count {
                for g in 0..<G {
                    var f = 1.0
                    for m in rule.odds where m.selector.ethnicities[e] && m.selector.genders[g] { f *= v[m.factor.index] }
                    for i in active where i.selector.contains(rank: r - 1, ethnicity: e, gender: g) {
                        if case .promotionOdds(let factor) = i.effect { f *= v[factor.index] }
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
                var promotion: [Block] = []
                let service = min(rule.minService, plan.service)..<plan.service
                if !service.isEmpty {
                    appendBlocks(rank: r - 1, service: service, probabilities: probabilities, into: &promotion)
                }
                promotionBlocks[r] = promotion
            case .vacancy:
                promotionWeights[r] = odds
            case .passRate(let apply, let pass, let byGroup):
                promotionApply[r] = Self.stepProbability(annual: v[apply.index], stepsPerYear: k)
                promotionPass[r] = PassRate.passRates(
                    into: r, pass: pass, byGroup: byGroup, odds: odds, d, active: active, v)
            }
        }

        // Intakes.
        for (n, intake) in model.intakes.enumerated() {
            if case .perYear(let size) = intake.size { intakeSize[n] = v[size.value(at: month).index] }
            if let funnel = intake.funnel {
                applications[n] = v[funnel.applications.value(at: month).index]
                passRates[n] = funnel.passRates(rank: intake.rank, d, active: active, v)
            }
            var ethnicity = resolve(intake.ethnicity.value(at: month), v)
            var genderFor: [[Double]] = (0..<d.ethnicities.count).map { e in
                resolve((intake.genderByEthnicity[e] ?? intake.gender).value(at: month), v)
            }
            for i in active where i.selector.ranks[intake.rank] {
                guard case .intakeShares(let e, let g) = i.effect else { continue }
                if let e { ethnicity = resolve(e, v) }
                if let g {
                    let shares = resolve(g, v)
                    genderFor = genderFor.map { _ in shares }
                }
            }
            for e in 0..<d.ethnicities.count {
                for g in 0..<G { intakeShares[n][e * G + g] = ethnicity[e] * genderFor[e][g] }
            }
        }
    }

    /// Share values as drawn; `rest` is one minus the others (never below zero).
    private func resolve(_ shares: Shares, _ v: [Double]) -> [Double] {
        var values = shares.entries.map { entry -> Double in
            switch entry {
            case .value(let p): v[p.index]
            case .part(let p, let fraction): v[p.index] * fraction
            case .rest: 0
            }
        }
        if let rest = shares.entries.firstIndex(of: .rest) {
            values[rest] = max(0, 1 - values.reduce(0, +))
        }
        return values
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
