/// OutcomeDistribution summaries of a run: what the result files report. Accumulated from the records
/// in replication order (`SummaryAccumulator`), so equal runs give bit-identical summaries
/// whatever the thread count.
public struct Summary: Sendable {
    /// Headcount and share by date × rank × ethnicity × gender, including aggregates and totals.
    public var projections: [ProjectionRow]
    /// Joiners, leavers and promotions per simulation year by rank × ethnicity × gender.
    public var flows: [FlowRow]
    public var targets: [TargetSummary]
    public var replications: Int
    public var expected: Bool
    /// The other denominator bases that targets use (e.g. excluding "Not stated", the Home
    /// Office basis), in order of first use; each projection row has a share on each.
    public var bases: [Basis]
}

/// A share's denominator basis: the ethnicities and genders it counts. A target that leaves
/// categories out of its denominator (`denominator_excludes`) measures on such a basis, and its
/// numerator counts only those categories too.
public struct Basis: Sendable, Hashable {
    public var ethnicities: [Bool]
    public var genders: [Bool]
    /// The names of the categories left out, ethnicities first: how files and pages name it.
    public var excluded: [String]

    /// The bases of `model`'s targets other than "every category", each once, in target order.
    public static func of(_ model: Model) -> [Basis] {
        let d = model.dimensions
        var bases: [Basis] = []
        for t in model.targets where t.denominator.ethnicities.contains(false) || t.denominator.genders.contains(false) {
            let excluded = d.ethnicities.indices.filter { !t.denominator.ethnicities[$0] }.map { d.ethnicities[$0] }
                + d.genders.indices.filter { !t.denominator.genders[$0] }.map { d.genders[$0] }
            let basis = Basis(ethnicities: t.denominator.ethnicities, genders: t.denominator.genders, excluded: excluded)
            if !bases.contains(basis) { bases.append(basis) }
        }
        return bases
    }
}

/// Whom a summary row counts along one dimension (ranks, ethnicity or gender): every member, one
/// category (a rank, an ethnicity, a gender), or a named aggregate of categories.
public enum Label: Sendable, Hashable {
    /// Every rank, or every category of the dimension.
    case all
    case category(String)
    case aggregate(String)

    /// The name the result files write: the category's or aggregate's, `All` for `.all`.
    public var name: String {
        switch self {
        case .all: Label.allName
        case .category(let name), .aggregate(let name): name
        }
    }

    /// How files write `.all`.
    public static let allName = "All"
}

/// The mean and quantiles of a quantity over replications (quantiles by linear interpolation
/// between order statistics, R's type 7). NaN values (e.g. a share of an empty rank) are left
/// out; `count` says how many remained.
public struct Quantiles: Sendable, Hashable {
    public var count: Int
    public var mean: Double
    public var p5: Double
    public var p25: Double
    public var p50: Double
    public var p75: Double
    public var p95: Double

    public init(count: Int, mean: Double, p5: Double, p25: Double, p50: Double, p75: Double, p95: Double) {
        (self.count, self.mean, self.p5, self.p25, self.p50, self.p75, self.p95) = (count, mean, p5, p25, p50, p75, p95)
    }

    /// Summarises `values`, which it sorts in place. Cost O(n log n).
    public init(_ values: inout [Double]) {
        values.removeAll { $0.isNaN }
        values.sort()
        count = values.count
        mean = values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
        p5 = Self.quantile(sorted: values, 0.05)
        p25 = Self.quantile(sorted: values, 0.25)
        p50 = Self.quantile(sorted: values, 0.50)
        p75 = Self.quantile(sorted: values, 0.75)
        p95 = Self.quantile(sorted: values, 0.95)
    }

    /// The `p` quantile of sorted values: `x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋])`, `h = (n − 1)p`.
    public static func quantile(sorted x: [Double], _ p: Double) -> Double {
        guard !x.isEmpty else { return .nan }
        let h = Double(x.count - 1) * p
        let lo = Int(h)
        guard lo + 1 < x.count else { return x[lo] }
        return x[lo] + (h - Double(lo)) * (x[lo + 1] - x[lo])
    }
}

public struct ProjectionRow: Sendable {
    public var date: Month
    public var rank: Label
    public var ethnicity: Label
    public var gender: Label
    public var headcount: Quantiles
    /// Headcount as a share of the rank's (or all ranks') total at that date.
    public var share: Quantiles
    /// The share on each of `Summary.bases`: the row's officers in the basis's categories over
    /// the rank's (or all ranks') officers in them; NaN where the row has none of them.
    public var basisShares: [Quantiles]

    public init(
        date: Month, rank: Label, ethnicity: Label, gender: Label, headcount: Quantiles, share: Quantiles, basisShares: [Quantiles] = []
    ) {
        (self.date, self.rank, self.ethnicity, self.gender, self.headcount, self.share) = (date, rank, ethnicity, gender, headcount, share)
        self.basisShares = basisShares
    }
}

public struct FlowRow: Sendable {
    /// The last month of the simulation year.
    public var yearEnd: Month
    public var flow: Flow
    /// For promotions, the rank promoted into.
    public var rank: Label
    public var ethnicity: Label
    public var gender: Label
    public var count: Quantiles

    public init(yearEnd: Month, flow: Flow, rank: Label, ethnicity: Label, gender: Label, count: Quantiles) {
        (self.yearEnd, self.flow, self.rank, self.ethnicity, self.gender, self.count) = (yearEnd, flow, rank, ethnicity, gender, count)
    }
}

public struct TargetSummary: Sendable {
    public var target: Target
    /// The fraction of replications in which the measure met the threshold at the target date,
    /// among those where it is defined (a replication with an empty denominator is left out, as
    /// in `value`; NaN if none remain).
    public var probability: Double
    /// The measure at the target date.
    public var value: Quantiles
    /// The probability that the target is first met in each timeline year (a year of the run
    /// with no replication first meeting it is left out), in year order.
    public var firstMetByYear: [(year: Int, probability: Double)]
    /// The probability that the measure never meets the threshold within the horizon.
    public var neverMet: Double
    /// The median month of first meeting it, nil when that is "never".
    public var medianFirstMet: Month?
}

extension TargetSummary {
    /// Each target's summary over the replications of a run (cheap: no projection tables).
    public static func summarize(_ result: RunResult) -> [TargetSummary] {
        var targets = TargetAccumulator(plan: result.plan)
        for i in 0..<result.replications { targets.consume(result.record(i)) }
        return targets.summaries
    }
}

extension Summary {
    /// Summarises a run whose every record was kept: the same as `Engine.summarize`.
    public init(_ result: RunResult) {
        var summary = SummaryAccumulator(plan: result.plan, expected: result.expected)
        for i in 0..<result.replications { summary.consume(result.record(i)) }
        self = summary.finish()
    }
}

/// The distribution of one quantity over the replications, in memory independent of their
/// number: how its quantiles (R's type 7, as `Quantiles`) and mean are computed from a stream.
///
/// - `integer` quantities (headcounts, flows): a histogram of the values, one count per whole
///   number between the least and greatest seen. Exact.
/// - `real` quantities (shares, target measures: 0–1): every value, exactly as `Quantiles(_:)`
///   would see them, up to `capacity` values; beyond that a histogram of the values rounded to
///   the nearest multiple of `width` (2⁻¹⁶): each order statistic, hence each quantile, is then
///   within `width / 2` ≈ 7.6 × 10⁻⁶ of the exact one, and the mean is the sum in replication
///   order over the count. Memory: 8 bytes a value, then 8 bytes a bin across the range seen
///   (a share spread over 0.05 takes 3,277 bins, 26 kB; at most 65,537 bins, 512 kB).
/// NaN values (e.g. a share of an empty rank) are left out.
struct OutcomeDistribution: Sendable {
    enum Kind: Sendable { case integer, real }

    /// The values a `real` distribution keeps exactly: 32 kB, about what its histogram takes over
    /// a range of 0.1 (an assumption about the spread of shares, not a tuned figure).
    static let capacity = 4096
    /// The bin width of a `real` distribution's histogram.
    static let width = 0x1p-16

    let kind: Kind
    private(set) var count = 0
    /// The sum of the values, in the order added (exact for integers).
    private var sum = 0.0
    /// A `real` distribution's values while there are at most `capacity`; nil once binned.
    private var values: [Double]? = []
    /// Histogram: `bins[k]` values equal to `(low + k)` (integer) or `(low + k) × width` (real).
    private var low = 0
    private var bins: [Int] = []

    init(_ kind: Kind) {
        self.kind = kind
        if kind == .integer { values = nil }
    }

    mutating func add(_ x: Double) {
        guard !x.isNaN else { return }
        count += 1
        sum += x
        if values != nil {
            values!.append(x)
            guard count > Self.capacity else { return }
            let kept = values!
            values = nil
            for v in kept { bin(v) }
        } else {
            bin(x)
        }
    }

    /// Counts `x` in its bin, widening the histogram to take it.
    private mutating func bin(_ x: Double) {
        let k = kind == .integer ? Int(x) : Int((x / Self.width).rounded())  // checked: integer kind: whole counts ≤ Limits.officers; real kind: shares in 0...1 over a width of 2^-16 (NaN never binned)
        if bins.isEmpty {
            low = k
            bins = [0]
        } else if k < low {
            bins.insert(contentsOf: repeatElement(0, count: low - k), at: 0)
            low = k
        } else if k >= low + bins.count {
            bins.append(contentsOf: repeatElement(0, count: k - low - bins.count + 1))
        }
        bins[k - low] += 1
    }

    var quantiles: Quantiles {
        if var exact = values { return Quantiles(&exact) }
        func q(_ p: Double) -> Double {
            guard count > 0 else { return .nan }
            let h = Double(count - 1) * p
            let lo = Int(h)
            let x = orderStatistic(lo)
            guard lo + 1 < count else { return x }
            return x + (h - Double(lo)) * (orderStatistic(lo + 1) - x)
        }
        return Quantiles(
            count: count, mean: count == 0 ? .nan : sum / Double(count), p5: q(0.05), p25: q(0.25), p50: q(0.50),
            p75: q(0.75), p95: q(0.95))
    }

    /// The value of rank `j` (from 0) in sorted order, from the histogram.
    private func orderStatistic(_ j: Int) -> Double {
        var seen = 0
        for (k, n) in bins.enumerated() {
            seen += n
            if seen > j { return kind == .integer ? Double(low + k) : Double(low + k) * Self.width }
        }
        preconditionFailure("rank \(j) of \(count)")
    }
}

/// Accumulates each target's summary from a run's records (`TargetSummary`): a `OutcomeDistribution`
/// of its measure, how often it was met at its date, and how many replications first met it at
/// each step. Memory: per target, one distribution and one count per step.
public struct TargetAccumulator: ReplicationSink {
    public let plan: Plan
    private var values: [OutcomeDistribution]
    private var met: [Int]
    /// Replications in which target `t`'s measure is defined (its denominator not empty).
    private var defined: [Int]
    /// `firstMet[t][s]`: replications first meeting target `t` at step `s`.
    private var firstMet: [[Int]]
    private var replications = 0

    public init(plan: Plan) {
        self.plan = plan
        let targets = plan.model.targets.count
        values = Array(repeating: OutcomeDistribution(.real), count: targets)
        met = Array(repeating: 0, count: targets)
        defined = Array(repeating: 0, count: targets)
        firstMet = Array(repeating: Array(repeating: 0, count: plan.model.timeline.stepCount + 1), count: targets)
    }

    public mutating func consume(_ record: ReplicationRecord) {
        for (t, target) in plan.model.targets.enumerated() {
            let value = record.targetValues[t]
            values[t].add(value)
            if target.isMet(value) { met[t] += 1 }
            if !value.isNaN { defined[t] += 1 }
            let step = Int(record.firstMet[t])  // checked: Int32 widened to Int
            if step >= 0 { firstMet[t][step] += 1 }
        }
        replications += 1
    }

    /// Target `t`'s replications so far: those meeting it at its date, and those where its
    /// measure is defined (P(met) is their ratio).
    public func count(target t: Int) -> (met: Int, defined: Int) { (met[t], defined[t]) }

    public var summaries: [TargetSummary] {
        let timeline = plan.model.timeline
        let n = Double(replications)
        return plan.model.targets.enumerated().map { t, target in
            var byYear: [Int: Int] = [:]
            var median: Int?
            var seen = 0
            for (step, count) in firstMet[t].enumerated() where count > 0 {
                byYear[timeline.end(ofStep: step).year, default: 0] += count
                seen += count
                if median == nil, seen > (replications - 1) / 2 { median = step }
            }
            return TargetSummary(
                target: target, probability: defined[t] > 0 ? Double(met[t]) / Double(defined[t]) : .nan, value: values[t].quantiles,
                firstMetByYear: byYear.keys.sorted().map { ($0, Double(byYear[$0]!) / n) },
                neverMet: Double(replications - seen) / n, medianFirstMet: median.map { timeline.end(ofStep: $0) })
        }
    }
}

/// Accumulates a run's `Summary` from its records, in memory independent of the number of
/// replications: one `OutcomeDistribution` per reported cell (headcount and share per date × rank set
/// × ethnicity set × gender set; flows per year × flow × the same sets), plus the targets'.
///
/// Cost per replication: one sum per cell over its rank × group members, written to a pending
/// buffer, and one `OutcomeDistribution.add` per cell. The adds are made `batch` replications
/// at a time, a few cells at a time: adding one replication's values straight into every cell's
/// histogram touches as many separate allocations as there are cells (7,203 for the Met-scale
/// benchmark), nearly every one a cache miss; a batch adds each cell's `batch` values while its
/// histogram is in cache. Each cell still receives its values in replication order, so the
/// summary is the same as adding each replication at once.
public struct SummaryAccumulator: ReplicationSink {
    let plan: Plan
    let expected: Bool
    /// The reported cells' labels, in row order (ranks and `All` × ethnicity sets × gender sets).
    private let labels: [(rank: Label, ethnicity: Label, gender: Label)]
    /// `members[memberStart[c]..<memberStart[c + 1]]`: the offsets (rank × group) summed into
    /// combination `c`, in rank, ethnicity, gender order.
    private let members: [Int]
    private let memberStart: [Int]
    /// The same for each of `bases`, counting only the basis's categories.
    private let bases: [Basis]
    private let basisMembers: [[Int]]
    private let basisMemberStart: [[Int]]
    /// The combination holding the total of combination `c`'s rank set (ethnicity All, gender All).
    private let totalOf: [Int]
    /// Every reported cell's distribution: per report step, the combinations' headcounts, their
    /// shares and their shares on each of `bases` (`headcount(report:_:)`, `share(report:_:)`,
    /// `basisShare(report:_:_:)`); then per year × recorded flow the combinations' counts
    /// (`flow(year:_:_:)`).
    private var cells: [OutcomeDistribution]
    private var targets: TargetAccumulator
    /// Values not yet added: `pending[b * cells.count + i]` is cell `i`'s value in the `b`-th
    /// replication of the batch, for `b < waiting`.
    private var pending: [Double]
    private var waiting = 0
    /// Replications per batch: as many as fit in `Self.batchBytes` (at least 1, at most 64).
    private let batch: Int
    private var replications = 0

    /// The pending buffer's size: 2 MB, about what a core's share of cache holds (an assumption
    /// about the machine, not a tuned figure; any size gives the same summary).
    static let batchBytes = 1 << 21

    /// Cells added together from a batch: 128 values (1 kB) of each pending row (an assumption
    /// about the machine, as `batchBytes`).
    static let cellsAtATime = 128

    public init(plan: Plan, expected: Bool) {
        self.plan = plan
        self.expected = expected
        let d = plan.model.dimensions
        let rankSets = (0..<d.ranks.count).map { [$0] } + d.rankAggregates.map(\.members) + [Array(0..<d.ranks.count)]
        let rankNames = d.ranks.map(Label.category) + d.rankAggregates.map { Label.aggregate($0.name) } + [Label.all]
        let ethnicitySets = Self.categorySets(d.ethnicities, d.aggregates.filter { $0.dimension == .ethnicity })
        let genderSets = Self.categorySets(d.genders, d.aggregates.filter { $0.dimension == .gender })
        /// The offsets of every combination, counting the ethnicities and genders `keep` selects.
        func offsets(_ keep: (Int, Int) -> Bool) -> (members: [Int], start: [Int]) {
            var members: [Int] = [], memberStart: [Int] = [0]
            for ranks in rankSets {
                for (_, ethnicities) in ethnicitySets {
                    for (_, genders) in genderSets {
                        for r in ranks {
                            for e in ethnicities {
                                for g in genders where keep(e, g) { members.append((r * d.ethnicities.count + e) * d.genders.count + g) }
                            }
                        }
                        memberStart.append(members.count)
                    }
                }
            }
            return (members, memberStart)
        }
        (members, memberStart) = offsets { _, _ in true }
        bases = Basis.of(plan.model)
        let basisOffsets = bases.map { b in offsets { e, g in b.ethnicities[e] && b.genders[g] } }
        basisMembers = basisOffsets.map(\.members)
        basisMemberStart = basisOffsets.map(\.start)
        labels = rankNames.flatMap { r in ethnicitySets.flatMap { e in genderSets.map { g in (r, e.label, g.label) } } }
        let perRank = ethnicitySets.count * genderSets.count
        let combos = labels.count
        totalOf = (0..<combos).map { c in (c / perRank + 1) * perRank - 1 }
        let counts: OutcomeDistribution.Kind = expected ? .real : .integer
        let perReport = (2 + bases.count) * combos
        var layout = [OutcomeDistribution]()
        layout.reserveCapacity(plan.reportSteps.count * perReport + plan.years * plan.flows.count * combos)
        for _ in plan.reportSteps {
            layout += Array(repeating: OutcomeDistribution(counts), count: combos)
            layout += Array(repeating: OutcomeDistribution(.real), count: (1 + bases.count) * combos)
        }
        layout += Array(repeating: OutcomeDistribution(counts), count: plan.years * plan.flows.count * combos)
        cells = layout
        targets = TargetAccumulator(plan: plan)
        batch = max(1, min(64, Self.batchBytes / (8 * max(1, cells.count))))
        pending = Array(repeating: 0, count: batch * cells.count)
    }

    private var perReport: Int { (2 + bases.count) * labels.count }
    private func headcount(report: Int, _ c: Int) -> Int { report * perReport + c }
    private func share(report: Int, _ c: Int) -> Int { report * perReport + labels.count + c }
    private func basisShare(report: Int, _ b: Int, _ c: Int) -> Int { report * perReport + (2 + b) * labels.count + c }
    /// The cell of recorded flow number `slot` (`plan.flows[slot]`).
    private func flow(year: Int, slot: Int, _ c: Int) -> Int {
        plan.reportSteps.count * perReport + (year * plan.flows.count + slot) * labels.count + c
    }

    public mutating func consume(_ record: ReplicationRecord) {
        let combos = labels.count
        let row = waiting * cells.count
        var buffer: [Double] = []
        swap(&buffer, &pending)  // the buffer is written while `self` is read
        buffer.withUnsafeMutableBufferPointer { pending in
            for report in plan.reportSteps.indices {
                let h = row + headcount(report: report, 0), s = row + share(report: report, 0)
                sums(record.counts, base: plan.headcountIndex(report: report, rank: 0, group: 0), into: pending, at: h)
                for c in 0..<combos {
                    let total = pending[h + totalOf[c]]
                    pending[s + c] = total > 0 ? pending[h + c] / total : .nan
                }
                for b in bases.indices {
                    // The basis's sums go into its share cells, then become shares of their rank set's total.
                    let at = row + basisShare(report: report, b, 0)
                    let base = plan.headcountIndex(report: report, rank: 0, group: 0)
                    let start = basisMemberStart[b], members = basisMembers[b]
                    for c in 0..<combos {
                        var sum = 0.0
                        for m in start[c]..<start[c + 1] { sum += record.counts[base + members[m]] }
                        pending[at + c] = sum
                    }
                    // In place, in order: a rank set's total is its last combination, read before it is replaced.
                    for c in 0..<combos {
                        let total = pending[at + totalOf[c]]
                        let inBasis = start[c + 1] > start[c]
                        pending[at + c] = total > 0 && inBasis ? pending[at + c] / total : .nan
                    }
                }
            }
            for year in 0..<plan.years {
                for (slot, flow) in plan.flows.enumerated() {
                    sums(record.counts, base: plan.flowIndex(year: year, flow: flow, rank: 0, group: 0), into: pending,
                         at: row + self.flow(year: year, slot: slot, 0))
                }
            }
        }
        swap(&buffer, &pending)
        waiting += 1
        if waiting == batch { addPending() }
        targets.consume(record)
        replications += 1
    }

    /// `pending[at + c]`: combination `c`'s sum of the counts recorded from `base`.
    private func sums(_ counts: [Double], base: Int, into pending: UnsafeMutableBufferPointer<Double>, at: Int) {
        for c in 0..<labels.count {
            var sum = 0.0
            for m in memberStart[c]..<memberStart[c + 1] { sum += counts[base + members[m]] }
            pending[at + c] = sum
        }
    }

    /// Adds the pending values to their cells, `Self.cellsAtATime` cells at a time (a run of a
    /// pending row that the processor prefetches, and cells whose histograms stay in cache across
    /// the batch), each cell's values in replication order.
    private mutating func addPending() {
        let n = cells.count, waiting = self.waiting
        pending.withUnsafeBufferPointer { pending in
            cells.withUnsafeMutableBufferPointer { cells in
                for first in stride(from: 0, to: n, by: Self.cellsAtATime) {
                    let last = min(n, first + Self.cellsAtATime)
                    for b in 0..<waiting {
                        for i in first..<last { cells[i].add(pending[b * n + i]) }
                    }
                }
            }
        }
        self.waiting = 0
    }

    /// Adds the values still pending and returns the summary of every record consumed so far
    /// (more may follow). Costs one quantile computation per cell.
    public mutating func finish() -> Summary {
        addPending()
        let combos = labels.count
        var projections: [ProjectionRow] = []
        for (report, step) in plan.reportSteps.enumerated() {
            for c in 0..<combos {
                projections.append(ProjectionRow(
                    date: plan.month(ofStep: step), rank: labels[c].rank, ethnicity: labels[c].ethnicity,
                    gender: labels[c].gender, headcount: cells[headcount(report: report, c)].quantiles,
                    share: cells[share(report: report, c)].quantiles,
                    basisShares: bases.indices.map { cells[basisShare(report: report, $0, c)].quantiles }))
            }
        }
        var flowRows: [FlowRow] = []
        for year in 0..<plan.years {
            for (slot, flow) in plan.flows.enumerated() {
                for c in 0..<combos {
                    flowRows.append(FlowRow(
                        yearEnd: plan.yearEnds[year], flow: flow, rank: labels[c].rank, ethnicity: labels[c].ethnicity,
                        gender: labels[c].gender, count: cells[self.flow(year: year, slot: slot, c)].quantiles))
                }
            }
        }
        return Summary(
            projections: projections, flows: flowRows, targets: targets.summaries, replications: replications, expected: expected,
            bases: bases)
    }

    /// Each category alone, then each aggregate, then `All`: the rows of every summary by category.
    public static func categorySets(_ names: [String], _ aggregates: [Aggregate]) -> [(label: Label, members: [Int])] {
        names.indices.map { (.category(names[$0]), [$0]) } + aggregates.map { (.aggregate($0.name), $0.members) } + [(.all, Array(names.indices))]
    }
}
