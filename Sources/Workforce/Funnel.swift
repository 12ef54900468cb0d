/// A recruitment funnel: applications by group and the selection stages they pass through.
///
/// An intake with a funnel is described by what a force controls (how many apply, from which
/// groups, and each stage's pass rate by group) instead of by the make-up of its recruits. Each
/// step, `applications / k` applicants (k steps a year; Monte Carlo carries the fraction, as for
/// `per_year` intakes) are split over groups by the intake's shares, which are then the shares
/// of *applicants*; each stage keeps each applicant independently with their group's pass rate;
/// those who pass every stage are the recruits, up to what the intake's `size` needs. If more
/// pass than are needed, the intake is taken at random from those who passed (docs/engine.md).
public struct Funnel: Sendable {
    /// Applications per year (spread evenly over the year's steps).
    public var applications: Dated<Parameter>
    /// Selection stages, in the order applicants meet them.
    public var stages: [Stage]

    public init(applications: Dated<Parameter>, stages: [Stage]) {
        self.applications = applications
        self.stages = stages
    }

    /// One selection stage: the probability that an applicant who reached it passes it.
    public struct Stage: Sendable {
        /// Unique within the funnel; `stage_pass` interventions name it.
        public var name: String
        /// The pass rate of every group `byGroup` does not set, a probability.
        public var pass: Parameter
        /// Pass rates of particular groups (ethnicities × genders of the selector; its ranks
        /// mask is unused); where several select a group, the last wins.
        public var byGroup: [GroupRate]

        public init(name: String, pass: Parameter, byGroup: [GroupRate] = []) {
            self.name = name
            self.pass = pass
            self.byGroup = byGroup
        }
    }

    /// A pass rate for the applicants a selector picks out.
    public struct GroupRate: Sendable {
        public var selector: Selector
        public var pass: Parameter
        public init(selector: Selector, pass: Parameter) {
            self.selector = selector
            self.pass = pass
        }
    }

    /// Writes the pass rate of each stage for each group to `rates[offset + stage × groups + group]`,
    /// for steps beginning in a month where the interventions `interventions[active]` hold: the
    /// stage's rate (or its group's), times every active `stagePass` factor for that stage
    /// selecting the group and the intake's `rank`, capped at 1. `v` holds the parameter values.
    /// Cost: stages × groups × (rates + interventions); allocates nothing.
    func passRates(
        rank: Int, _ d: Dimensions, active: [Int], of interventions: [Intervention], _ v: [Double],
        writing rates: inout [Double], at offset: Int
    ) {
        let G = d.genders.count, Q = d.groupCount
        for (j, stage) in stages.enumerated() {
            for e in 0..<d.ethnicities.count {
                for g in 0..<G {
                    var p = v[stage.pass.index]
                    for rate in stage.byGroup where rate.selector.ethnicities[e] && rate.selector.genders[g] { p = v[rate.pass.index] }
                    for i in active where interventions[i].selector.contains(rank: rank, ethnicity: e, gender: g) {
                        if case .stagePass(let name, let factor) = interventions[i].effect, name == stage.name { p *= v[factor.index] }
                    }
                    rates[offset + j * Q + e * G + g] = min(1, p)
                }
            }
        }
    }

    /// The months, after the start of `model`'s run and up to its horizon, from which an intake's
    /// funnel changes: its application schedule, its shares, and interventions starting or ending.
    func changes(of intake: Intake, in model: Model) -> [Month] {
        var months = applications.changes + intake.ethnicity.changes + intake.gender.changes
        for shares in intake.genderByEthnicity.values { months += shares.changes }
        for i in model.interventions where i.selector.ranks[intake.rank] {
            months.append(i.from)
            if let until = i.until { months.append(until + 1) }
        }
        let t = model.timeline
        return Set(months.filter { $0 > t.start && $0 <= t.horizon }).sorted()
    }
}

/// The expected yearly flow through one intake's funnel while its rates hold: applicants by group
/// and how many of them pass each stage. Exact arithmetic (every parameter at its mean), the same
/// numbers the expected-value engine uses; what a report shows as "where each group is lost".
public struct FunnelFlow: Sendable {
    /// The index of the intake in `Model.intakes`.
    public var intake: Int
    /// The first month these rates hold (the run's first month for the first period).
    public var from: Month
    /// Stage names, in order.
    public var stages: [String]
    /// Applicants a year by group (ethnicity × gender, `Dimensions.group`).
    public var applicants: [Double]
    /// `passed[j][q]`: applicants of group q a year who pass stages 0 through j.
    public var passed: [[Double]]
    /// `rates[j][q]`: the pass rate of stage j for group q.
    public var rates: [[Double]]

    /// The expected flow through every funnel of `model`, one entry per intake with a funnel and
    /// per period over which its rates hold (the start, then each change within the run).
    public static func expected(_ model: Model) -> [FunnelFlow] {
        let plan = Plan(model)
        var tables = Tables(plan: plan)
        let means = model.parameters.map { $0.distribution.mean(in: $0.range) }
        let Q = model.dimensions.groupCount
        var flows: [FunnelFlow] = []
        for (i, intake) in model.intakes.enumerated() {
            guard let funnel = intake.funnel else { continue }
            for month in [model.timeline.start + 1] + funnel.changes(of: intake, in: model) {
                tables.rebuild(at: month, parameters: means)
                let shares = Array(tables.intakeShares[(i * Q)..<((i + 1) * Q)])
                let total = tables.intakeShareTotal[i]
                let applicants = shares.map { total > 0 ? tables.applications[i] * $0 / total : 0 }
                var reached = applicants
                var passed: [[Double]] = [], rates: [[Double]] = []
                for j in funnel.stages.indices {
                    let start = tables.passRateStart[i] + j * Q
                    let rate = Array(tables.passRates[start..<(start + Q)])
                    reached = zip(reached, rate).map { $0 * $1 }
                    passed.append(reached)
                    rates.append(rate)
                }
                flows.append(FunnelFlow(
                    intake: i, from: month, stages: funnel.stages.map(\.name), applicants: applicants, passed: passed, rates: rates))
            }
        }
        return flows
    }
}
