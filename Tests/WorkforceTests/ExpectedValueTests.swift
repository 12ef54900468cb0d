import Foundation
import Testing

@testable import Workforce
import _WorkforceTestSupport

/// Expected-value mode is exact arithmetic: these check it against sums done by hand.
@Suite struct ExpectedValueTests {
    /// One rank, two groups, constant size N, leaving rate w, recruits = leavers with minority
    /// share r: the minority share after T years is r + (s0 − r)(1 − w)^T.
    @Test(arguments: [Timeline.Step.year, .quarter, .month])
    func constantSizeClosedForm(step: Timeline.Step) throws {
        var b = ModelBuilder(step: step)
        let n = 10_000, s0 = 0.10, r = 0.40, w = 0.07
        b.set(rank: 0, ethnicity: 0, service: 5, Int(Double(n) * (1 - s0)))
        b.set(rank: 0, ethnicity: 1, service: 5, Int(Double(n) * s0))
        let leaving = b.uniformLeaving(w)
        let establishment = b.parameter(Double(n))
        let intake = Intake(
            rank: 0, size: .fillToEstablishment, ethnicity: Dated(constant: b.shares([1 - r, r])),
            gender: Dated(constant: b.shares([1])))
        let model = b.model(leaving: leaving, establishment: [0: Dated(constant: establishment)], intakes: [intake])
        let result = try Engine.run(model, .init(replications: 1, seed: 1, expected: true))
        for year in 1...8 {
            let t = year * model.timeline.stepsPerYear
            let minority = result.headcount(0, step: t, rank: 0, group: 1)
            let total = minority + result.headcount(0, step: t, rank: 0, group: 0)
            #expect(abs(total - Double(n)) < 1e-8)
            #expect(abs(minority / total - (r + (s0 - r) * pow(1 - w, Double(year)))) < 1e-12)
        }
        let share8 = result.headcount(0, step: 8 * model.timeline.stepsPerYear, rank: 0, group: 1) / Double(n)
        #expect(abs(share8 - 0.232125457) < 1e-9)
    }

    /// The Met's 2009/10 plan: 32,500 officers of whom 2,864 ethnic minority, 2,148 recruits at
    /// 27.4% and a uniform leaving rate of 3.9846% give 10.009% ethnic minority a year on.
    @Test func met2009Plan() throws {
        var b = ModelBuilder(years: 1)
        b.set(rank: 0, ethnicity: 0, service: 10, 32_500 - 2_864)
        b.set(rank: 0, ethnicity: 1, service: 10, 2_864)
        let leaving = b.uniformLeaving(0.039846)
        let size = b.parameter(2_148)
        let intake = Intake(
            rank: 0, size: .perYear(Dated(constant: size)), ethnicity: Dated(constant: b.shares([1 - 0.274, 0.274])),
            gender: Dated(constant: b.shares([1])))
        let model = b.model(
            leaving: leaving, intakes: [intake],
            targets: [
                Target(
                    name: "EM 10%", population: .officers, ranks: [true], group: b.selector(ethnicities: [1]),
                    groupName: GroupName(ethnicity: "Minority"), comparison: .atLeast, threshold: 0.10, date: oneYearOn)
            ])
        let result = try Engine.run(model, .init(replications: 1, seed: 1, expected: true))
        let stay = 1 - 0.039846
        let byHand = (2_864 * stay + 2_148 * 0.274) / (32_500 * stay + 2_148)
        let share = result.targetValue(replication: 0, target: 0)
        #expect(abs(share - byHand) < 1e-14)
        #expect((share * 100_000).rounded() / 1_000 == 10.009)
        #expect(result.firstMet(replication: 0, target: 0) == 1)
    }
    private var oneYearOn: Month { Month(year: 2021, month: 1) }

    /// Promotion by rate: the promoted fraction over a year of monthly steps is the annual rate,
    /// raised by the odds factor as odds.
    @Test func promotionByRateAndOdds() throws {
        var b = ModelBuilder(ranks: ["Constable", "Sergeant"], maxService: 40, years: 1, step: .month)
        b.set(rank: 0, ethnicity: 0, service: 10, 1_000)
        b.set(rank: 0, ethnicity: 1, service: 10, 1_000)
        b.set(rank: 0, ethnicity: 1, service: 2, 1_000)  // not yet eligible
        let leaving = b.uniformLeaving(0)
        let rate = b.parameter(0.2), factor = b.parameter(1.5)
        let promotion = Promotion(
            mode: .rate(rate), minService: 5,
            odds: [Leaving.Multiplier(selector: b.selector(ethnicities: [1]), factor: factor)])
        let result = try Engine.run(b.model(leaving: leaving, promotion: [1: promotion]), .init(replications: 1, seed: 1, expected: true))
        let odds = 0.2 / 0.8 * 1.5
        #expect(abs(result.flow(0, year: 0, .promotions, rank: 1, group: 0) - 200) < 1e-9)
        #expect(abs(result.flow(0, year: 0, .promotions, rank: 1, group: 1) - 1_000 * odds / (1 + odds)) < 1e-9)
    }

    /// Vacancy promotion: with equal weights the vacancies are filled in proportion to the
    /// eligible pool; with unequal weights Fog's Wallenius mean, (1 − z^w) per group.
    @Test func vacancyFilling() {
        let equal = Replication.wallenius(eligible: [300, 100], weights: [1, 1], count: 40)
        #expect(abs(equal[0] - 30) < 1e-9 && abs(equal[1] - 10) < 1e-9)
        let weighted = Replication.wallenius(eligible: [300, 100, 50], weights: [1, 2, 0], count: 40)
        #expect(abs(weighted[0] + weighted[1] - 40) < 1e-9)
        #expect(weighted[2] == 0)
        // (1 − x/m)^(1/w) is equal across groups at Fog's mean.
        #expect(abs(pow(1 - weighted[0] / 300, 1.0 / 1) - pow(1 - weighted[1] / 100, 1.0 / 2)) < 1e-9)
        #expect(Replication.wallenius(eligible: [3, 2], weights: [1, 5], count: 9) == [3, 2])
    }

    /// A target can leave categories (e.g. "Not stated") out of its denominator, as the Home
    /// Office's published shares do.
    @Test func denominatorExclusion() throws {
        var b = ModelBuilder(ethnicities: ["White", "Minority", "Not stated"], years: 1)
        b.set(rank: 0, ethnicity: 0, service: 3, 700)
        b.set(rank: 0, ethnicity: 1, service: 3, 200)
        b.set(rank: 0, ethnicity: 2, service: 3, 100)
        let leaving = b.uniformLeaving(0)
        let minority = b.selector(ethnicities: [1])
        let date = Month(year: 2021, month: 1)
        let targets = [
            Target(name: "all officers", population: .officers, ranks: [true], group: minority, groupName: GroupName(ethnicity: "Minority"), comparison: .atLeast, threshold: 0.2, date: date),
            Target(
                name: "stated only", population: .officers, ranks: [true], group: minority, groupName: GroupName(ethnicity: "Minority"), comparison: .atLeast, threshold: 0.2, date: date,
                denominator: b.selector(ethnicities: [0, 1])),
        ]
        let model = b.model(leaving: leaving, targets: targets)
        let result = try Engine.run(model, .init(replications: 1, seed: 1, expected: true))
        #expect(result.targetValue(replication: 0, target: 0) == 0.2)
        // With no flows the measure at the date is the initial share, computed without running.
        #expect(targets[0].initialShare(in: model) == 0.2)
        #expect(targets[1].initialShare(in: model) == 200.0 / 900.0)
        #expect(result.targetValue(replication: 0, target: 1) == 200.0 / 900.0)
    }

    @Test func stepProbabilityCompoundsToTheAnnualRate() {
        for annual in [0.0, 0.01, 0.07, 0.5, 0.999] {
            for k in [1, 4, 12] {
                let p = Tables.stepProbability(annual: annual, stepsPerYear: k)
                #expect(abs(1 - pow(1 - p, Double(k)) - annual) < 1e-14)
            }
        }
        #expect(Tables.stepProbability(annual: 1, stepsPerYear: 12) == 1)
    }

    @Test func distributionMeans() {
        #expect(Distribution.uniform(low: 1, high: 3).mean(in: 0...10) == 2)
        #expect(Distribution.triangular(low: 1, mode: 1.3, high: 1.6).mean(in: 0...10) == (1 + 1.3 + 1.6) / 3)
        #expect(abs(Distribution.beta(a: 2, b: 6, low: 0, high: 1).mean(in: 0...1) - 0.25) < 1e-15)
        // A standard normal truncated to [0, ∞) has mean sqrt(2/π).
        #expect(abs(Distribution.normal(mean: 0, sd: 1).mean(in: 0...1e300) - (2 / Double.pi).squareRoot()) < 1e-12)
    }
}
