import Testing
import Workforce
import _WorkforceTestSupport

/// A leaving multiplier on years of service 0-1 doubles leaving there and nowhere else, inside
/// one leaving band (the band is split at the selection's edges).
@Suite struct ServiceSelectionEngineTests {
    @Test func probationMultiplierActsOnlyOnItsYears() throws {
        var b = ModelBuilder(maxService: 20, years: 1)
        for s in [0, 1, 2, 5] { b.set(rank: 0, ethnicity: 1, service: s, 1000) }
        b.set(rank: 0, ethnicity: 0, service: 0, 1000)
        var leaving = b.uniformLeaving(0.1)
        var probation = b.selector(ethnicities: [1])
        probation.service = 0...1
        leaving.multipliers.append(Leaving.Multiplier(selector: probation, factor: b.parameter(2)))
        let run = try Engine.run(b.model(leaving: leaving), .init(replications: 1, seed: 1, expected: true))
        // After one yearly step everyone has aged a year: stock at s+1 = stock at s × (1 − rate).
        let d = b.dimensions
        let minority = run.headcount(0, step: 1, rank: 0, group: d.group(1, 0))
        let majority = run.headcount(0, step: 1, rank: 0, group: d.group(0, 0))
        // Minority: years 0 and 1 leave at 20%, years 2 and 5 at 10%.
        #expect(abs(minority - (2 * 800 + 2 * 900)) < 1e-9, "\(minority)")
        // Majority (not selected): 10%.
        #expect(abs(majority - 900) < 1e-9, "\(majority)")
    }
}
