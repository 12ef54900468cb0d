import Testing
import Workforce
import WorkforceScenario

/// Reading promotion by pass rate and `promotion_pass` interventions.
@Suite struct PassRateReaderTests {
    static func scenario(_ rule: String, interventions: String = "") -> String {
        Fixtures.small(replacing: "  Sergeant: {by: rate, rate: 0.1, min_service: 3}\n", with: rule + interventions)
            .replacingOccurrences(of: "  Constable: [{from: 2024-01, value: 100}, {from: 2025-01, value: 110}]\n",
                                  with: "  Constable: [{from: 2024-01, value: 100}, {from: 2025-01, value: 110}]\n  Sergeant: 20\n")
    }

    @Test func readsPassRatePromotionAndTheWorkshopsInOneLine() throws {
        let model = try Fixtures.load(Self.scenario("""
              Sergeant:
                by: pass_rate
                apply: 0.3
                pass: 0.7
                pass_by_group: [{ethnicities: Black, pass: 0.68}]
                min_service: 3

            """, interventions: """
            interventions:
              - {name: Positive action workshops, from: 2025-01, ranks: Constable, ethnicities: Black, promotion_pass: 0.75}

            """)).model
        guard case .passRate(let apply, let pass, let byGroup) = model.promotion[1]?.mode else {
            Issue.record("expected promotion by pass rate")
            return
        }
        #expect(model.parameters[apply.index].distribution == .fixed(0.3) && model.parameters[pass.index].distribution == .fixed(0.7))
        #expect(byGroup.count == 1 && model.parameters[byGroup[0].pass.index].path == "promotion.Sergeant.pass_by_group[0].pass")
        guard case .promotionPass(let rate) = model.interventions[0].effect else {
            Issue.record("expected a promotion_pass effect")
            return
        }
        #expect(model.parameters[rate.index].distribution == .fixed(0.75))
    }

    @Test func reportsEveryProblemAtOnce() {
        let problems = Fixtures.problems(Self.scenario("""
              Sergeant: {by: pass_rate, apply: 1.3, rate: 0.1}

            """, interventions: """
            interventions:
              - {name: Workshops, from: 2025-01, ranks: Sergeant, promotion_pass: 0.75}

            """))
        #expect(problems.contains("promotion.Sergeant.rate: rate with by: pass_rate; expected rate only with by: rate"), "\(problems)")
        // Sergeant's rule is invalid, so who is promoted by pass rate is not known: no second, misleading problem (issue 20, case 10).
        #expect(!problems.contains("promotion_pass"), "\(problems)")
        let wrongRank = Fixtures.problems(Self.scenario("""
              Sergeant: {by: pass_rate, apply: 0.3, pass: 0.7}

            """, interventions: """
            interventions:
              - {name: Workshops, from: 2025-01, ranks: Sergeant, promotion_pass: 0.75}

            """))
        #expect(wrongRank.contains("interventions[0].promotion_pass: promotion_pass for ranks no one is promoted from by pass rate; expected ranks promoted from by: pass_rate: Constable"), "\(wrongRank)")
        let missing = Fixtures.problems(Self.scenario("""
              Sergeant: {by: pass_rate, apply: 1.3}

            """))
        #expect(missing.contains("promotion.Sergeant.apply: 1.3 is outside 0...1; expected an annual probability between 0 and 1"), "\(missing)")
        #expect(missing.contains("promotion.Sergeant.pass: missing; expected a pass rate between 0 and 1"), "\(missing)")
        let noEstablishment = Fixtures.problems(Fixtures.small(
            replacing: "  Sergeant: {by: rate, rate: 0.1, min_service: 3}\n", with: "  Sergeant: {by: pass_rate, apply: 0.3, pass: 0.7}\n"))
        #expect(noEstablishment.contains("promotion.Sergeant.by: promotion by pass rate needs an establishment for Sergeant; expected establishment.Sergeant, or by: rate"), "\(noEstablishment)")
    }
}
