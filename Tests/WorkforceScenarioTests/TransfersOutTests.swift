import Foundation
import Testing
import Workforce
import WorkforceScenario
import _WorkforceTestSupport

/// `transfers_out` in a scenario: read like `leaving`, with its own interventions, and adding a
/// zero rate changes nothing.
@Suite struct TransfersOutTests {
    /// Scenarios/example.yaml run on the code before transfers existed (commit f1c05ee): Monte
    /// Carlo, 60 replications, seed 20211201, 2 threads; and expected-value mode. Re-pinned for
    /// issue 19, whose "first met" (kept for a year after the date, not to the horizon) changes the
    /// first-met steps the fingerprint includes and nothing else: example.yaml's projections.csv,
    /// flows.csv and targets.csv but its first-met columns are byte for byte those of commit 8ca91a8.
    static let exampleFingerprint: UInt64 = 2_312_440_716_494_597_761
    static let exampleExpectedFingerprint: UInt64 = 13_567_841_465_547_971_139

    static let examplePath = Fixtures.packageRoot + "/Scenarios/example.yaml"

    /// example.yaml with `section` added before `establishment:` and `interventions` after its
    /// own (appended, so the scenario's interventions keep their field paths and draws).
    static func example(adding section: String, interventions: String = "") throws -> Model {
        var text = try String(contentsOfFile: examplePath, encoding: .utf8)
        text = text.replacingOccurrences(of: "\nestablishment:", with: "\n" + section + "\nestablishment:")
        text = text.replacingOccurrences(of: "\ntargets:\n", with: "\n" + interventions + "targets:\n")
        return try ScenarioLoader.parse(text: text, file: "example.yaml", directory: Fixtures.packageRoot + "/Scenarios").model
    }

    static let zeroTransfers = """
        transfers_out:
          bands: ["0-1", "2+"]
          rates:
            Constable: [0, 0]
            Sergeant: [0, 0]
            Inspector: [0, 0]
          multipliers:
            - {ethnicities: BAME, service: "0-4", factor: 1.5}
        """

    static let zeroTransferIntervention = """
          - name: Transfer bonus
            from: 2024-04
            service: "0-1"
            transfers_out: 2

        """

    @Test func exampleIsAsBefore() throws {
        let model = try ScenarioLoader.load(path: Self.examplePath).model
        #expect(model.transfersOut == nil)
        #expect(try Engine.run(model, .init(replications: 60, seed: 20211201, threads: 2)).fingerprint == Self.exampleFingerprint)
        #expect(try Engine.run(model, .init(replications: 1, seed: 1, expected: true)).fingerprint == Self.exampleExpectedFingerprint)
    }

    @Test func zeroTransfersLeaveExampleBitIdentical() throws {
        let model = try Self.example(adding: Self.zeroTransfers, interventions: Self.zeroTransferIntervention)
        #expect(model.transfersOut?.bands == [0...1, 2...34])
        #expect(model.interventions.contains { if case .transfersOut = $0.effect { $0.selector.service == 0...1 } else { false } })
        #expect(try Engine.run(model, .init(replications: 60, seed: 20211201, threads: 2)).fingerprint == Self.exampleFingerprint)
        #expect(try Engine.run(model, .init(replications: 1, seed: 1, expected: true)).fingerprint == Self.exampleExpectedFingerprint)
    }

    /// A dated intervention with factor 0 stops transfers from its month, and only transfers:
    /// 5% a year of 1,000 constables transfer in the first year and none after 2023-01.
    @Test func datedInterventionsActOnTransfers() throws {
        let text = """
            dimensions: {ranks: [PC], ethnicities: [White, Black], genders: [Male], max_service: 40}
            simulation: {start: 2022-01, horizon: 2024-01, step: month, replications: 200, seed: 3}
            initial: {ranks: {PC: {headcount: 1000, ethnicity: {White: 0.5, Black: 0.5}, gender: {Male: 1}, service: {"0-9": 1}}}}
            leaving: {bands: ["0+"], rates: {PC: [0.05]}}
            transfers_out:
              bands: ["0+"]
              rates: {PC: [0.05]}
              overrides: [{ethnicities: Black, rates: {PC: [0.1]}}]
            interventions:
              - {name: Stop transfers, from: 2023-02, transfers_out: 0}
            """
        let model = try Fixtures.load(text).model
        let result = try Engine.run(model, .init(model))
        let plan = result.plan
        func mean(_ flow: Flow, year: Int, group: Int) -> Double {
            (0..<result.replications).reduce(0) { $0 + result.count(replication: $1, plan.flowIndex(year: year, flow: flow, rank: 0, group: group)) }
                / Double(result.replications)
        }
        #expect(mean(.transfersOut, year: 0, group: 0) > 15 && mean(.transfersOut, year: 0, group: 1) > 2 * 15)
        #expect(mean(.transfersOut, year: 1, group: 0) == 0 && mean(.transfersOut, year: 1, group: 1) == 0)
        #expect(mean(.leavers, year: 1, group: 0) > 15)
    }

    /// Bad transfer fields are reported all at once, each at its file:line:column and path.
    @Test func badTransferFieldsAreReportedWhereTheyAre() {
        let text = Fixtures.small(replacing: "    Sergeant: [0.05, 0.04]\n", with: """
                Sergeant: [0.05, 0.04]
            transfers_out:
              bands: ["0-4", "5-9"]
              rates:
                Constable: [0.1, 1.5]
              multipliers:
                - {ethnicities: Purple, factor: 2}
              colour: blue
            interventions:
              - {name: Bonus, from: 2024-07, service: "0-1", transfers_out: -1}

            """)
        let problems = Fixtures.problems(text)
        #expect(problems.contains("t.yaml:28:22: transfers_out.rates.Constable[1]: 1.5 is outside 0...1; expected an annual probability between 0 and 1"), "\(problems)")
        #expect(problems.contains("t.yaml:28:5: transfers_out.rates.Sergeant: missing; expected a list of 2 annual probabilities, one per band"), "\(problems)")
        #expect(problems.contains("t.yaml:30:21: transfers_out.multipliers[0].ethnicities: unknown ethnicity 'Purple'"), "\(problems)")
        #expect(problems.contains("t.yaml:31:3: transfers_out.colour: unknown key 'colour'; expected one of: bands, rates, multipliers, overrides"), "\(problems)")
        #expect(problems.contains("t.yaml:33:65: interventions[0].transfers_out: -1 is negative; expected a factor ≥ 0"), "\(problems)")
        #expect(!problems.contains("interventions[0].service"), "service may select transfers: \(problems)")
    }
}
