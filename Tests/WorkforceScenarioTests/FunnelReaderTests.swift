import Testing
import Workforce
import WorkforceScenario

/// Reading a recruitment funnel and `stage_pass` interventions, and what is reported when they
/// are wrong (file:line:column: field path: what was wrong; what was expected).
@Suite struct FunnelReaderTests {
    static let intake = """
          - size: {per_year: 20}
            ethnicity: {White: rest, Black: 0.2}
            gender: {Female: 0.5, Male: 0.5}

        """

    /// `Fixtures.small` with its intake replaced by `recruitment` (written from column 0, the
    /// intake's lines indented by two) and `interventions` appended.
    static func scenario(_ recruitment: String, interventions: String = "") -> String {
        Fixtures.small(replacing: intake, with: recruitment + interventions)
    }

    static let funnel = """
          - ethnicity: {White: rest, Black: 0.35}
            gender: {Female: 0.4, Male: 0.6}
            funnel:
              applications_per_year: [{from: 2024-01, value: 400}, {from: 2025-01, value: 500}]
              stages:
                - {name: sift, pass: 0.6}
                - name: written
                  pass: 0.5
                  by_group:
                    - {ethnicities: Minority, pass: 0.25}

        """

    @Test func readsAFunnel() throws {
        let model = try Fixtures.load(Self.scenario(Self.funnel, interventions: """
            interventions:
              - {name: Workshops, from: 2025-04, ethnicities: Black, stage_pass: {stage: written, factor: 1.15}}

            """)).model
        let intake = model.intakes[0]
        guard case .allWhoPass = intake.size else {
            Issue.record("an intake with a funnel and no size takes everyone who passes, not \(intake.size)")
            return
        }
        let funnel = try #require(intake.funnel)
        #expect(funnel.stages.map(\.name) == ["sift", "written"])
        #expect(funnel.applications.entries.count == 2)
        #expect(funnel.stages[1].byGroup[0].selector.ethnicities == [false, true])
        #expect(model.parameters[funnel.stages[1].byGroup[0].pass.index].path == "recruitment[0].funnel.stages[1].by_group[0].pass")
        guard case .stagePass(let stage, let factor) = model.interventions[0].effect else {
            Issue.record("expected a stage_pass effect")
            return
        }
        #expect(stage == "written" && model.parameters[factor.index].distribution == .fixed(1.15))
        // Inputs in words.
        func label(_ path: String) -> String? { model.parameters.first { $0.path == path }?.label }
        #expect(label("recruitment[0].funnel.applications_per_year[1].value")?.hasPrefix("Applications a year for recruits into Constable") == true)
        #expect(label("recruitment[0].funnel.stages[1].by_group[0].pass") == "written pass rate of Minority applicants for recruits into Constable")
        #expect(label("interventions[0].stage_pass.factor") == "Workshops: written pass rate multiplier")
        #expect(label("recruitment[0].ethnicity.Black") == "Black share of applicants for recruits into Constable")
        // The expected flow per period: 400 applicants, 35% Black, at 60% then 25%.
        let flows = FunnelFlow.expected(model)
        #expect(flows.map(\.from.description) == ["2024-02", "2025-01", "2025-04"])
        let black = model.dimensions.group(1, 0)
        #expect(abs(flows[0].passed[1][black] - 400 * 0.35 * 0.4 * 0.6 * 0.25) < 1e-9)
        #expect(abs(flows[2].rates[1][black] - 0.25 * 1.15) < 1e-12)
    }

    @Test func reportsEveryFunnelProblemAtOnce() {
        let text = Self.scenario("""
              - ethnicity: {White: rest, Black: 0.35}
                gender: {Female: 0.4, Male: 0.6}
                funnel:
                  applications_per_year: -5
                  stages:
                    - {name: sift, pass: 1.4}
                    - {name: sift, pass: 0.5, by_group: [{ranks: Sergeant, pass: 0.3}]}

            """, interventions: """
            interventions:
              - {name: Workshops, from: 2025-04, ethnicities: Black, stage_pass: {stage: assesment, factor: 1.15}}

            """)
        let problems = Fixtures.problems(text)
        #expect(problems.contains("t.yaml:33:30: recruitment[0].funnel.applications_per_year: -5 is negative; expected a number of applications per year from 0 to 2147483647"), "\(problems)")
        #expect(problems.contains("t.yaml:35:30: recruitment[0].funnel.stages[0].pass: 1.4 is outside 0...1; expected a pass rate between 0 and 1"), "\(problems)")
        #expect(problems.contains("t.yaml:36:18: recruitment[0].funnel.stages[1].name: duplicate stage name 'sift'; expected a name no other stage of this funnel has"), "\(problems)")
        #expect(problems.contains("t.yaml:36:47: recruitment[0].funnel.stages[1].by_group[0].ranks: unknown key 'ranks'; expected one of: ethnicities, genders, pass"), "\(problems)")
        #expect(problems.components(separatedBy: "\n").count == 4, "nothing else, and the misspelt stage is not judged while the funnel is faulty: \(problems)")
    }

    @Test func reportsAStagePassNamingNoStage() {
        let unknown = Fixtures.problems(Self.scenario(Self.funnel, interventions: """
            interventions:
              - {name: Workshops, from: 2025-04, ethnicities: Black, stage_pass: {stage: writen, factor: 1.15}}

            """))
        #expect(unknown.contains("interventions[0].stage_pass.stage: unknown funnel stage 'writen' (did you mean 'written'?); expected one of: sift, written"), "\(unknown)")
        let noFunnel = Fixtures.problems(Fixtures.small(replacing: "  Sergeant: [0.05, 0.04]\n", with: """
              Sergeant: [0.05, 0.04]
            interventions:
              - {name: Workshops, from: 2025-04, stage_pass: {stage: written, factor: 1.15}}

            """))
        #expect(noFunnel.contains("interventions[0].stage_pass.stage: stage_pass for ranks no intake with a funnel joins; expected ranks with a funnel: none (no intake has a funnel)"), "\(noFunnel)")
    }

    @Test func aFunnelNeedsStages() {
        let problems = Fixtures.problems(Self.scenario("""
              - size: fill
                ethnicity: {White: rest, Black: 0.35}
                gender: {Female: 0.4, Male: 0.6}
                funnel: {applications_per_year: 400, stages: []}

            """))
        #expect(problems.contains("recruitment[0].funnel.stages: found 0 stages; expected 1 to 20"), "\(problems)")
    }
}
