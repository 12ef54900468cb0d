import Foundation

/// The per-step rates of one replication, rebuilt only when a dated value changes (a regime):
/// parameters are drawn once per replication, so between changes every rate is constant.
///
/// Everything the step reads is in flat arrays indexed by rank, group, intake or flow, and a
/// rebuild writes them in place: once the tables have reached their size (after the first
/// rebuild of a replication) a rebuild allocates nothing, and the step reads them through
/// pointers without reference counting (`Replication`).
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
    /// Every block, those of each exit flow and of each rank's promotion by rate: the blocks of
    /// an exit flow that runs at rates (leavers, transfers out) are `blocks[exits[flow.rawValue]]`
    /// (per rank × band of its table, groups with equal probabilities share a block); those of
    /// eligible officers of rank r − 1 for promotion by rate into r are
    /// `blocks[promotionBlocks[r]]` (empty ranges elsewhere).
    private(set) var blocks: [Block] = []
    private(set) var exits: [Range<Int>] = Array(repeating: 0..<0, count: Flow.allCases.count)
    private(set) var promotionBlocks: [Range<Int>]
    /// `promotionWeights[r * groups + q]`: relative odds of group q for promotion into r (by vacancy).
    private(set) var promotionWeights: [Double]
    /// Promotion by pass rate into r: the step probability that an eligible officer applies, and
    /// `promotionPass[r * groups + q]` the probability that an applicant of group q passes.
    private(set) var promotionApply: [Double]
    private(set) var promotionPass: [Double]
    private(set) var blockGroups: [Int] = []
    /// Establishment per rank (NaN where none).
    private(set) var establishment: [Double]
    /// Recruits per year per intake (for `perYear` intakes).
    private(set) var intakeSize: [Double]
    /// `intakeShares[i * groups + q]`: probability of group q in intake i (ethnicity share ×
    /// gender share given ethnicity), and `intakeShareTotal[i]` their sum.
    private(set) var intakeShares: [Double]
    private(set) var intakeShareTotal: [Double]
    /// The fraction of a recruit carried to the next step, per intake (Monte Carlo only).
    var intakeCarry: [Double]
    /// Per intake with a funnel: applications per year, each stage's pass rate per group
    /// (`passRates[passRateStart[i] + stage × groups + q]`, `Funnel.passRates`), and the fraction
    /// of an application carried to the next step.
    private(set) var applications: [Double]
    private(set) var passRates: [Double]
    private(set) var passRateStart: [Int]
    var applicationCarry: [Double]

    /// Scratch space for `rebuild`, kept so that a rebuild allocates nothing once the tables have
    /// reached their size: the interventions active at the month, the service years where a
    /// band is split, per-group probabilities and odds, the distinct probabilities of a rank's
    /// blocks, and an intake's shares by ethnicity and by gender for each ethnicity.
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
        let intakes = plan.model.intakes
        promotionBlocks = Array(repeating: 0..<0, count: R)
        promotionWeights = Array(repeating: 1, count: R * Q)
        promotionApply = Array(repeating: 0, count: R)
        promotionPass = promotionWeights
        establishment = Array(repeating: .nan, count: R)
        intakeSize = Array(repeating: 0, count: intakes.count)
        intakeShares = Array(repeating: 0, count: intakes.count * Q)
        intakeShareTotal = intakeSize
        intakeCarry = intakeSize
        applications = intakeSize
        applicationCarry = intakeSize
        var start = 0
        passRateStart = intakes.map { intake in
            defer { start += (intake.funnel?.stages.count ?? 0) * Q }
            return start
        }
        passRates = Array(repeating: 0, count: start)
        probabilities = Array(repeating: 0, count: Q)
        odds = Array(repeating: 1, count: Q)
        ethnicityShares = Array(repeating: 0, count: d.ethnicities.count)
        genderShares = Array(repeating: 0, count: d.ethnicities.count * d.genders.count)
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

    /// Appends the blocks of `service` in `rank` from `probabilities`: groups with equal
    /// probabilities share a block (compared exactly: equal inputs give equal rates), in order of
    /// their first group. A block's stream is keyed by the first year of service it covers and
    /// its first group: distinct within a rank even where a band is split at a service selection.
    private mutating func appendBlocks(rank: Int, service: Range<Int>) {
        let Q = plan.groups
        seen.removeAll(keepingCapacity: true)
        for first in 0..<Q {
            let p = probabilities[first]
            guard p > 0, !seen.contains(p) else { continue }
            seen.append(p)
            let start = blockGroups.count
            for q in first..<Q where probabilities[q] == p { blockGroups.append(q) }
            blocks.append(Block(
                rank: rank, service: service, probability: p, groups: start..<blockGroups.count, stream: service.lowerBound * Q + first))
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
        blocks.removeAll(keepingCapacity: true)
        blockGroups.removeAll(keepingCapacity: true)

        // Exits at rates: leaving, then transfers out, each from its own table.
        for flow in Flow.stepOrder {
            guard let L = model.rates(of: flow) else { continue }
            let first = blocks.count
            // Bands are split where a multiplier or an intervention on this flow selects years of
            // service, so each piece lies wholly inside or outside every such selection.
            cuts.removeAll(keepingCapacity: true)
            for m in L.multipliers {
                if let s = m.selector.service {
                    cuts.append(s.lowerBound)
                    cuts.append(s.upperBound + 1)
                }
            }
            for i in active where model.interventions[i].effect.exitFactor(of: flow) != nil {
                if let s = model.interventions[i].selector.service {
                    cuts.append(s.lowerBound)
                    cuts.append(s.upperBound + 1)
                }
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
                                    if let factor = model.interventions[i].effect.exitFactor(of: flow) { base *= v[factor.index] }
                                }
                                probabilities[e * G + g] = Self.stepProbability(annual: min(1, base), stepsPerYear: k)
                            }
                        }
                        appendBlocks(rank: r, service: lower..<upper)
                        lower = upper
                    }
                }
            }
            exits[flow.rawValue] = first..<blocks.count
        }

        // Establishment.
        for r in 0..<R {
            establishment[r] = model.establishment[r].map { v[$0.value(at: month).index] } ?? .nan
            if let scale = model.establishmentScale { establishment[r] *= v[scale.index] }
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
                let first = blocks.count
                let service = min(rule.minService, plan.service)..<plan.service
                if !service.isEmpty { appendBlocks(rank: r - 1, service: service) }
                promotionBlocks[r] = first..<blocks.count
            case .vacancy:
                for q in 0..<Q { promotionWeights[r * Q + q] = odds[q] }
            case .passRate(let apply, let pass, let byGroup):
                promotionApply[r] = Self.stepProbability(annual: v[apply.index], stepsPerYear: k)
                PassRate.passRates(
                    into: r, pass: pass, byGroup: byGroup, odds: odds, d, active: active, of: model.interventions, v,
                    writing: &promotionPass, at: r * Q)
            }
        }

        // Intakes: ethnicity shares, and gender shares for each ethnicity, then their products.
        for (n, intake) in model.intakes.enumerated() {
            if case .perYear(let size) = intake.size { intakeSize[n] = v[size.value(at: month).index] }
            if let funnel = intake.funnel {
                applications[n] = v[funnel.applications.value(at: month).index]
                funnel.passRates(
                    rank: intake.rank, d, active: active, of: model.interventions, v, writing: &passRates, at: passRateStart[n])
            }
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
            var total = 0.0
            for e in 0..<E {
                for g in 0..<G {
                    let share = ethnicityShares[e] * genderShares[e * G + g]
                    intakeShares[n * Q + e * G + g] = share
                    total += share
                }
            }
            intakeShareTotal[n] = total
        }
    }

    /// Whether `s` selects rank `r`, ethnicity `e`, gender `g` and the years of service from `lower`.
    private static func selects(_ s: Selector, _ r: Int, _ e: Int, _ g: Int, _ lower: Int) -> Bool {
        s.contains(rank: r, ethnicity: e, gender: g) && (s.service?.contains(lower) ?? true)
    }

    /// Writes share values as drawn to `values[offset...]`; `rest` is one minus the others (never
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
    /// Per target: what it measures and what meets it (copied out of `Target`, so the step reads
    /// no reference-counted field).
    private let goals: [Goal]
    /// Per target: numerator and denominator summed over the current period (recruit and
    /// promotion targets).
    private var numerator: [Double]
    private var denominator: [Double]
    /// Per target: the step of the first measurement of the current unbroken run of met
    /// measurements, or -1.
    private var runStart: [Int32]
    /// `member[i × ranks × groups + j]`: how rank × group entry j counts for target i: 0 not at
    /// all, 1 in the denominator only, 2 in the numerator too.
    private let member: [UInt8]

    /// A target's population and threshold.
    private struct Goal {
        var population: Target.Population
        var comparison: Target.Comparison
        var threshold: Double

        /// `Target.isMet`.
        @inline(__always) func isMet(_ value: Double) -> Bool { Target.meets(value, comparison, threshold) }
    }

    init(plan: Plan) {
        self.plan = plan
        let targets = plan.model.targets
        let d = plan.model.dimensions
        goals = targets.map { Goal(population: $0.population, comparison: $0.comparison, threshold: $0.threshold) }
        numerator = Array(repeating: 0, count: targets.count)
        denominator = numerator
        runStart = Array(repeating: -1, count: targets.count)
        // Rank × group entries (group = ethnicity × gender), in record order.
        member = targets.flatMap { t in
            (0..<plan.ranks).flatMap { r in
                (0..<d.ethnicities.count).flatMap { e in
                    (0..<d.genders.count).map { g -> UInt8 in
                        t.countsInGroup(rank: r, ethnicity: e, gender: g) ? 2 : t.counts(rank: r, ethnicity: e, gender: g) ? 1 : 0
                    }
                }
            }
        }
    }

    mutating func observe(
        step t: Int, headcount: UnsafeMutableBufferPointer<Double>, joiners: UnsafeMutableBufferPointer<Double>?,
        promotions: UnsafeMutableBufferPointer<Double>?, record: inout Replication.Record
    ) {
        for i in 0..<goals.count {
            let date = plan.targetSteps[i]
            if let value = measure(i, step: t, date: date, headcount, joiners, promotions) {
                if goals[i].isMet(value) {
                    if runStart[i] < 0 { runStart[i] = Int32(t) }  // checked: t is a step index, at most Limits.horizonYears × 12
                } else {
                    runStart[i] = -1
                }
                if t == date {
                    record.targetValues[i] = value
                    record.firstMet[i] = runStart[i]
                } else if t > date && record.firstMet[i] < 0 && runStart[i] >= 0
                    && t - Int(runStart[i]) + span(i) >= keptSteps {  // checked: Int32 widened to Int
                    // Missed at its date, then met at every measurement of a whole year ending now.
                    record.firstMet[i] = Int32(t)  // checked: t is a step index, at most Limits.horizonYears × 12
                }
            }
        }
    }

    private var keptSteps: Int { plan.keptSteps }
    @inline(__always) private func span(_ i: Int) -> Int { plan.measurementSpan(target: i) }

    /// Target `i`'s measure at step `t`, or nil where it is not measured: an officer target's
    /// share now; a recruit or promotion target's share over the aligned period ending at `t`.
    @inline(__always)
    private mutating func measure(
        _ i: Int, step t: Int, date: Int, _ headcount: UnsafeMutableBufferPointer<Double>,
        _ joiners: UnsafeMutableBufferPointer<Double>?, _ promotions: UnsafeMutableBufferPointer<Double>?
    ) -> Double? {
        let population = goals[i].population
        if population == .officers { return share(i, headcount) }
        guard let source = population == .recruits ? joiners : promotions else { return nil }
        // The aligned period holding step t: it ends at `end` and starts at end − L + 1.
        let length = plan.targetWindows[i]
        let end = date + Self.ceilingDivision(t - date, length) * length
        guard end - length + 1 >= 1 else { return nil }  // a period that began before the run
        let base = i * source.count
        var num = numerator[i], den = denominator[i]
        for j in 0..<source.count where member[base + j] > 0 {
            den += source[j]
            if member[base + j] == 2 { num += source[j] }
        }
        numerator[i] = num
        denominator[i] = den
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
        let base = i * counts.count
        for j in 0..<counts.count where member[base + j] > 0 {
            den += counts[j]
            if member[base + j] == 2 { num += counts[j] }
        }
        return den > 0 ? num / den : .nan
    }
}

extension Plan {
    /// `Target.keptForMonths` in steps (at least one).
    var keptSteps: Int { max(1, Target.keptForMonths * stepsPerYear / 12) }

    /// The steps one measurement of target `i` covers: 1 for officers (a count at a date), the
    /// period's length for recruits and promotions.
    @inline(__always) func measurementSpan(target i: Int) -> Int {
        model.targets[i].population == .officers ? 1 : targetWindows[i]
    }

    /// The step from which a replication that first met target `i` at step `firstMet` (as
    /// recorded: after the target's date, the end of the year it was kept) met it: the start of
    /// that kept year, or `firstMet` itself on or before the date. For "the earliest month it
    /// could be reached" (`Attainability`), not for "first met by".
    public func reachedStep(target i: Int, firstMet step: Int) -> Int {
        step <= targetSteps[i] ? step : max(targetSteps[i] + 1, step - keptSteps + measurementSpan(target: i))
    }
}
