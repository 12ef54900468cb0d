import Testing
import Workforce
import WorkforceScenario

/// Leaving overrides, intakes and interventions as they reach the model.
struct FlowTests {
    private static let withOverride = Fixtures.small(
        replacing: "    Sergeant: [0.05, 0.04]\n",
        with: """
                Sergeant: [0.05, 0.04]
              overrides:
                - ranks: Sergeant
                  genders: Female
                  rates: {Sergeant: [0.2, {normal: [0.1, 0.05]}]}

            """)

    @Test func leavingOverrideKeepsBaseRatesForRanksItDoesNotSelect() throws {
        let model = try Fixtures.load(Self.withOverride).model
        let override = try #require(model.leaving.overrides.first)
        #expect(override.selector.ranks == [false, true])
        #expect(override.selector.genders == [true, false])
        #expect(override.rates[0] == model.leaving.rates[0])
        let paths = override.rates[1].map { model.parameters[$0.index].path }
        #expect(paths == ["leaving.overrides[0].rates.Sergeant[0]", "leaving.overrides[0].rates.Sergeant[1]"])
        #expect(model.parameters[override.rates[1][1].index].distribution == .normal(mean: 0.1, sd: 0.05))
    }

    @Test func leavingOverrideMayNotGiveRanksItDoesNotSelect() {
        let text = Self.withOverride.replacingOccurrences(
            of: "rates: {Sergeant:", with: "rates: {Constable: [0.1, 0.1], Sergeant:")
        #expect(Fixtures.problems(text) == """
            t.yaml:28:15: leaving.overrides[0].rates.Constable: 'Constable' is not among the ranks this override selects; expected rates for: Sergeant
            """)
    }

    @Test func genderByEthnicityExpandsAggregates() throws {
        let text = Fixtures.small(
            replacing: "    gender: {Female: 0.5, Male: 0.5}\n",
            with: """
                    gender: {Female: 0.5, Male: 0.5}
                    gender_by_ethnicity: {Minority: [{from: 2024-01, shares: {Female: 0.6, Male: rest}}]}

                """)
        let intake = try #require(try Fixtures.load(text).model.intakes.first)
        #expect(intake.genderByEthnicity.keys.sorted() == [1])
        #expect(intake.genderByEthnicity[1]?.entries.first?.value.entries.last == .rest)
    }

    @Test func interventions() throws {
        let text = Fixtures.small + """
            interventions:
              - name: Fairer promotion
                from: 2024-04
                until: 2025-03
                ranks: Constable
                ethnicities: Minority
                promotion_odds: 1.5
              - name: Diverse intake
                from: 2025-01
                ranks: Constable
                intake_shares: {gender: {Female: 0.6, Male: 0.4}}

            """
        let model = try Fixtures.load(text).model
        #expect(model.interventions.map(\.name) == ["Fairer promotion", "Diverse intake"])
        let first = model.interventions[0]
        #expect(first.until == Month(year: 2025, month: 3))
        #expect(first.selector == Selector(ranks: [true, false], ethnicities: [false, true], genders: [true, true]))
        guard case .promotionOdds(let factor) = first.effect else {
            Issue.record("expected promotion odds")
            return
        }
        #expect(model.parameters[factor.index] == ParameterSpec(
            path: "interventions[0].promotion_odds", distribution: .fixed(1.5), range: 0...Double.greatestFiniteMagnitude,
            label: "Fairer promotion: promotion odds"))
        guard case .intakeShares(let ethnicity, let gender) = model.interventions[1].effect else {
            Issue.record("expected intake shares")
            return
        }
        #expect(ethnicity == nil)
        #expect(gender?.entries.count == 2)
        #expect(model.interventions[1].until == nil)
    }

    @Test func intakeSharesNeedARankThatRecruits() {
        let text = Fixtures.small + """
            interventions:
              - name: Nobody joins here
                from: 2025-01
                ranks: Sergeant
                intake_shares: {gender: {Female: 0.6, Male: 0.4}}

            """
        #expect(Fixtures.problems(text) == """
            t.yaml:40:5: interventions[0]: intake_shares for ranks no intake joins; expected ranks with an intake: Constable
            """)
    }

    @Test func fillNeedsAnEstablishmentAndVacancyPromotionUsesIt() throws {
        let fill = Fixtures.small(replacing: "size: {per_year: 20}", with: "size: fill")
        guard case .fillToEstablishment? = try Fixtures.load(fill).model.intakes.first?.size else {
            Issue.record("expected a fill intake")
            return
        }
        let sergeants = fill.replacingOccurrences(of: "- size: fill", with: "- size: fill\n    rank: Sergeant")
        #expect(Fixtures.problems(sergeants) == """
            t.yaml:30:11: recruitment[0].size: size: fill needs an establishment for Sergeant; expected establishment.Sergeant, or {per_year: n}
            """)
    }
}
