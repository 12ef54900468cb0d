import Testing

@testable import Workforce
import _WorkforceTestSupport

/// Each flow on hand-sized cases, in Monte Carlo mode, where the answer is certain.
@Suite struct FlowTests {
    /// Vacancies are filled only from officers with the minimum service; when the eligible pool
    /// is smaller than the vacancies, all of it is promoted.
    @Test func vacancyPromotionNeedsEligibility() throws {
        var b = ModelBuilder(ranks: ["PC", "PS"], years: 1, step: .month, replications: 20)
        b.set(rank: 0, ethnicity: 0, service: 10, 3)
        b.set(rank: 0, ethnicity: 1, service: 1, 50)
        b.set(rank: 1, ethnicity: 0, service: 20, 5)
        let leaving = b.uniformLeaving(0)
        let establishment = b.parameter(20)
        let model = b.model(
            leaving: leaving, establishment: [1: Dated(constant: establishment)],
            promotion: [1: Promotion(mode: .vacancy, minService: 5)])
        let result = try Engine.run(model, .init(model))
        for rep in 0..<20 {
            #expect(result.flow(rep, year: 0, .promotions, rank: 1, group: 0) == 3)
            #expect(result.flow(rep, year: 0, .promotions, rank: 1, group: 1) == 0)
            #expect(result.headcount(rep, step: 12, rank: 1, group: 0) == 8)
            #expect(result.headcount(rep, step: 12, rank: 0, group: 1) == 50)
        }
    }

    /// Vacancies are filled top rank first: a vacancy at the top pulls an officer up, and the gap
    /// left below is filled in the same step from the rank below that.
    @Test func vacanciesCascadeTopDown() throws {
        var b = ModelBuilder(ranks: ["PC", "PS", "Insp"], ethnicities: ["W"], years: 1, replications: 5)
        b.set(rank: 0, ethnicity: 0, service: 10, 100)
        b.set(rank: 1, ethnicity: 0, service: 10, 10)
        b.set(rank: 2, ethnicity: 0, service: 10, 2)
        let leaving = b.uniformLeaving(0)
        let sergeants = b.parameter(10), inspectors = b.parameter(3)
        let model = b.model(
            leaving: leaving, establishment: [1: Dated(constant: sergeants), 2: Dated(constant: inspectors)],
            promotion: [1: Promotion(mode: .vacancy, minService: 0), 2: Promotion(mode: .vacancy, minService: 0)])
        let result = try Engine.run(model, .init(model))
        #expect(result.headcount(0, step: 1, rank: 2, group: 0) == 3)
        #expect(result.headcount(0, step: 1, rank: 1, group: 0) == 10)
        #expect(result.headcount(0, step: 1, rank: 0, group: 0) == 99)
    }

    /// By rate with probability 1, every eligible officer is promoted and no one else.
    @Test func ratePromotionOfCertainty() throws {
        var b = ModelBuilder(ranks: ["PC", "PS"], years: 1, replications: 3)
        b.set(rank: 0, ethnicity: 0, service: 6, 40)
        b.set(rank: 0, ethnicity: 0, service: 5, 7)
        b.set(rank: 0, ethnicity: 1, service: 4, 9)
        let leaving = b.uniformLeaving(0)
        let certain = b.parameter(1)
        let model = b.model(leaving: leaving, promotion: [1: Promotion(mode: .rate(certain), minService: 5)])
        let result = try Engine.run(model, .init(model))
        #expect(result.flow(0, year: 0, .promotions, rank: 1, group: 0) == 47)
        #expect(result.flow(0, year: 0, .promotions, rank: 1, group: 1) == 0)
    }

    /// Officers leave on reaching the maximum service, at the anniversary, counted as leavers;
    /// everyone else's service goes up by one.
    @Test func ageingAndRetirement() throws {
        var b = ModelBuilder(maxService: 30, years: 2, step: .quarter, replications: 2)
        b.set(rank: 0, ethnicity: 0, service: 29, 12)
        b.set(rank: 0, ethnicity: 0, service: 28, 5)
        b.set(rank: 0, ethnicity: 1, service: 0, 4)
        let leaving = b.uniformLeaving(0)
        let result = try Engine.run(b.model(leaving: leaving), .init(replications: 2, seed: 3))
        #expect(result.flow(0, year: 0, .leavers, rank: 0, group: 0) == 12)
        #expect(result.flow(0, year: 1, .leavers, rank: 0, group: 0) == 5)
        #expect(result.headcount(0, step: 4, rank: 0, group: 0) == 5)
        #expect(result.headcount(0, step: 8, rank: 0, group: 1) == 4)
    }

    /// A yearly intake spread over monthly steps gives exactly the yearly number each year, in
    /// whole recruits; a fill-to-establishment intake restores the establishment every step.
    @Test func intakeSizes() throws {
        var b = ModelBuilder(years: 3, step: .month, replications: 4)
        b.set(rank: 0, ethnicity: 0, service: 3, 1_000)
        let leaving = b.uniformLeaving(0.2)
        let scheduled = Intake(
            rank: 0, size: .perYear(Dated([(Month(year: 2020, month: 1), b.parameter(100)), (Month(year: 2021, month: 2), b.parameter(250))])),
            ethnicity: Dated(constant: b.shares([0.5, 0.5])), gender: Dated(constant: b.shares([1])))
        let byYear = try Engine.run(b.model(leaving: leaving, intakes: [scheduled]), .init(replications: 4, seed: 5))
        for rep in 0..<4 {
            let joined = (0..<3).map { y in (0..<2).reduce(0.0) { $0 + byYear.flow(rep, year: y, .joiners, rank: 0, group: $1) } }
            #expect(joined == [100, 250, 250])
        }
        let fill = Intake(rank: 0, size: .fillToEstablishment, ethnicity: Dated(constant: b.shares([0.5, 0.5])), gender: Dated(constant: b.shares([1])))
        let establishment = b.parameter(1_200)
        let filled = try Engine.run(
            b.model(leaving: leaving, establishment: [0: Dated(constant: establishment)], intakes: [fill]), .init(replications: 4, seed: 5))
        for rep in 0..<4 {
            for t in [12, 24, 36] {
                #expect(filled.headcount(rep, step: t, rank: 0, group: 0) + filled.headcount(rep, step: t, rank: 0, group: 1) == 1_200)
            }
        }
    }

    /// A dated leaving intervention with factor 0 stops leaving from its month, until its end.
    @Test func datedIntervention() throws {
        var b = ModelBuilder(years: 3, step: .month, replications: 3)
        b.set(rank: 0, ethnicity: 1, service: 3, 1_000)
        let leaving = b.uniformLeaving(0.3)
        let stop = Intervention(
            name: "stop", from: Month(year: 2021, month: 2), until: Month(year: 2022, month: 1),
            selector: b.selector(ethnicities: [1]), effect: .leaving(b.parameter(0)))
        let result = try Engine.run(b.model(leaving: leaving, interventions: [stop]), .init(replications: 3, seed: 9))
        for rep in 0..<3 {
            #expect(result.flow(rep, year: 0, .leavers, rank: 0, group: 1) > 200)
            #expect(result.flow(rep, year: 1, .leavers, rank: 0, group: 1) == 0)
            #expect(result.flow(rep, year: 2, .leavers, rank: 0, group: 1) > 100)
        }
    }
}
