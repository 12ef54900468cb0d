import Foundation
import Testing
import Workforce
import _WorkforceTestSupport

/// "First met": the first date from which the measure meets its threshold and keeps meeting it to
/// the target's date (or the horizon); periods aligned to a recruit target's own.
@Suite struct FirstMetTests {
    /// One rank of 10,000 whose minority share falls from 30% as everyone recruited is majority:
    /// share_t = 0.3 (1 − w)^t in expected-value mode, yearly steps.
    static func declining(_ comparison: Target.Comparison, _ threshold: Double, years: Int = 8, date: Int) throws -> Int? {
        var b = ModelBuilder(years: years)
        b.set(rank: 0, ethnicity: 0, service: 5, 7_000)
        b.set(rank: 0, ethnicity: 1, service: 5, 3_000)
        let leaving = b.uniformLeaving(0.1)
        let size = b.parameter(1_000)
        let intake = Intake(rank: 0, size: .perYear(Dated(constant: size)), ethnicity: Dated(constant: b.shares([1, 0])), gender: Dated(constant: b.shares([1])))
        let target = Target(
            name: "t", population: .officers, ranks: [true], group: b.selector(ethnicities: [1]), groupName: GroupName(ethnicity: "Minority"),
            comparison: comparison, threshold: threshold, date: b.timeline.start + 12 * date)
        let result = try Engine.run(b.model(leaving: leaving, intakes: [intake], targets: [target]), .init(replications: 1, seed: 1, expected: true))
        return result.firstMet(replication: 0, target: 0)
    }

    /// Met at the start but not at the date (nor after): never first met (it used to be step 0).
    @Test func metAtTheStartOnlyIsNotFirstMet() throws {
        #expect(try Self.declining(.atLeast, 0.25, date: 8) == nil)
        // Met at the start and kept to the date: first met at the start.
        #expect(try Self.declining(.atLeast, 0.25, date: 1) == 0)
    }

    /// Falling share, "at most 20%": first met at the first year with 0.3 · 0.9^t ≤ 0.2, t = 4.
    @Test func firstMetIsTheStartOfTheKeptRun() throws {
        #expect(0.3 * pow(0.9, 3) > 0.2 && 0.3 * pow(0.9, 4) <= 0.2)
        #expect(try Self.declining(.atMost, 0.2, date: 8) == 4)
        // Dated before it is reached: first met after the date, kept to the horizon.
        #expect(try Self.declining(.atMost, 0.2, date: 2) == 4)
    }

    /// Recruits 60% minority in years 1–2 and 5–6, 40% in years 3–4; target "at least 50%" over
    /// year 3: not met at its date; first met at the end of year 5 (step 60), where the run that
    /// lasts to the horizon starts, not in year 1 (a rolling window would have said month 12).
    @Test func recruitTargetsUseAlignedPeriods() throws {
        var b = ModelBuilder(years: 6, step: .month)
        b.set(rank: 0, ethnicity: 0, service: 5, 1_000)
        let leaving = b.uniformLeaving(0)
        let size = b.parameter(120)
        let high = b.shares([0.4, 0.6]), low = b.shares([0.6, 0.4])
        let start = b.timeline.start
        // A dated value holds for steps beginning in or after its month; step t begins in start + t.
        let ethnicity = Dated([(from: start + 1, value: high), (from: start + 25, value: low), (from: start + 49, value: high)])
        let intake = Intake(rank: 0, size: .perYear(Dated(constant: size)), ethnicity: ethnicity, gender: Dated(constant: b.shares([1])))
        let target = Target(
            name: "r", population: .recruits, ranks: [true], group: b.selector(ethnicities: [1]), groupName: GroupName(ethnicity: "Minority"),
            comparison: .atLeast, threshold: 0.5, date: start + 36, periodStart: start + 25)
        let result = try Engine.run(b.model(leaving: leaving, intakes: [intake], targets: [target]), .init(replications: 1, seed: 1, expected: true))
        #expect(abs(result.targetValue(replication: 0, target: 0) - 0.4) < 1e-12)
        #expect(result.firstMet(replication: 0, target: 0) == 60)
    }
}
