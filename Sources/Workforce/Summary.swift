import Dispatch

/// Distribution summaries of a run: what the result files report. Pure arithmetic on a
/// `RunResult`, in replication order, so equal results give bit-identical summaries.
public struct Summary: Sendable {
    /// Headcount and share by date × rank × ethnicity × gender, including aggregates and totals.
    public var projections: [ProjectionRow]
    /// Joiners, leavers and promotions per simulation year by rank × ethnicity × gender.
    public var flows: [FlowRow]
    public var targets: [TargetSummary]
    public var replications: Int
    public var expected: Bool

    /// The label used for "every category" of a dimension and for all ranks.
    public static let all = "All"
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
    public var rank: String
    public var ethnicity: String
    public var gender: String
    public var headcount: Quantiles
    /// Headcount as a share of the rank's (or all ranks') total at that date.
    public var share: Quantiles
}

public struct FlowRow: Sendable {
    /// The last month of the simulation year.
    public var yearEnd: Month
    public var flow: Plan.Flow
    /// For promotions, the rank promoted into.
    public var rank: String
    public var ethnicity: String
    public var gender: String
    public var count: Quantiles
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
        let plan = result.plan
        let n = result.replications
        let timeline = plan.model.timeline
        return plan.model.targets.enumerated().map { i, target in
            var values = (0..<n).map { result.targetValue(replication: $0, target: i) }
            let met = values.filter { target.isMet($0) }.count
            let defined = values.filter { !$0.isNaN }.count
            let firstSteps = (0..<n).map { result.firstMet(replication: $0, target: i) }
            var byYear: [Int: Int] = [:]
            for case let step? in firstSteps { byYear[timeline.end(ofStep: step).year, default: 0] += 1 }
            let sortedSteps = firstSteps.map { $0 ?? Int.max }.sorted()
            let median = sortedSteps[(n - 1) / 2]
            return TargetSummary(
                target: target, probability: defined > 0 ? Double(met) / Double(defined) : .nan, value: Quantiles(&values),
                firstMetByYear: byYear.keys.sorted().map { ($0, Double(byYear[$0]!) / Double(n)) },
                neverMet: Double(firstSteps.filter { $0 == nil }.count) / Double(n),
                medianFirstMet: median == Int.max ? nil : timeline.end(ofStep: median))
        }
    }
}

extension Summary {
    /// Summarises a run. Rows cover every rank and `All` ranks × every ethnicity, ethnicity
    /// aggregate and `All` × every gender, gender aggregate and `All`. Cost: O(replications ×
    /// rows) memory per date and one sort per row, spread over `threads`.
    public init(_ result: RunResult, threads: Int = 1) {
        let plan = result.plan
        let d = plan.model.dimensions
        let n = result.replications
        let rankSets = (0..<d.ranks.count).map { [$0] } + [Array(0..<d.ranks.count)]
        let rankNames = d.ranks + [Summary.all]
        let ethnicitySets = Self.categorySets(d.ethnicities, d.aggregates.filter { $0.dimension == .ethnicity })
        let genderSets = Self.categorySets(d.genders, d.aggregates.filter { $0.dimension == .gender })
        let G = d.genders.count

        // For one replication, sums of recorded rank × group counts over every rank set ×
        // ethnicity set × gender set, starting at `base`.
        let combos = rankSets.count * ethnicitySets.count * genderSets.count
        func expand(_ replication: Int, base: Int, into out: inout [Double], at offset: Int) {
            var i = offset
            for ranks in rankSets {
                for (_, ethnicities) in ethnicitySets {
                    for (_, genders) in genderSets {
                        var sum = 0.0
                        for r in ranks {
                            for e in ethnicities {
                                for g in genders { sum += result.count(replication: replication, base + (r * d.ethnicities.count + e) * G + g) }
                            }
                        }
                        out[i] = sum
                        i += 1
                    }
                }
            }
        }
        let labels: [(rank: String, ethnicity: String, gender: String)] = rankNames.flatMap { r in
            ethnicitySets.flatMap { e in genderSets.map { g in (r, e.name, g.name) } }
        }
        // The combination holding the total of the same rank set (ethnicity All, gender All).
        let totalOf: [Int] = (0..<combos).map { c in
            (c / (ethnicitySets.count * genderSets.count) + 1) * ethnicitySets.count * genderSets.count - 1
        }

        // Values of every combination for every replication at one record offset: combos × n.
        func table(base: Int) -> [Double] {
            var values = [Double](repeating: 0, count: combos * n)
            var row = [Double](repeating: 0, count: combos)
            for rep in 0..<n {
                expand(rep, base: base, into: &row, at: 0)
                for c in 0..<combos { values[c * n + rep] = row[c] }
            }
            return values
        }

        var projections: [ProjectionRow] = []
        for (report, step) in plan.reportSteps.enumerated() {
            let values = table(base: plan.headcountIndex(report: report, rank: 0, group: 0))
            let rows = Self.parallelMap(combos, threads: threads) { c -> ProjectionRow in
                var counts = Array(values[(c * n)..<((c + 1) * n)])
                var shares = (0..<n).map { rep in
                    let total = values[totalOf[c] * n + rep]
                    return total > 0 ? values[c * n + rep] / total : .nan
                }
                return ProjectionRow(
                    date: plan.month(ofStep: step), rank: labels[c].rank, ethnicity: labels[c].ethnicity,
                    gender: labels[c].gender, headcount: Quantiles(&counts), share: Quantiles(&shares))
            }
            projections += rows
        }

        var flows: [FlowRow] = []
        for year in 0..<plan.years {
            for flow in Plan.Flow.allCases {
                let values = table(base: plan.flowIndex(year: year, flow: flow, rank: 0, group: 0))
                flows += Self.parallelMap(combos, threads: threads) { c -> FlowRow in
                    var counts = Array(values[(c * n)..<((c + 1) * n)])
                    return FlowRow(
                        yearEnd: plan.yearEnds[year], flow: flow, rank: labels[c].rank,
                        ethnicity: labels[c].ethnicity, gender: labels[c].gender, count: Quantiles(&counts))
                }
            }
        }

        targets = TargetSummary.summarize(result)
        self.projections = projections
        self.flows = flows
        replications = n
        expected = result.expected
    }

    /// Each category alone, then each aggregate, then `All`: the rows of every summary by category.
    public static func categorySets(_ names: [String], _ aggregates: [Aggregate]) -> [(name: String, members: [Int])] {
        names.indices.map { (names[$0], [$0]) } + aggregates.map { ($0.name, $0.members) } + [(all, Array(names.indices))]
    }

    /// `transform` over `0..<count` on up to `threads` threads, results in index order.
    private static func parallelMap<T: Sendable>(_ count: Int, threads: Int, _ transform: @Sendable (Int) -> T) -> [T] {
        guard threads > 1, count > 1 else { return (0..<count).map(transform) }
        let box = ResultBox<T>(count)
        DispatchQueue.concurrentPerform(iterations: count) { box.set($0, transform($0)) }
        return box.values
    }
}

/// Slots written once each from concurrent iterations (distinct indices), read after all finish.
private final class ResultBox<T>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<T?>
    init(_ count: Int) { slots = .allocate(capacity: count); slots.initialize(repeating: nil) }
    deinit { _ = slots.deinitialize(); slots.deallocate() }
    func set(_ i: Int, _ value: T) { slots[i] = value }
    var values: [T] { slots.map { $0! } }
}
