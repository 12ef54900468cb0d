import Workforce
import Yams

extension Quantity {
    static let applicationsPerYear = Quantity(
        range: 0...Double(Limits.officers), expected: "a number of applications per year from 0 to \(Limits.officers)")
    static let passRate = Quantity(
        range: 0...1, expected: "a pass rate between 0 and 1 (the share of applicants reaching the stage who pass it)")
}

extension ScenarioReader {
    /// Reads an intake's `funnel: {applications_per_year, stages: [{name, pass, by_group?}]}`.
    mutating func readFunnel(_ node: Node, _ path: FieldPath, _ dimensions: Dimensions) -> Funnel? {
        guard let record = record(node, path, expected: "a mapping with applications_per_year and stages",
                                  keys: ["applications_per_year", "stages"])
        else { return nil }
        let applications = required(record, "applications_per_year", expected: Quantity.applicationsPerYear.expected)
            .flatMap { dated($0, record.path("applications_per_year"), valueKey: "value", expected: Quantity.applicationsPerYear.expected) {
                $0.parameter($1, $2, .applicationsPerYear)
            } }
        let stagesExpected = "a list of 1 to \(Limits.funnelStages) stages {name, pass, by_group?}"
        guard let stagesNode = required(record, "stages", expected: stagesExpected),
              let items = list(stagesNode, record.path("stages"), expected: stagesExpected)
        else { return nil }
        let maxStages = min(Limits.funnelStages, Limits.funnelStreams / max(1, dimensions.groupCount))
        guard (1...max(1, maxStages)).contains(items.count) else {
            report("found \(items.count) stages; expected 1 to \(maxStages) (at most \(Limits.funnelStages), and stages × "
                   + "\(dimensions.groupCount) groups at most \(Limits.funnelStreams), one random stream each)",
                   at: stagesNode, record.path("stages"))
            return nil
        }
        var stages: [Funnel.Stage] = []
        var names = Set<String>()
        for (j, item) in items.enumerated() {
            let stagePath = record.path("stages").index(j)
            guard let stage = self.record(item, stagePath, expected: "a mapping with name, pass and optional by_group",
                                          keys: ["name", "pass", "by_group"])
            else { continue }
            var name: String?
            if let node = required(stage, "name", expected: "the stage's name, unique in the funnel") {
                name = text(node, stage.path("name"), expected: "the stage's name, unique in the funnel")
                if let given = name, !names.insert(given).inserted {
                    report("duplicate stage name '\(given)'; expected a name no other stage of this funnel has", at: node, stage.path("name"))
                    name = nil
                }
            }
            let pass = required(stage, "pass", expected: Quantity.passRate.expected)
                .flatMap { parameter($0, stage.path("pass"), .passRate) }
            let byGroup = stage["by_group"].map { groupRates($0, stage.path("by_group"), dimensions) } ?? []
            if let name, let pass, let byGroup { stages.append(Funnel.Stage(name: name, pass: pass, byGroup: byGroup)) }
        }
        guard let applications, stages.count == items.count else { return nil }
        return Funnel(applications: applications, stages: stages)
    }

    /// Reads a funnel stage's `by_group` or a promotion's `pass_by_group`: a list of
    /// `{ethnicities?, genders?, pass}`.
    mutating func groupRates(_ node: Node, _ path: FieldPath, _ dimensions: Dimensions) -> [Funnel.GroupRate]? {
        let expected = "{ethnicities?, genders?, pass}"
        guard let items = list(node, path, expected: "a list of \(expected) entries") else { return nil }
        var rates: [Funnel.GroupRate] = []
        for (i, item) in items.enumerated() {
            guard let record = record(item, path.index(i), expected: expected, keys: ["ethnicities", "genders", "pass"]) else { continue }
            let selector = selector(record, dimensions)
            let pass = required(record, "pass", expected: Quantity.passRate.expected)
                .flatMap { parameter($0, record.path("pass"), .passRate) }
            if let selector, let pass { rates.append(Funnel.GroupRate(selector: selector, pass: pass)) }
        }
        return rates.count == items.count ? rates : nil
    }

    /// Reads `stage_pass: {stage, factor}`. `stages`, when known, are the funnel stage names of
    /// each rank's intakes: the stage must be one of those of a rank the intervention selects.
    mutating func stagePass(
        _ node: Node, _ path: FieldPath, selector: Selector?, stages: [Int: [String]]?, _ dimensions: Dimensions
    ) -> Intervention.Effect? {
        guard let record = record(node, path, expected: "a mapping with stage and factor", keys: ["stage", "factor"]) else { return nil }
        let factor = required(record, "factor", expected: Quantity.factor.expected)
            .flatMap { parameter($0, record.path("factor"), .factor) }
        guard let stageNode = required(record, "stage", expected: "the name of a funnel stage"),
              let stage = text(stageNode, record.path("stage"), expected: "the name of a funnel stage")
        else { return nil }
        if let stages, let selector {
            let known = stages.filter { selector.ranks[$0.key] }.sorted { $0.key < $1.key }.flatMap(\.value)
            if known.isEmpty {
                report("stage_pass for ranks no intake with a funnel joins; expected ranks with a funnel: "
                       + (stages.isEmpty ? "none (no intake has a funnel)" : stages.keys.sorted().map { dimensions.ranks[$0] }.joined(separator: ", ")),
                       at: stageNode, record.path("stage"))
                return nil
            }
            if !known.contains(stage) {
                report(Self.unknown("funnel stage", stage, known), at: stageNode, record.path("stage"))
                return nil
            }
        }
        return factor.map { .stagePass(stage: stage, factor: $0) }
    }
}
