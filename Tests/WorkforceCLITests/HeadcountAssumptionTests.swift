import Foundation
import Testing
import Workforce
import WorkforceResults
import WorkforceScenario
import _WorkforceTestSupport

/// The headcount assumption: one line a board member understands, typed in manifest.json
/// (`headcount`), printed under every run's summary.
struct HeadcountAssumptionTests {
    static func assumption(_ establishment: String) throws -> HeadcountAssumption {
        let text = """
            dimensions: {ranks: [PC, Sgt], ethnicities: [White], genders: [Male], max_service: 40}
            simulation: {start: 2020-03, horizon: 2029-03, step: year}
            initial: {ranks: {PC: {headcount: 1000, ethnicity: {White: 1}, gender: {Male: 1}, service: {"0-9": 1}},
                              Sgt: {headcount: 200, ethnicity: {White: 1}, gender: {Male: 1}, service: {"10-19": 1}}}}
            leaving: {bands: ["0+"], rates: {PC: [0.05], Sgt: [0.05]}}
            \(establishment)
            recruitment: [{size: {per_year: 50}, ethnicity: {White: 1}, gender: {Male: 1}}]
            """
        return HeadcountAssumption(try ScenarioLoader.parse(text: text, file: "h.yaml", directory: "").model)
    }

    @Test func eachKindIsSaid() throws {
        let none = try Self.assumption("")
        #expect(none.kind == .notPlanned && none.planned == nil)
        #expect(none.sentence == "No planned establishment: officer numbers follow recruitment and leaving as set out.")

        let fixed = try Self.assumption("establishment: {PC: 1000, Sgt: [{from: 2020-03, value: 200}, {from: 2025-04, value: 250}]}")
        #expect(fixed.kind == .fixed && fixed.planned == 1250 && fixed.low == nil)
        #expect(fixed.sentence == "Officer numbers are held at the planned establishment, 1,250 by Mar 2029, exactly: no uncertainty about the budget is modelled.")

        // A scale drawn once, normal sd 0.05: log sd 0.05, so 90% within exp(±1.645 × 0.05 − 0.05²/2).
        let once = try Self.assumption("establishment: {scale: {normal: [1, 0.05]}, PC: 1000, Sgt: 200}")
        #expect(once.kind == .uncertain)
        #expect(abs(once.low! - 1200 * exp(-1.6448536269514722 * 0.05 - 0.00125)) < 1e-6, "\(once.low!)")
        #expect(once.sentence.hasSuffix("with budget uncertainty that does not grow with time: 90% between 1,104 and 1,301."), "\(once.sentence)")

        // Drift 0.02 a year: the horizon is in simulation year 8 (Mar 2028 – Mar 2029), so the log sd is 0.02 √8.
        let path = try Self.assumption("establishment: {scale: {value: 1, drift: 0.02}, PC: 1000, Sgt: 200}")
        let sd = 0.02 * 8.0.squareRoot()
        #expect(path.kind == .growingUncertainty && path.driftPerYear == 0.02)
        #expect(abs(path.high! - 1200 * exp(1.6448536269514722 * sd - sd * sd / 2)) < 1e-6, "\(path.high!)")
        #expect(path.sentence == "Officer numbers follow the planned establishment, 1,200 by Mar 2029, with budget uncertainty that grows each year: 90% between 1,092 and 1,315 by then.", "\(path.sentence)")
    }

    /// The run writes it into manifest.json and prints its sentence; a shipped Met scenario says its
    /// establishment is a path with growing uncertainty.
    @Test func theRunWritesAndPrintsIt() throws {
        let out = try CLI.temporaryFolder()
        let outcome = try CLI.run(["run", "Scenarios/met-action-plan.yaml", "--replications", "2", "--no-bounds", "--quiet", "--out", out.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("\n  headcount: Officer numbers follow the planned establishment, 36,123 by Dec 2030, with budget uncertainty that grows each year: 90% between "), "\(outcome.stdout)")
        let text = try CLI.read(out.appendingPathComponent("met-action-plan/manifest.json"))
        let manifest = try ResultJSON.decode(RunManifest.self, text, file: "manifest.json")
        #expect(manifest.headcount?.kind == .growingUncertainty)
        #expect(manifest.headcount?.driftPerYear == 0.026)
        #expect(outcome.stdout.contains(manifest.headcount!.sentence))
    }
}
