import Foundation
import Testing
import _WorkforceTestSupport
@testable import Workforce

/// The yearly renormalisation of a share vector with a varying entry (YearToYear.swift).
struct ShareVariationTests {
    /// Shares 0.6, 0.3 (σ = 0.5), 0.1, no rest: each year the three values sum to 1 and the
    /// fixed entries keep their ratio 6 : 1, while the varying one's log ratio to them moves.
    @Test func varyingSharesSumToOne() throws {
        var b = ModelBuilder(ethnicities: ["A", "B", "C"])
        let leaving = b.uniformLeaving(0)
        let shares = b.shares([0.6, 0.3, 0.1])
        let p = shares.entries.map { entry -> Int in
            guard case .value(let parameter) = entry else { Issue.record("a value entry"); return 0 }
            return parameter.index
        }
        b.parameters[p[1]].yearToYear = YearToYear(sd: 0.5)
        let size = b.parameter(100)
        let intake = Intake(rank: 0, size: .perYear(Dated(constant: size)), ethnicity: Dated(constant: shares), gender: Dated(constant: b.shares([1])))
        let model = b.model(leaving: leaving, intakes: [intake])
        let variation = YearlyVariation(model)
        try variation.start(master: 3, replication: 0)
        let base = model.parameters.map { spec -> Double in
            guard case .fixed(let x) = spec.distribution else { return .nan }
            return x
        }
        var values = base
        var ratios = Set<Double>()
        for year in 0..<5 {
            variation.advance(year: year, base: base, into: &values)
            #expect(abs(values[p[0]] + values[p[1]] + values[p[2]] - 1) < 1e-12, "year \(year)")
            #expect(abs(values[p[0]] / values[p[2]] - 6) < 1e-9, "year \(year)")
            ratios.insert(values[p[1]] / values[p[2]])
        }
        #expect(ratios.count == 5, "the varying share moves every year")
        #expect(values[size.index] == base[size.index], "the intake size does not vary")
    }
}
