import WorkforceFormats
import Workforce
import WorkforceResults

/// One scenario's results as the report looks them up: the typed `RunResults` (in memory after a
/// run, or read back from a folder by `workforce report`), indexed by date and labels.
package struct ScenarioResults: Sendable {
    package var manifest: RunManifest
    /// Rank names, lowest first.
    package var ranks: [String]
    /// Ethnicity and gender categories, in the model's order.
    package var ethnicities: [String]
    package var genders: [String]
    /// Ethnicity and gender labels in the projections: categories, aggregates, then `.all`.
    package var ethnicityLabels: [Label]
    package var genderLabels: [Label]
    /// The projection dates, ascending: the start, each anniversary, the horizon and target dates.
    package var dates: [Month]
    /// The last month of each simulation year, ascending.
    package var yearEnds: [Month]
    /// The flows the results record per year (`Flow.recorded(in:)` of the run's model, as
    /// flows.csv holds them), in `Flow` order.
    package var recordedFlows: [Flow]
    package var targets: [TargetsFile.Entry]
    /// The other denominator bases of the projections (the categories each leaves out).
    package var bases: [[String]]
    private var projections: [Cell: Projection]
    private var flows: [FlowCell: FlowStats]

    package var start: Month { dates[0] }
    package var horizon: Month { dates[dates.count - 1] }

    /// Headcount and share (of the rank's, or all ranks', officers) for one projection row; nil
    /// when there is no such row.
    package func projection(_ date: Month, rank: Label, ethnicity: Label, gender: Label) -> Projection? {
        projections[Cell(date: date, rank: rank, ethnicity: ethnicity, gender: gender)]
    }

    /// A projection row's share on a basis: the categories `basis` names left out of numerator
    /// and denominator (`[]`: of all officers). Nil when there is no such row or basis.
    package func share(_ date: Month, rank: Label, ethnicity: Label, gender: Label, basis: [String]) -> Stats? {
        guard let p = projection(date, rank: rank, ethnicity: ethnicity, gender: gender) else { return nil }
        if basis.isEmpty { return p.share }
        return bases.firstIndex(of: basis).map { p.basisShares[$0] }
    }

    /// One year's flow (promotions by the rank promoted into).
    package func flow(_ yearEnd: Month, _ flow: Flow, rank: Label, ethnicity: Label, gender: Label) -> FlowStats? {
        flows[FlowCell(yearEnd: yearEnd, flow: flow, rank: rank, ethnicity: ethnicity, gender: gender)]
    }

    /// The projection labels of a target's group, dimension by dimension (`.all` where the group
    /// takes the whole dimension); nil when the projections have no such label.
    package func labels(of group: GroupName) -> (ethnicity: Label, gender: Label)? {
        func label(_ name: String?, _ labels: [Label]) -> Label? {
            guard let name else { return .all }
            return labels.first { $0 != .all && $0.name == name }
        }
        guard let e = label(group.ethnicity, ethnicityLabels), let g = label(group.gender, genderLabels) else { return nil }
        return (e, g)
    }

    /// The projection rank label of a target's ranks: `.all` for every rank, the rank itself for
    /// one, a rank aggregate for its ranks; nil for any other set (the projections have no row for it).
    package func rankLabel(of target: TargetsFile.Entry) -> Label? {
        if target.ranks == ranks { return .all }
        if target.ranks.count == 1 { return .category(target.ranks[0]) }
        return (manifest.rankAggregates ?? []).first { $0.ranks == target.ranks }.map { .aggregate($0.name) }
    }

    struct Cell: Hashable {
        var date: Month
        var rank, ethnicity, gender: Label
    }
    struct FlowCell: Hashable {
        var yearEnd: Month
        var flow: Flow
        var rank, ethnicity, gender: Label
    }
}

/// The mean and quantiles of a headcount and of a share, as numbers to show.
package struct Projection: Sendable {
    package var headcount: Stats
    /// A fraction in 0...1 of the rank's (or all ranks') officers.
    package var share: Stats
    /// The share on each of `ScenarioResults.bases`.
    package var basisShares: [Stats]
}

/// Mean and quantiles over replications (p5 … p95).
package struct Stats: Sendable {
    package var mean, p5, p25, p50, p75, p95: Figure

    init(_ q: Quantiles) {
        (mean, p5, p25, p50, p75, p95) = (Figure(q.mean), Figure(q.p5), Figure(q.p25), Figure(q.p50), Figure(q.p75), Figure(q.p95))
    }
}

/// A year's flow over replications (officers per simulation year).
package struct FlowStats: Sendable {
    /// The mean: flows are stacked by group, and means (unlike medians) add up.
    package var mean: Figure
}

extension ScenarioResults {
    /// Indexes a run's results. Fails when there are no projections.
    package init(_ results: RunResults) throws(InputError) {
        manifest = results.manifest
        (ranks, ethnicities, genders) = results.manifest.categories
        targets = results.targets.targets
        bases = results.bases
        var projections: [Cell: Projection] = [:]
        var dates = Set<Month>()
        var ethnicityLabels: [Label] = [], genderLabels: [Label] = []
        for row in results.projections {
            dates.insert(row.date)
            if !ethnicityLabels.contains(row.ethnicity) { ethnicityLabels.append(row.ethnicity) }
            if !genderLabels.contains(row.gender) { genderLabels.append(row.gender) }
            projections[Cell(date: row.date, rank: row.rank, ethnicity: row.ethnicity, gender: row.gender)] =
                Projection(headcount: Stats(row.headcount), share: Stats(row.share), basisShares: row.basisShares.map(Stats.init))
        }
        guard !dates.isEmpty else { throw InputError(file: "projections.csv", "no rows") }
        self.projections = projections
        self.dates = dates.sorted()
        self.ethnicityLabels = ethnicityLabels
        self.genderLabels = genderLabels
        var flows: [FlowCell: FlowStats] = [:]
        var yearEnds = Set<Month>()
        for row in results.flows {
            yearEnds.insert(row.yearEnd)
            flows[FlowCell(yearEnd: row.yearEnd, flow: row.flow, rank: row.rank, ethnicity: row.ethnicity, gender: row.gender)] =
                FlowStats(mean: Figure(row.count.mean))
        }
        self.flows = flows
        self.yearEnds = yearEnds.sorted()
        let held = Set(results.flows.map(\.flow))
        recordedFlows = Flow.allCases.filter(held.contains)
    }
}

extension ScenarioResults {
    /// A target's verdict: met or not in an expected-value run, else its chance over the run's
    /// replications with its 95% interval.
    package func verdict(_ t: TargetsFile.Entry) -> Verdict {
        if manifest.mode == .expectedValue { return Verdict(met: RunManifest.Mode.metInExpectedValue(chance: t.chance.value)) }
        return Verdict(probability: t.probabilityMet, replications: manifest.replications)
    }

    /// The median of a target's measure at its date with its 90% interval, to the decimals the
    /// median's Monte Carlo error supports (`Figure.decimals(standardError:)`).
    func medianWithInterval(_ t: TargetsFile.Entry) -> String {
        Figure.interval(median: t.median, low: t.low, high: t.high, decimals: medianDecimals(t))
    }

    /// The decimals of a target's median at its date; one in an expected-value run (no error).
    func medianDecimals(_ t: TargetsFile.Entry) -> Int {
        manifest.mode == .expectedValue ? 1 : Figure.decimals(standardError: Figure.medianError(low: t.low, high: t.high, replications: manifest.replications))
    }
}

extension TargetsFile.Entry {
    /// The chance it is met at its date, to show.
    var chance: Figure { Figure(probabilityMet) }
    /// The median of its measure at the date and the ends of the 90% interval.
    var median: Figure { Figure(value.p50) }
    var low: Figure { Figure(value.p5) }
    var high: Figure { Figure(value.p95) }
    /// The chance it is never met within the run.
    var never: Figure { Figure(firstMet.never) }
    /// The threshold, an input shown exactly as given.
    var level: Figure { Figure(definition.threshold) }
}

/// Month formats: `2024-03` in files and tables, `Mar 2024` in prose and on axes.
package enum Dates {
    /// `Mar 2024` (`Month.long`).
    package static func long(_ month: Month) -> String { month.long }
}
