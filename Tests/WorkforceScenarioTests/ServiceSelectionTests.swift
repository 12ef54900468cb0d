import Testing
import Workforce
import WorkforceScenario

/// Leaving multipliers and leaving interventions that select years of service.
@Suite struct ServiceSelectionTests {
    @Test func multipliersAndInterventionsReadTheirServiceBand() throws {
        let text = Fixtures.small(replacing: "    Sergeant: [0.05, 0.04]\n", with: """
                Sergeant: [0.05, 0.04]
              multipliers:
                - {ethnicities: Minority, service: "0-1", factor: 2}
            interventions:
              - {name: Probation support, from: 2024-07, service: "0-1", leaving: 0.5}

            """)
        let model = try Fixtures.load(text).model
        #expect(model.leaving.multipliers[0].selector.service == 0...1)
        #expect(model.interventions[0].selector.service == 0...1)
    }

    @Test func serviceIsOnlyForLeaving() {
        let text = Fixtures.small(replacing: "    Sergeant: [0.05, 0.04]\n", with: """
                Sergeant: [0.05, 0.04]
            interventions:
              - {name: Workshops, from: 2024-07, ranks: Constable, service: "0-12", promotion_odds: 1.2}

            """)
        let problems = Fixtures.problems(text)
        #expect(problems.contains("interventions[0].service: service with an effect other than leaving or transfers_out; expected service only on leaving and transfers_out interventions"), "\(problems)")
        #expect(problems.contains("interventions[0].service:") && problems.contains("0-12"), "the band past max_service is reported too: \(problems)")
    }
}
