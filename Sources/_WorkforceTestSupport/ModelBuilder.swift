import Workforce

/// Not API: builds hand-sized models for the tests without going through a scenario file.
public struct ModelBuilder {
    public var dimensions: Dimensions
    public var timeline: Timeline
    public var parameters: [ParameterSpec] = []
    public var initial: [Int]

    public init(
        ranks: [String] = ["Constable"], ethnicities: [String] = ["Majority", "Minority"], genders: [String] = ["All"],
        maxService: Int = 60, start: Month = Month(year: 2020, month: 1), years: Int = 8, step: Timeline.Step = .year,
        replications: Int = 100, seed: UInt64 = 1
    ) {
        dimensions = Dimensions(ranks: ranks, ethnicities: ethnicities, genders: genders, maxService: maxService)
        timeline = Timeline(start: start, horizon: start + years * 12, step: step, replications: replications, seed: seed)
        initial = Array(repeating: 0, count: dimensions.cellCount)
    }

    /// A parameter with a fixed value, or drawn from `distribution`.
    public mutating func parameter(_ value: Double, _ distribution: Distribution? = nil, range: ClosedRange<Double> = 0...1e300) -> Parameter {
        parameters.append(ParameterSpec(path: "p\(parameters.count)", distribution: distribution ?? .fixed(value), range: range))
        return Parameter(parameters.count - 1)
    }

    public mutating func set(rank: Int, ethnicity: Int, gender: Int = 0, service: Int, _ count: Int) {
        initial[dimensions.cell(rank, dimensions.group(ethnicity, gender), service)] = count
    }

    /// One leaving band over all service, the same annual rate for every rank.
    public mutating func uniformLeaving(_ rate: Double) -> Leaving {
        let p = parameter(rate)
        return Leaving(bands: [0...(dimensions.maxService - 1)], rates: Array(repeating: [p], count: dimensions.ranks.count))
    }

    public mutating func shares(_ values: [Double]) -> Shares {
        Shares(values.map { .value(parameter($0)) })
    }

    public func selector(ranks: [Int]? = nil, ethnicities: [Int]? = nil, genders: [Int]? = nil) -> Selector {
        Selector(
            ranks: dimensions.ranks.indices.map { ranks?.contains($0) ?? true },
            ethnicities: dimensions.ethnicities.indices.map { ethnicities?.contains($0) ?? true },
            genders: dimensions.genders.indices.map { genders?.contains($0) ?? true })
    }

    public func model(
        leaving: Leaving, transfersOut: Leaving? = nil, establishment: [Int: Dated<Parameter>] = [:], promotion: [Int: Promotion] = [:],
        intakes: [Intake] = [], interventions: [Intervention] = [], targets: [Target] = []
    ) -> Model {
        Model(
            name: "test", dimensions: dimensions, timeline: timeline, parameters: parameters, initial: initial,
            leaving: leaving, transfersOut: transfersOut, establishment: establishment, promotion: promotion, intakes: intakes,
            interventions: interventions, targets: targets)
    }
}

extension RunResult {
    /// Headcount of a rank × group at a report step, in one replication.
    public func headcount(_ replication: Int, step: Int, rank: Int, group: Int) -> Double {
        count(replication: replication, plan.headcountIndex(report: plan.reportSteps.firstIndex(of: step)!, rank: rank, group: group))
    }

    public func flow(_ replication: Int, year: Int, _ flow: Flow, rank: Int, group: Int) -> Double {
        count(replication: replication, plan.flowIndex(year: year, flow: flow, rank: rank, group: group))
    }

    /// Mean and standard error over replications of `f`.
    public func meanAndError(_ f: (Int) -> Double) -> (mean: Double, se: Double, variance: Double) {
        let xs = (0..<replications).map(f)
        let n = Double(xs.count)
        let mean = xs.reduce(0, +) / n
        let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        return (mean, (variance / n).squareRoot(), variance)
    }
}

extension RunResult {
    /// FNV-1a over the bit patterns of every headcount, every joiners / leavers / promotions
    /// count, every target's value and first-met step, replication by replication in record
    /// order: equal fingerprints mean bit-identical results for what every model records.
    public var fingerprint: UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix(_ x: UInt64) { h = (h ^ x) &* 0x0000_0100_0000_01B3 }
        for i in 0..<replications {
            for report in plan.reportSteps.indices {
                for r in 0..<plan.ranks {
                    for q in 0..<plan.groups { mix(count(replication: i, plan.headcountIndex(report: report, rank: r, group: q)).bitPattern) }
                }
            }
            for year in 0..<plan.years {
                for flow in [Flow.joiners, .leavers, .promotions] {
                    for r in 0..<plan.ranks {
                        for q in 0..<plan.groups { mix(count(replication: i, plan.flowIndex(year: year, flow: flow, rank: r, group: q)).bitPattern) }
                    }
                }
            }
            for t in plan.model.targets.indices {
                mix(targetValue(replication: i, target: t).bitPattern)
                mix(UInt64(bitPattern: Int64(firstMet(replication: i, target: t) ?? -1)))  // checked: Int to Int64 is exact on the 64-bit platforms we build for
            }
        }
        return h
    }
}
