/// What the engine precomputes once per model: the time grid, what is recorded when, and where
/// each replication's compact record lives. Shared read-only by every replication.
public struct Plan: Sendable {
    public let model: Model
    public let ranks: Int
    public let groups: Int
    public let service: Int
    public let steps: Int
    public let stepsPerYear: Int

    /// Steps after which rank × group headcounts are recorded: 0 (the start), every anniversary
    /// of the start, the horizon and every officer target's date; increasing.
    public let reportSteps: [Int]
    /// Simulation years: year `y` holds steps `y·stepsPerYear + 1 ... (y+1)·stepsPerYear` (the
    /// last may be shorter). Flows are recorded per year.
    public let years: Int
    /// The last month of each simulation year.
    public let yearEnds: [Month]
    /// `target step`: the step at which each target is judged.
    let targetSteps: [Int]
    /// For recruit and promotion targets: the number of steps in the counted period.
    let targetWindows: [Int]
    /// Steps at which some dated value changes, so the rate tables are rebuilt.
    let regimeChanges: [Bool]
    /// Per parameter, the hash of its field path (`ParameterSpec.streamPath`, `StreamKey.fnv1a`; a repeated path gets
    /// `#2`, `#3`, … appended): the label of its random substream.
    let parameterLabels: [UInt64]

    /// The flows recorded per year, in record order (`Flow.recorded(in:)`): joiners, leavers,
    /// promotions, and transfers out where the model has them.
    public let flows: [Flow]
    /// `flowSlot[flow.rawValue]`: the position of the flow that records `flow` in `flows`, -1 for
    /// a flow the model does not record.
    let flowSlot: [Int]

    public init(_ model: Model) {
        self.model = model
        let d = model.dimensions
        let timeline = model.timeline
        ranks = d.ranks.count
        groups = d.groupCount
        service = d.maxService
        steps = timeline.stepCount
        stepsPerYear = timeline.stepsPerYear
        years = (steps + stepsPerYear - 1) / stepsPerYear
        let recorded = Flow.recorded(in: model)
        flows = recorded
        flowSlot = Flow.allCases.map { recorded.firstIndex(of: $0.recordedAs) ?? -1 }
        yearEnds = (0..<years).map { y in timeline.end(ofStep: min(timeline.stepCount, (y + 1) * timeline.stepsPerYear)) }

        targetSteps = model.targets.map { timeline.step(at: $0.date) }
        targetWindows = model.targets.map { target in
            guard target.population != .officers else { return 0 }
            let last = timeline.step(at: target.date)
            // The first step whose end month is in or after the period's start.
            let first = max(1, (target.periodStart - timeline.start + timeline.monthsPerStep - 1) / timeline.monthsPerStep)
            return max(1, last - first + 1)
        }
        var report = Set([0, steps])
        report.formUnion(stride(from: 0, through: steps, by: stepsPerYear))
        for (target, step) in zip(model.targets, targetSteps) where target.population == .officers {
            report.insert(step)
        }
        reportSteps = report.sorted()

        let stepCount = timeline.stepCount
        var changes = Array(repeating: false, count: stepCount + 2)
        changes[1] = true
        func mark(_ month: Month) {
            // The first step beginning in or after `month`.
            let t = max(1, (month - timeline.start - 1 + timeline.monthsPerStep - 1) / timeline.monthsPerStep + 1)
            if t <= stepCount { changes[t] = true }
        }
        for dated in model.establishment.values { dated.changes.forEach(mark) }
        for intake in model.intakes {
            if case .perYear(let size) = intake.size { size.changes.forEach(mark) }
            intake.funnel?.applications.changes.forEach(mark)
            intake.ethnicity.changes.forEach(mark)
            intake.gender.changes.forEach(mark)
            for shares in intake.genderByEthnicity.values { shares.changes.forEach(mark) }
        }
        for intervention in model.interventions {
            mark(intervention.from)
            if let until = intervention.until { mark(until + 1) }
        }
        regimeChanges = changes

        var occurrences: [String: Int] = [:]
        parameterLabels = model.parameters.map { spec in
            occurrences[spec.streamPath, default: 0] += 1
            let n = occurrences[spec.streamPath]!
            return StreamKey.fnv1a(n == 1 ? spec.streamPath : "\(spec.streamPath)#\(n)")
        }
    }

    /// The simulation year a step belongs to.
    @inline(__always) func year(ofStep t: Int) -> Int { (t - 1) / stepsPerYear }

    // MARK: Record layout

    /// Counts recorded per replication: rank × group headcounts at each report step, then
    /// rank × group flows per year and recorded flow (`flows`).
    public var countsPerReplication: Int { reportSteps.count * ranks * groups + years * flows.count * ranks * groups }

    /// Offset of a headcount in a replication's record.
    public func headcountIndex(report: Int, rank: Int, group: Int) -> Int {
        (report * ranks + rank) * groups + group
    }

    /// Offset of a flow count in a replication's record; `flow` must be recorded by this plan
    /// (`flows` holds it, or the flow it is recorded as).
    public func flowIndex(year: Int, flow: Flow, rank: Int, group: Int) -> Int {
        let slot = flowSlot[flow.rawValue]
        precondition(slot >= 0, "\(flow.name) is not recorded for this model")
        return reportSteps.count * ranks * groups + ((year * flows.count + slot) * ranks + rank) * groups + group
    }

    /// The month of a report step.
    public func month(ofStep t: Int) -> Month { model.timeline.end(ofStep: t) }
}
