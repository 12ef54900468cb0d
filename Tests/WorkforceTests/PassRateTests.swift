import Testing
import Workforce
import _WorkforceTestSupport

/// Promotion by pass rate: eligible officers apply, pass at rates by group, and fill vacancies
/// (docs/engine.md, step 2).
@Suite struct PassRateTests {
    /// 8,000 Majority and 2,000 Minority constables (5 years' service), 1,000 sergeants, no leaving,
    /// no recruits, yearly steps. Promotion into Sergeant by pass rate: 30% of the eligible apply a
    /// year, 70% of Majority and `minorityPass` of Minority applicants pass; `vacancies` the first
    /// year. Optionally a promotion odds factor for Minority, and from the second year a
    /// `promotion_pass` intervention setting Minority constables' pass rate.
    static func model(
        vacancies: Int, minorityPass: Double = 0.5, minorityOdds: Double? = nil, workshops: Double? = nil, replications: Int = 1
    ) -> Model {
        var b = ModelBuilder(ranks: ["Constable", "Sergeant"], maxService: 20, years: 2, replications: replications, seed: 2)
        b.set(rank: 0, ethnicity: 0, service: 5, 8000)
        b.set(rank: 0, ethnicity: 1, service: 5, 2000)
        b.set(rank: 1, ethnicity: 0, service: 10, 1000)
        let leaving = b.uniformLeaving(0)
        let minority = b.selector(ethnicities: [1])
        let rule = Promotion(
            mode: .passRate(apply: b.parameter(0.3), pass: b.parameter(0.7), byGroup: [Funnel.GroupRate(selector: minority, pass: b.parameter(minorityPass))]),
            minService: 2, odds: minorityOdds.map { [Leaving.Multiplier(selector: minority, factor: b.parameter($0))] } ?? [])
        let establishment = b.parameter(Double(1000 + vacancies))
        let interventions = workshops.map {
            [Intervention(
                name: "Positive action workshops", from: b.timeline.start + 12, selector: b.selector(ranks: [0], ethnicities: [1]),
                effect: .promotionPass(b.parameter($0)))]
        } ?? []
        return b.model(leaving: leaving, establishment: [1: Dated(constant: establishment)], promotion: [1: rule], interventions: interventions)
    }

    static func promoted(_ run: RunResult, _ i: Int, year: Int, group: Int) -> Double {
        run.flow(i, year: year, .promotions, rank: 1, group: group)
    }

    /// Expected value, by hand. Enough vacancies (5,000): every passer is promoted, Majority 8,000 ×
    /// 0.3 × 0.7 = 1,680, Minority 2,000 × 0.3 × 0.5 = 300. In the second year the workshops set
    /// Minority's pass rate to 0.75: 1,700 × 0.3 × 0.75 = 382.5, Majority 6,320 × 0.3 × 0.7 = 1,327.2.
    /// 1,000 vacancies: the 1,980 passers are cut to 1,000 in proportion, Minority 1,000 × 300 /
    /// 1,980. Odds ×2 on a 50% pass rate: odds 1 → 2, a pass rate of 2/3, 400 promoted.
    @Test func expectedValueMatchesHandArithmetic() throws {
        let ev = Engine.Options(replications: 1, seed: 1, expected: true)
        let open = try Engine.run(Self.model(vacancies: 5000, workshops: 0.75), ev)
        #expect(abs(Self.promoted(open, 0, year: 0, group: 0) - 1680) < 1e-9)
        #expect(abs(Self.promoted(open, 0, year: 0, group: 1) - 300) < 1e-9)
        #expect(abs(Self.promoted(open, 0, year: 1, group: 1) - 382.5) < 1e-9)
        #expect(abs(Self.promoted(open, 0, year: 1, group: 0) - 1327.2) < 1e-9)
        let capped = try Engine.run(Self.model(vacancies: 1000), ev)
        #expect(abs(Self.promoted(capped, 0, year: 0, group: 1) - 1000 * 300 / 1980) < 1e-9)
        #expect(abs(Self.promoted(capped, 0, year: 0, group: 0) + Self.promoted(capped, 0, year: 0, group: 1) - 1000) < 1e-9)
        let odds = try Engine.run(Self.model(vacancies: 5000, minorityOdds: 2), ev)
        #expect(abs(Self.promoted(odds, 0, year: 0, group: 1) - 400) < 1e-9)
    }

    /// Monte Carlo (400 replications): with enough vacancies the mean promotions per group equal
    /// eligible × apply × pass within 4 standard errors, before and after the workshops; with
    /// 1,000 vacancies exactly 1,000 are promoted each time and the Minority share of them matches
    /// its share of passers, 300 / 1,980, within 4 standard errors.
    @Test func monteCarloMatchesExpectedValue() throws {
        let n = 400
        let open = try Engine.run(Self.model(vacancies: 5000, workshops: 0.75, replications: n), .init(replications: n, seed: 9))
        for (year, group, exact) in [(0, 0, 1680.0), (0, 1, 300), (1, 1, 1700 * 0.3 * 0.75)] {
            let x = open.meanAndError { Self.promoted(open, $0, year: year, group: group) }
            #expect(abs(x.mean - exact) < 4 * x.se, "year \(year) group \(group): \(x) against \(exact)")
            #expect(x.se > 0)
        }
        // In year 2 the Minority constables are those left after year 1: its mean is exact only
        // given year 1, so it is compared with 0.3 × 0.75 × the constables left, replication by replication.
        let ratio = open.meanAndError { i in
            Self.promoted(open, i, year: 1, group: 1) / (2000 - Self.promoted(open, i, year: 0, group: 1))
        }
        #expect(abs(ratio.mean - 0.3 * 0.75) < 4 * ratio.se, "\(ratio)")

        let capped = try Engine.run(Self.model(vacancies: 1000, replications: n), .init(replications: n, seed: 9))
        for i in 0..<n {
            #expect(Self.promoted(capped, i, year: 0, group: 0) + Self.promoted(capped, i, year: 0, group: 1) == 1000)
        }
        let share = capped.meanAndError { Self.promoted(capped, $0, year: 0, group: 1) / 1000 }
        #expect(abs(share.mean - 300.0 / 1980) < 4 * share.se, "\(share)")
    }
}
