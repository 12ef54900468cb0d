import Foundation

/// One replication of the model: the stock of every cell, stepped through time.
///
/// In Monte Carlo mode every flow is drawn from GSL and the stock holds whole numbers (as
/// `Double`, exact below 2^53); in expected-value mode every draw is replaced by its expectation
/// and the stock is real-valued: the classical Markov manpower projection.
///
/// Each step runs the flows in `Flow.stepOrder`: (1) leavers; (2) transfers out; (3) promotions,
/// top rank down; (4) recruits join at 0 years of service; (5) after every `stepsPerYear`-th step
/// everyone's service goes up by one, and those reaching the maximum leave (retirements). Cost
/// per step follows the number of events (exits, promotions, joiners) plus a pass over the
/// non-empty blocks, not cells × draws.
///
/// Every random draw comes from a substream keyed by what it is for (`StreamKey`): the
/// replication, then the step, the flow, the rank and the block or group, so a change that
/// alters one draw leaves every other draw's numbers alone (common random numbers).
///
/// A replication owns its buffers and its GSL generator; reuse one object for many
/// replications on one thread.
final class Replication {
    let plan: Plan
    let expected: Bool
    private let d: Dimensions
    private let R: Int, Q: Int, S: Int
    /// The number of recorded flows (`Plan.flows.count`).
    private let F: Int

    /// Stock per cell (rank × group × service).
    private let stock: UnsafeMutableBufferPointer<Double>
    /// Stock per rank × group, kept in step with `stock`.
    private let headcount: UnsafeMutableBufferPointer<Double>
    /// This step's joiners and promotions-into per rank × group (for recruit/promotion targets).
    private let stepJoiners: UnsafeMutableBufferPointer<Double>
    private let stepPromotions: UnsafeMutableBufferPointer<Double>
    /// Flows per year × recorded flow (`Plan.flows`) × rank × group.
    private let flows: UnsafeMutableBufferPointer<Double>
    /// `flowSlot[flow.rawValue]`: where `flow` is recorded among `Plan.flows` (-1: not recorded).
    private let flowSlot: UnsafeMutableBufferPointer<Int>
    /// The flows this model runs, in step order (`Flow.stepOrder` without absent flows).
    private let stepFlows: UnsafeMutableBufferPointer<Flow>
    /// Per-group subtotals of the block being thinned.
    private let scratch: UnsafeMutableBufferPointer<Double>
    /// Per-group eligible officers while filling vacancies, and recruits per group of an intake.
    private let eligible: UnsafeMutableBufferPointer<Double>
    private let recruits: UnsafeMutableBufferPointer<UInt32>
    /// Expected-value mode: recruits per group of an intake with a funnel.
    private let passing: UnsafeMutableBufferPointer<Double>
    /// An intake's gender split: probabilities and counts per gender; and, for one gender,
    /// probabilities per ethnicity.
    private let genderShares: UnsafeMutableBufferPointer<Double>
    private let genderCounts: UnsafeMutableBufferPointer<UInt32>
    private let ethnicityShares: UnsafeMutableBufferPointer<Double>
    private let ethnicityCounts: UnsafeMutableBufferPointer<UInt32>
    /// The vacancy weights of the rank being filled, copied out of `tables` for the selection loop.
    private let weights: UnsafeMutableBufferPointer<Double>

    /// Per rank: how officers are promoted into it and the service needed (`Promotion`), copied
    /// out of the model so that the step reads no reference-counted field.
    private let promotionRules: UnsafeMutableBufferPointer<PromotionRule>
    /// Per intake: its rank, how its size is set, whether it has a funnel and its number of stages.
    private let intakeRules: UnsafeMutableBufferPointer<IntakeRule>

    private struct PromotionRule {
        enum Mode { case none, rate, vacancy, passRate }
        var mode: Mode
        var minService: Int
    }

    private struct IntakeRule {
        enum Size { case perYear, fillToEstablishment, allWhoPass }
        var rank: Int
        var size: Size
        var stages: Int
        var hasFunnel: Bool
    }

    private var parameters: [Double]
    /// The values drawn for the replication, and their yearly variation (YearToYear.swift).
    private var replicationParameters: [Double]
    private let variation: YearlyVariation
    /// The generator, re-keyed for every substream (nil in expected-value mode).
    private var rng: RandomStream?
    /// This replication's key and the step being run (the first fields of every substream key).
    private var key = StreamKey(0)
    private var step = 0
    private var tables: Tables

    init(plan: Plan, expected: Bool) {
        self.plan = plan
        self.expected = expected
        d = plan.model.dimensions
        R = plan.ranks
        Q = plan.groups
        S = plan.service
        F = plan.flows.count
        stock = .allocate(capacity: d.cellCount)
        headcount = .allocate(capacity: R * Q)
        stepJoiners = .allocate(capacity: R * Q)
        stepPromotions = .allocate(capacity: R * Q)
        flows = .allocate(capacity: max(1, plan.years * F * R * Q))
        flowSlot = .allocate(capacity: plan.flowSlot.count)
        _ = flowSlot.initialize(from: plan.flowSlot)
        let running = Flow.stepOrder.filter { $0.isPresent(in: plan.model) }
        stepFlows = .allocate(capacity: running.count)
        _ = stepFlows.initialize(from: running)
        scratch = .allocate(capacity: Q)
        eligible = .allocate(capacity: Q)
        recruits = .allocate(capacity: Q)
        passing = .allocate(capacity: Q)
        genderShares = .allocate(capacity: d.genders.count)
        genderCounts = .allocate(capacity: d.genders.count)
        ethnicityShares = .allocate(capacity: d.ethnicities.count)
        ethnicityCounts = .allocate(capacity: d.ethnicities.count)
        weights = .allocate(capacity: Q)
        promotionRules = .allocate(capacity: R)
        for r in 0..<R {
            let rule = plan.model.promotion[r]
            let mode: PromotionRule.Mode = switch rule?.mode {
            case nil: .none
            case .rate: .rate
            case .vacancy: .vacancy
            case .passRate: .passRate
            }
            promotionRules[r] = PromotionRule(mode: mode, minService: rule?.minService ?? 0)
        }
        intakeRules = .allocate(capacity: max(1, plan.model.intakes.count))
        for (i, intake) in plan.model.intakes.enumerated() {
            let size: IntakeRule.Size = switch intake.size {
            case .perYear: .perYear
            case .fillToEstablishment: .fillToEstablishment
            case .allWhoPass: .allWhoPass
            }
            intakeRules[i] = IntakeRule(rank: intake.rank, size: size, stages: intake.funnel?.stages.count ?? 0, hasFunnel: intake.funnel != nil)
        }
        parameters = Array(repeating: 0, count: plan.model.parameters.count)
        replicationParameters = parameters
        variation = YearlyVariation(plan.model)
        tables = Tables(plan: plan)
    }

    deinit {
        stock.deallocate()
        headcount.deallocate()
        stepJoiners.deallocate()
        stepPromotions.deallocate()
        flows.deallocate()
        flowSlot.deallocate()
        stepFlows.deallocate()
        scratch.deallocate()
        eligible.deallocate()
        recruits.deallocate()
        passing.deallocate()
        genderShares.deallocate()
        genderCounts.deallocate()
        ethnicityShares.deallocate()
        ethnicityCounts.deallocate()
        weights.deallocate()
        promotionRules.deallocate()
        intakeRules.deallocate()
    }

    /// What one replication leaves behind.
    typealias Record = ReplicationRecord

    /// Runs replication `index` of the plan from the start to the horizon.
    func run(replication index: Int, seed: UInt64) throws(EngineError) -> Record {
        key = StreamKey.replication(master: seed, index)
        if !expected && rng == nil { rng = try RandomStream(key: key) }
        drawParameters()
        let yearly = !expected && variation.isActive
        if yearly {
            try variation.start(master: seed, replication: index)
            for i in parameters.indices { replicationParameters[i] = parameters[i] }
        }
        reset()
        var record = Record(
            replication: index,
            counts: Array(repeating: 0, count: plan.countsPerReplication),
            targetValues: Array(repeating: .nan, count: plan.model.targets.count),
            firstMet: Array(repeating: -1, count: plan.model.targets.count))
        var tracker = TargetTracker(plan: plan)
        var reportIndex = 0
        if plan.reportSteps.first == 0 {
            snapshot(report: 0, into: &record.counts)
            reportIndex = 1
        }
        tracker.observe(step: 0, headcount: headcount, joiners: nil, promotions: nil, record: &record)
        let timeline = plan.model.timeline
        for t in stride(from: 1, through: plan.steps, by: 1) {
            let year = plan.year(ofStep: t)
            let newYear = yearly && (t - 1) % plan.stepsPerYear == 0
            if newYear { variation.advance(year: year, base: replicationParameters, into: &parameters) }
            if plan.regimeChanges[t] || newYear { tables.rebuild(at: timeline.first(ofStep: t), parameters: parameters) }
            step = t
            for i in 0..<(R * Q) {
                stepJoiners[i] = 0
                stepPromotions[i] = 0
            }
            for flow in stepFlows where !flow.atYearEnd || t % plan.stepsPerYear == 0 {
                switch flow {
                case .leavers, .transfersOut: exit(flow, year: year)
                case .promotions: promote(year: year)
                case .joiners: recruit(year: year)
                case .retirements: age(year: year)
                }
            }
            tracker.observe(step: t, headcount: headcount, joiners: stepJoiners, promotions: stepPromotions, record: &record)
            while reportIndex < plan.reportSteps.count && plan.reportSteps[reportIndex] == t {
                snapshot(report: reportIndex, into: &record.counts)
                reportIndex += 1
            }
        }
        let flowBase = plan.flowIndex(year: 0, flow: .joiners, rank: 0, group: 0)
        for i in 0..<(plan.years * F * R * Q) { record.counts[flowBase + i] = flows[i] }
        return record
    }

    // MARK: Set-up

    private func drawParameters() {
        for (i, spec) in plan.model.parameters.enumerated() {
            if let rng {
                rng.rekey(key.substream(.parameter, labelHash: plan.parameterLabels[i]))
                parameters[i] = rng.draw(spec.distribution, in: spec.range)
            } else {
                parameters[i] = spec.distribution.mean(in: spec.range)
            }
        }
    }

    private func reset() {
        for (i, n) in plan.model.initial.enumerated() { stock[i] = Double(n) }
        for r in 0..<R {
            for q in 0..<Q {
                var sum = 0.0
                for s in 0..<S { sum += stock[d.cell(r, q, s)] }
                headcount[r * Q + q] = sum
            }
        }
        flows.initialize(repeating: 0)
        tables.resetCarries()
    }

    private func snapshot(report: Int, into counts: inout [Double]) {
        let base = plan.headcountIndex(report: report, rank: 0, group: 0)
        for i in 0..<(R * Q) { counts[base + i] = headcount[i] }
    }

    /// Where `flow`'s counts for `year` start in `flows` (then rank × group); computed once per
    /// flow and step, so each event only adds.
    @inline(__always) private func flowRow(_ flow: Flow, year: Int) -> Int { (year * F + flowSlot[flow.rawValue]) * R * Q }

    /// (Index arithmetic in the per-event paths wraps instead of trapping: every index is below
    /// the plan's cell or flow count, validated when the model is built, so it cannot overflow,
    /// and the overflow checks were a tenth of an event's instructions; issue 23.)
    @inline(__always) private func addFlow(at row: Int, rank: Int, group: Int, _ amount: Double) {
        flows[row &+ rank &* Q &+ group] += amount
    }

    // MARK: (1, 2) Exits at rates: leavers, transfers out

    /// Removes the officers of an exit flow (`Flow.kind == .exit` with a rate table), block by
    /// block, each block from its own substream of the flow's purpose.
    private func exit(_ flow: Flow, year: Int) {
        guard let purpose = flow.streams.first else { return }
        let row = flowRow(flow, year: year)
        let range = tables.exits[flow.rawValue], rng = self.rng?.handle
        // The tables' arrays and the generator are borrowed once for the flow, not read (and
        // retained) block by block.
        tables.blocks.withUnsafeBufferPointer { blocks in
            tables.blockGroups.withUnsafeBufferPointer { groups in
                for b in range {
                    thin(blocks[b], groups, rng, purpose) { cell, rank, group, amount in
                        self.stock[cell] -= amount
                        self.headcount[rank &* self.Q &+ group] -= amount
                        self.addFlow(at: row, rank: rank, group: group, amount)
                    }
                }
            }
        }
    }

    /// Removes each officer of a block's cells independently with the block's probability.
    ///
    /// Monte Carlo: one binomial draw for the whole block, then the leavers are chosen one at a
    /// time uniformly among those remaining (an exact draw from the multivariate hypergeometric,
    /// which is the law of independent equal-probability binomials given their sum). Cost: one
    /// binomial plus, per event, one uniform and a scan of the block's groups and one group's cells.
    /// `blockGroups` is `Tables.blockGroups` and `rng` the replication's generator (nil in
    /// expected-value mode), passed in so that neither is retained per block.
    @inline(__always)
    private func thin(
        _ block: Tables.Block, _ blockGroups: UnsafeBufferPointer<Int>, _ rng: RandomStream.Handle?, _ purpose: StreamKey.Purpose, _ take: (_ cell: Int, _ rank: Int, _ group: Int, _ amount: Double) -> Void) {
        let p = block.probability
        guard p > 0 else { return }
        let groups = block.groups
        guard let rng else {
            for g in groups {
                let q = blockGroups[g]
                let base = d.cell(block.rank, q, 0)
                for s in block.service where stock[base + s] > 0 { take(base + s, block.rank, q, stock[base + s] * p) }
            }
            return
        }
        // Subtotals per group, so each leaver is found by scanning groups, then one group's cells.
        var total = 0.0
        for j in 0..<groups.count {
            let sum = wholeSum(from: (block.rank &* Q &+ blockGroups[groups.lowerBound &+ j]) &* S, block.service)  // d.cell(rank, q, 0)
            scratch[j] = sum
            total += sum
        }
        guard total > 0 else { return }
        rng.rekey(key.substream(purpose, step: step, block.rank, block.stream))
        let n = Int(total)
        let k = p >= 1 ? n : rng.binomial(p, n)
        if k == n {
            for g in groups {
                let q = blockGroups[g]
                let base = d.cell(block.rank, q, 0)
                for s in block.service where stock[base + s] > 0 { take(base + s, block.rank, q, stock[base + s]) }
            }
            return
        }
        var remaining = n
        for _ in 0..<k {
            var u = Double(rng.index(below: remaining))
            remaining -= 1
            var j = 0
            while u >= scratch[j] {
                u -= scratch[j]
                j += 1
            }
            scratch[j] -= 1
            let q = blockGroups[groups.lowerBound &+ j]
            let base = (block.rank &* Q &+ q) &* S  // d.cell(block.rank, q, 0)
            take(base + Self.position(of: u, in: stock.baseAddress! + base, from: block.service.lowerBound), block.rank, q, 1)
        }
    }

    /// The cell holding officer number `u` (0-based) counting from cell `first` of `cells` on:
    /// the least `s ≥ first` with `u < cells[first] + … + cells[s]`, found by subtracting each
    /// cell's count in turn (exact: Monte Carlo counts are whole numbers). The caller guarantees
    /// `u` is below the count of the cells it means, so the walk stops inside them without a
    /// bound check; cells with no officers are passed over.
    /// - Complexity: O(s − first): one load, compare and subtract per cell passed (issue 23: on
    ///   the numpy model about 9 cells an event, cheaper than the upkeep of a Fenwick tree).
    @inline(__always)
    static func position(of u: Double, in cells: UnsafeMutablePointer<Double>, from first: Int) -> Int {
        var u = u, s = first
        while true {
            let x = cells[s]
            if u < x { return s }
            u -= x
            s &+= 1
        }
    }

    /// `stock[base + s]` summed over `service`, for Monte Carlo stocks (whole numbers, so the sum
    /// is exact in any order): four running sums, so the additions do not wait on each other.
    /// `base + service` lies inside the stock (a rank × group's cells), so the cells are read
    /// through a pointer with wrapping index arithmetic: no range or overflow checks, which cost
    /// more than the additions over the few cells of a narrow band (issue 23).
    /// - Complexity: O(service.count).
    @inline(__always)
    private func wholeSum(from base: Int, _ service: Range<Int>) -> Double {
        let cells = stock.baseAddress! + (base &+ service.lowerBound)
        let n = service.upperBound &- service.lowerBound
        var a = 0.0, b = 0.0, c = 0.0, e = 0.0
        var i = 0
        while i &+ 4 <= n {
            a += cells[i]
            b += cells[i &+ 1]
            c += cells[i &+ 2]
            e += cells[i &+ 3]
            i &+= 4
        }
        while i < n {
            a += cells[i]
            i &+= 1
        }
        return (a + b) + (c + e)
    }

    // MARK: (3) Promotions

    private func promote(year: Int) {
        let row = flowRow(.promotions, year: year)
        for r in stride(from: R - 1, through: 1, by: -1) {
            let rule = promotionRules[r]
            // Closure literals passed straight to the (inlined) selection: no context is allocated.
            switch rule.mode {
            case .none: continue
            case .rate:
                let range = tables.promotionBlocks[r], rng = self.rng?.handle
                tables.blocks.withUnsafeBufferPointer { blocks in
                    tables.blockGroups.withUnsafeBufferPointer { groups in
                        for b in range {
                            thin(blocks[b], groups, rng, .promotionByRate) { self.move($0, from: $1, group: $2, $3, row: row) }
                        }
                    }
                }
            case .vacancy:
                let vacancies = vacancies(in: r)
                if vacancies > 0 {
                    fillVacancies(vacancies, into: r, minService: rule.minService) {
                        self.move($0, from: $1, group: $2, $3, row: row)
                    }
                }
            case .passRate:
                let vacancies = vacancies(in: r)
                if vacancies > 0 {
                    promoteByPassRate(vacancies, into: r, minService: rule.minService) {
                        self.move($0, from: $1, group: $2, $3, row: row)
                    }
                }
            }
        }
    }

    /// Rank `r`'s establishment (rounded to a whole number in Monte Carlo) less its headcount now:
    /// the vacancies that promotion fills, or the recruits a `fill` intake takes; negative when
    /// the rank is over strength. Costs one sum over the rank's groups.
    private func vacancies(in r: Int) -> Double {
        var rankTotal = 0.0
        for q in 0..<Q { rankTotal += headcount[r * Q + q] }
        return (expected ? tables.establishment[r] : tables.establishment[r].rounded()) - rankTotal
    }

    /// Promotes `amount` officers of `cell` (rank `from`, group `group`) to the same group and
    /// service one rank up.
    @inline(__always)
    private func move(_ cell: Int, from: Int, group: Int, _ amount: Double, row: Int) {
        let at = from &* Q &+ group, up = at &+ Q  // rank × group, and one rank up
        stock[cell] -= amount
        stock[cell &+ Q &* S] += amount
        headcount[at] -= amount
        headcount[up] += amount
        stepPromotions[up] += amount
        flows[row &+ up] += amount  // addFlow(at: row, rank: from + 1, group: group, amount)
    }

    /// Fills `vacancies` in rank `r` from eligible officers of rank `r - 1` by weighted sampling
    /// without replacement: each selection picks one remaining officer with probability
    /// proportional to their group's weight.
    ///
    /// Monte Carlo: each selection draws the group (weight × remaining eligible, Q terms), then a
    /// uniformly chosen officer within it. Expected value: the large-population mean of this
    /// (Wallenius) scheme, `E_q (1 − z^{w_q})` with `z` solving `Σ E_q (1 − z^{w_q}) = vacancies`
    /// (Fog 2008), exact when the weights are equal; each group's share is spread over its
    /// service cells in proportion to their stock.
    @inline(__always)
    private func fillVacancies(
        _ vacancies: Double, into r: Int, minService: Int,
        _ move: (Int, Int, Int, Double) -> Void
    ) {
        let from = r - 1
        for q in 0..<Q { weights[q] = tables.promotionWeights[r * Q + q] }
        let eligibleYears = minService..<S
        guard !eligibleYears.isEmpty else { return }
        eligible.initialize(repeating: 0)
        var pool = 0.0
        for q in 0..<Q where weights[q] > 0 {
            let base = d.cell(from, q, 0)
            if rng == nil {
                for s in eligibleYears { eligible[q] += stock[base + s] }
            } else {
                eligible[q] = wholeSum(from: base, eligibleYears)
            }
            pool += eligible[q]
        }
        let wanted = min(vacancies, pool)
        guard wanted > 0 else { return }
        guard let rng else {
            let taken = Self.wallenius(eligible: Array(eligible), weights: Array(weights), count: wanted)
            for q in 0..<Q where taken[q] > 0 {
                let base = d.cell(from, q, 0)
                let fraction = taken[q] / eligible[q]
                for s in eligibleYears where stock[base + s] > 0 { move(base + s, from, q, stock[base + s] * fraction) }
            }
            return
        }
        rng.rekey(key.substream(.promotionByVacancy, step: step, r))
        for _ in 0..<Int(wanted) {
            var total = 0.0
            for q in 0..<Q { total += weights[q] * eligible[q] }
            var u = rng.uniform() * total
            var chosen = -1
            for q in 0..<Q where eligible[q] > 0 && weights[q] > 0 {
                chosen = q
                u -= weights[q] * eligible[q]
                if u < 0 { break }
            }
            promoteOne(at: Double(rng.index(below: Int(eligible[chosen]))), from: from, group: chosen, eligibleYears, move)  // checked: eligible[chosen] is a whole count of officers ≥ 1 (it was chosen), at most Limits.officers
            eligible[chosen] -= 1
        }
    }

    /// Fills `vacancies` in rank `r` from those of rank `r − 1` who apply and pass (`PassRate`).
    ///
    /// Monte Carlo: per group, applicants ~ Binomial(eligible, apply) and passers ~
    /// Binomial(applicants, pass), both from the group's substream; if more pass than there are
    /// vacancies, the promoted are a uniform random subset of the passers (successive
    /// `gsl_ran_hypergeometric` conditionals over groups); each group's promoted officers are then
    /// chosen uniformly among its eligible officers, one at a time. Expected value: eligible ×
    /// apply × pass per group, scaled by vacancies ÷ passers when more pass, spread over the
    /// group's eligible cells in proportion to their stock.
    private func promoteByPassRate(_ vacancies: Double, into r: Int, minService: Int, _ move: (Int, Int, Int, Double) -> Void) {
        let from = r - 1
        let eligibleYears = minService..<S
        guard !eligibleYears.isEmpty else { return }
        let apply = tables.promotionApply[r], w = r * Q
        var passed = 0.0
        for q in 0..<Q {
            let base = d.cell(from, q, 0)
            var sum = 0.0
            for s in eligibleYears { sum += stock[base + s] }
            eligible[q] = sum
            if let rng, sum > 0 {
                rng.rekey(key.substream(.promotionApplicants, step: step, r, q))
                let applicants = rng.binomial(apply, Int(sum))  // checked: Monte Carlo stocks are whole counts of officers, at most Limits.officers
                passing[q] = Double(applicants > 0 ? rng.binomial(tables.promotionPass[w + q], applicants) : 0)
            } else {
                passing[q] = sum * apply * tables.promotionPass[w + q]
            }
            passed += passing[q]
        }
        guard passed > 0 else { return }
        guard let rng else {
            let scale = min(1, vacancies / passed)
            for q in 0..<Q where passing[q] > 0 {
                let base = d.cell(from, q, 0)
                let fraction = passing[q] * scale / eligible[q]
                for s in eligibleYears where stock[base + s] > 0 { move(base + s, from, q, stock[base + s] * fraction) }
            }
            return
        }
        if passed > vacancies {
            rng.rekey(key.substream(.promotionPassers, step: step, r))
            var remaining = Int(passed), wanted = Int(vacancies)  // checked: whole counts of officers, vacancies < passed
            for q in 0..<Q {
                let x = Int(passing[q])  // checked: a whole count of officers
                remaining -= x
                let taken = wanted > 0 && x > 0 ? rng.hypergeometric(x, remaining, wanted) : 0
                passing[q] = Double(taken)
                wanted -= taken
            }
        }
        for q in 0..<Q where passing[q] > 0 {
            rng.rekey(key.substream(.promotionChosen, step: step, r, q))
            var remaining = Int(eligible[q])  // checked: a whole count of officers
            for _ in 0..<Int(passing[q]) {  // checked: a whole count of officers
                promoteOne(at: Double(rng.index(below: remaining)), from: from, group: q, eligibleYears, move)
                remaining -= 1
            }
        }
    }

    /// Promotes the officer at `position` (0-based, counting through the service cells in order)
    /// among group `q`'s eligible officers of rank `from`.
    @inline(__always)
    private func promoteOne(
        at position: Double, from: Int, group q: Int, _ eligibleYears: Range<Int>, _ move: (Int, Int, Int, Double) -> Void
    ) {
        let base = d.cell(from, q, 0)
        move(base + Self.position(of: position, in: stock.baseAddress! + base, from: eligibleYears.lowerBound), from, q, 1)
    }

    /// The large-population mean number taken from each group when `count` are drawn by weighted
    /// sampling without replacement (Fog's approximation to the multivariate Wallenius mean).
    static func wallenius(eligible: [Double], weights: [Double], count: Double) -> [Double] {
        let groups = eligible.indices.filter { eligible[$0] > 0 && weights[$0] > 0 }
        let pool = groups.reduce(0.0) { $0 + eligible[$1] }
        var taken = [Double](repeating: 0, count: eligible.count)
        guard count > 0, pool > 0 else { return taken }
        if count >= pool {
            for q in groups { taken[q] = eligible[q] }
            return taken
        }
        let wmax = groups.map { weights[$0] }.max()!
        func drawn(_ z: Double) -> Double { groups.reduce(0.0) { $0 + eligible[$1] * (1 - pow(z, weights[$1] / wmax)) } }
        // drawn(z) falls from `pool` at z = 0 to 0 at z = 1; bisect to machine precision.
        var lo = 0.0, hi = 1.0
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if mid == lo || mid == hi { break }
            if drawn(mid) > count { lo = mid } else { hi = mid }
        }
        let z = (lo + hi) / 2
        for q in groups { taken[q] = eligible[q] * (1 - pow(z, weights[q] / wmax)) }
        // Remove the bisection's last rounding so the total is exactly `count`.
        let scale = count / taken.reduce(0, +)
        for q in groups { taken[q] = min(eligible[q], taken[q] * scale) }
        return taken
    }

    // MARK: (4) Recruits

    private func recruit(year: Int) {
        let row = flowRow(.joiners, year: year)
        for i in 0..<plan.model.intakes.count {
            let intake = intakeRules[i]
            let r = intake.rank
            var n: Double
            switch intake.size {
            case .perYear:
                n = tables.intakeSize[i] / Double(plan.stepsPerYear)
                if !expected {
                    // Whole recruits each step, carrying the fraction so each year's total is exact.
                    tables.intakeCarry[i] += n
                    n = (tables.intakeCarry[i] + 1e-9).rounded(.down)
                    tables.intakeCarry[i] -= n
                }
            case .fillToEstablishment:
                n = max(0, vacancies(in: r))
            case .allWhoPass:
                n = intake.hasFunnel ? .infinity : 0  // without a funnel no one applies
            }
            guard n > 0 else { continue }
            let shares = i * Q, total = tables.intakeShareTotal[i]
            if intake.hasFunnel {
                throughFunnel(stages: intake.stages, intake: i, needed: n)
            } else if rng != nil {
                split(Int(n), intake: i)  // checked: n recruits in a step: at most an establishment or a per_year value, each ≤ Limits.officers
            }
            let expectedFunnel = rng == nil && intake.hasFunnel
            for q in 0..<Q {
                let joining = expectedFunnel
                    ? passing[q] : rng == nil ? (total > 0 ? n * tables.intakeShares[shares + q] / total : 0) : Double(recruits[q])
                guard joining > 0 else { continue }
                stock[d.cell(r, q, 0)] += joining
                headcount[r * Q + q] += joining
                stepJoiners[r * Q + q] += joining
                addFlow(at: row, rank: r, group: q, joining)
            }
        }
    }

    /// Splits `n` recruits of intake `i` over groups into `recruits`: first over genders (each
    /// gender's share summed over ethnicities) from the intake's gender substream, then each
    /// gender's recruits over ethnicities from its own substream. Where gender shares do not
    /// depend on ethnicity, a change to the ethnicity shares leaves the gender counts as drawn.
    /// The law is the multinomial over groups either way (a multinomial's marginal is multinomial
    /// and its conditional given the marginal is multinomial).
    private func split(_ n: Int, intake i: Int) {
        guard let rng else { return }
        let E = d.ethnicities.count, G = d.genders.count, shares = i * Q
        guard tables.intakeShareTotal[i] > 0 else {
            recruits.initialize(repeating: 0)
            return
        }
        for g in 0..<G {
            var sum = 0.0
            for e in 0..<E { sum += tables.intakeShares[shares + e * G + g] }
            genderShares[g] = sum
        }
        rng.rekey(key.substream(.intakeGender, step: step, i))
        rng.multinomial(n, genderShares.baseAddress!, genderCounts.baseAddress!, G)
        for g in 0..<G {
            for e in 0..<E {
                ethnicityShares[e] = tables.intakeShares[shares + e * G + g]
                recruits[e * G + g] = 0
            }
            guard genderCounts[g] > 0 else { continue }
            rng.rekey(key.substream(.intakeEthnicity, step: step, i, g))
            rng.multinomial(Int(genderCounts[g]), ethnicityShares.baseAddress!, ethnicityCounts.baseAddress!, E)  // checked: UInt32 widened to Int
            for e in 0..<E { recruits[e * G + g] = ethnicityCounts[e] }
        }
    }

    /// Runs one step's applicants of intake `i` through its funnel, leaving the recruits per group
    /// in `recruits` (Monte Carlo) or `passing` (expected value), at most `needed` in all.
    ///
    /// Monte Carlo: `applications / k` applicants a step (the fraction carried, so each year's
    /// total is exact), split over groups as an intake is (`split`, the applicants' shares); at
    /// each stage each group's survivors are thinned by one `gsl_ran_binomial` draw from the
    /// substream of that step, intake, stage and group, so a change to one group's pass rate moves
    /// no other group's draws. If more pass than are needed, the intake is a uniform random subset
    /// of the passers: a multivariate hypergeometric, drawn group by group as successive
    /// `gsl_ran_hypergeometric` conditionals. Expected value: applicants × the product of the pass
    /// rates per group, scaled down by needed ÷ passed when more pass (the hypergeometric mean).
    private func throughFunnel(stages: Int, intake i: Int, needed: Double) {
        let perStep = tables.applications[i] / Double(plan.stepsPerYear)
        let rates = tables.passRateStart[i], shares = i * Q
        guard let rng else {
            let total = tables.intakeShareTotal[i]
            var passed = 0.0
            for q in 0..<Q {
                var x = total > 0 ? perStep * tables.intakeShares[shares + q] / total : 0
                for j in 0..<stages { x *= tables.passRates[rates + j * Q + q] }
                passing[q] = x
                passed += x
            }
            if passed > needed {
                for q in 0..<Q { passing[q] *= needed / passed }
            }
            return
        }
        tables.applicationCarry[i] += perStep
        let applicants = (tables.applicationCarry[i] + 1e-9).rounded(.down)
        tables.applicationCarry[i] -= applicants
        split(Int(applicants), intake: i)  // checked: applications per step are at most a per-year value ≤ Limits.officers
        var passed = 0
        for q in 0..<Q {
            var x = Int(recruits[q])  // checked: UInt32 widened to Int
            for j in 0..<stages where x > 0 {
                rng.rekey(key.substream(.funnelStage, step: step, i, j * Q + q))
                x = rng.binomial(tables.passRates[rates + j * Q + q], x)
            }
            recruits[q] = UInt32(truncatingIfNeeded: x)  // checked: x is at most the group's applicants, a UInt32
            passed += x
        }
        guard Double(passed) > needed else { return }
        rng.rekey(key.substream(.funnelSelection, step: step, i))
        var remaining = passed, wanted = Int(needed)  // checked: needed < passed, a count of applicants
        for q in 0..<Q {
            let x = Int(recruits[q])  // checked: UInt32 widened to Int
            remaining -= x
            let taken = wanted > 0 && x > 0 ? rng.hypergeometric(x, remaining, wanted) : 0
            recruits[q] = UInt32(truncatingIfNeeded: taken)  // checked: taken is at most x, a UInt32
            wanted -= taken
        }
    }

    // MARK: (5) Ageing and retirements

    private func age(year: Int) {
        let row = flowRow(.retirements, year: year)
        for r in 0..<R {
            for q in 0..<Q {
                let base = d.cell(r, q, 0)
                let retiring = stock[base + S - 1]
                if retiring > 0 {
                    headcount[r * Q + q] -= retiring
                    addFlow(at: row, rank: r, group: q, retiring)
                }
                var s = S - 1
                while s > 0 {
                    stock[base + s] = stock[base + s - 1]
                    s -= 1
                }
                stock[base] = 0
            }
        }
    }
}
