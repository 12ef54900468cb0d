import Foundation
import Testing
import _WorkforceTestSupport
@testable import Workforce

/// The yearly renormalisation of a share vector with a varying entry (YearToYear.swift).
struct ShareVariationTests {
    /// The variation of `model` (whose parameters are all fixed) positioned at a replication, and
    /// the parameters' values.
    static func start(_ model: Model, master: UInt64, replication: Int) throws -> (YearlyVariation, [Double]) {
        let variation = YearlyVariation(model)
        try variation.start(master: master, replication: replication)
        return (variation, model.parameters.map { spec -> Double in
            guard case .fixed(let x) = spec.distribution else { return .nan }
            return x
        })
    }

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
        let (variation, base) = try Self.start(b.model(leaving: leaving, intakes: [intake]), master: 3, replication: 0)
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
    /// The gender shares by ethnicity of one intake move by one common shock: each year every
    /// ethnicity's women's log ratio to men moves by `σ_e z_t` with the same `z_t` (here σ 0.3 and
    /// 0.6, so the second moves twice as far), while the intake's own gender vector moves apart.
    @Test func genderSharesByEthnicityMoveTogether() throws {
        var b = ModelBuilder(ethnicities: ["A", "B"], genders: ["F", "M"])
        let leaving = b.uniformLeaving(0)
        let byEthnicity = [b.shares([0.3, 0.7]), b.shares([0.5, 0.5])]
        let overall = b.shares([0.4, 0.6])
        func index(_ shares: Shares, _ k: Int) -> Int {
            guard case .value(let parameter) = shares.entries[k] else { return -1 }
            return parameter.index
        }
        b.parameters[index(byEthnicity[0], 0)].yearToYear = YearToYear(sd: 0.3)
        b.parameters[index(byEthnicity[1], 0)].yearToYear = YearToYear(sd: 0.6)
        b.parameters[index(overall, 0)].yearToYear = YearToYear(sd: 0.3)
        let intake = Intake(
            rank: 0, size: .perYear(Dated(constant: b.parameter(100))), ethnicity: Dated(constant: b.shares([0.5, 0.5])),
            gender: Dated(constant: overall), genderByEthnicity: [0: Dated(constant: byEthnicity[0]), 1: Dated(constant: byEthnicity[1])])
        let (variation, base) = try Self.start(b.model(leaving: leaving, intakes: [intake]), master: 5, replication: 2)
        var values = base
        func shift(_ shares: Shares) -> Double {
            let f = index(shares, 0), m = index(shares, 1)
            return log(values[f] / values[m]) - log(base[f] / base[m])
        }
        var apart = 0
        for year in 0..<6 {
            variation.advance(year: year, base: base, into: &values)
            let a = shift(byEthnicity[0]), b = shift(byEthnicity[1])
            #expect(a != 0 && abs(b - 2 * a) < 1e-9, "year \(year): \(a), \(b)")
            if abs(shift(overall) - a) > 1e-6 { apart += 1 }
        }
        #expect(apart == 6, "the intake's own gender vector has its own shock")
    }
}
