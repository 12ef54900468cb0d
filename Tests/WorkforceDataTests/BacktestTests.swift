import WorkforceFormats
import Foundation
import Testing
import Workforce
@testable import WorkforceData
import WorkforceScenario

@Suite struct BacktestTests {
    static let dimensions = Dimensions(
        ranks: ["Constable", "Sergeant", "Chief Inspector"], ethnicities: ["White", "Black", "Asian", "Not stated"],
        genders: ["Female", "Male"], maxService: 40,
        aggregates: [Aggregate(name: "BAME", dimension: .ethnicity, members: [1, 2])])

    /// Coverage arithmetic on a hand-made case: draws 1, 2, …, 100, whose type-7 quantiles are
    /// p5 5.95, p25 25.75, p50 50.5, p75 75.25, p95 95.05.
    @Test func coverageOfAHandMadeCase() {
        let draws = (1...100).map(Double.init)
        let observed = [50.0, 25.75, 80, 99, 5.95, 3]
        let comparisons = observed.map { Backtest.Comparison(observed: $0, draws: draws) }
        #expect(comparisons.map(\.in50) == [true, true, false, false, false, false])
        #expect(comparisons.map(\.in90) == [true, true, true, false, true, false])
        #expect(comparisons.map(\.error) == [-0.5, -24.75, 29.5, 48.5, -44.55, -47.5])
        #expect(comparisons[0].pit == 0.495)  // 49 below, 1 equal
        #expect(comparisons[2].pit == 0.795)
        #expect(comparisons[5].pit == 0.025)
        let coverage = Backtest.Coverage(comparisons)
        #expect(coverage.observations == 6)
        #expect(coverage.in50 == 2)
        #expect(coverage.in90 == 4)
        #expect(coverage.rate50 == 2.0 / 6)
        #expect(coverage.rate90 == 4.0 / 6)
    }

    /// Replications without a value (an empty denominator) are left out; a figure with no
    /// projected value at all is left out of the coverage.
    @Test func undefinedProjectionsAreLeftOut() {
        let some = Backtest.Comparison(observed: 2, draws: [1, .nan, 2, 3])
        #expect(some.projected.count == 3)
        #expect(some.in50 && some.pit == 0.5)
        let none = Backtest.Comparison(observed: 2, draws: [.nan, .nan])
        #expect(!none.in50 && !none.in90 && none.pit.isNaN)
        let coverage = Backtest.Coverage([some, none])
        #expect(coverage.observations == 1 && coverage.in50 == 1 && coverage.in90 == 1)
        #expect(Backtest.Coverage([]).rate50.isNaN)
    }

    @Test func measuresBecomeTargets() throws {
        let d = Self.dimensions
        let date = Month(year: 2022, month: 9)
        let bame = try Measure(parsing: "share(BAME in Sergeant+Chief Inspector excluding Not stated)", d)
        let t = bame.target(name: "x", date: date)
        #expect(t.population == .officers && bame.statistic == .share)
        #expect(t.ranks == [false, true, true])
        #expect(t.group.ethnicities == [false, true, true, false])
        #expect(t.denominator.ethnicities == [true, true, true, false])
        #expect(t.denominator.genders == [true, true])
        let count = try Measure(parsing: " count(All) ", d)
        #expect(count.statistic == .count && count.group == .all(d) && count.ranks == [true, true, true])
        let blackWomen = try Measure(parsing: "share(Black&Female in Sergeant)", d)
        #expect(blackWomen.group.ethnicities == [false, true, false, false] && blackWomen.group.genders == [true, false])
        #expect(blackWomen.groupName == GroupName(ethnicity: "Black", gender: "Female"))
        let recruits = try Measure(parsing: "recruits.share(Female since 2022-04)", d).target(name: "r", date: Month(year: 2023, month: 3))
        #expect(recruits.population == .recruits && recruits.periodStart == Month(year: 2022, month: 4))
        let promotions = try Measure(parsing: "promotions.share(BAME in Sergeant)", d).target(name: "p", date: date)
        #expect(promotions.population == .promotions && promotions.periodStart == Month(year: 2021, month: 10))
        #expect(try Measure(parsing: "officers.share(Female in all)", d).ranks == [true, true, true])
        #expect(try Measure(parsing: "share(Female in Sergeant+)", d).ranks == [false, true, true])
        #expect(try Measure(parsing: "count(All in Constable+Chief Inspector)", d).ranks == [true, false, true])

        let problems: [(String, String)] = [
            ("share BAME", "'share BAME' is not a measure"),
            ("mean(BAME)", "'mean(BAME)' is not a measure"),
            ("share(Purple)", "unknown category 'Purple'; expected one of: White, Black, Asian, Not stated, Female, Male, BAME"),
            ("share(BAME in Inspector)", "unknown rank 'Inspector'; expected one of: Constable, Sergeant, Chief Inspector"),
            ("count(BAME excluding Not stated)", "excluding with count; expected it only with share"),
            ("share(Not stated excluding Not stated)", "the whole group is excluded; expected categories outside the group"),
            ("share(BAME since 2022-04)", "since with officers; expected it only with recruits or promotions"),
            ("recruits.count(BAME)", "count of recruits is not recorded per period"),
            ("share(Black&Asian)", "two ethnicities in 'Black&Asian'; expected at most one ethnicity and one gender"),
            ("share()", "no group in 'share()'"),
        ]
        for (text, message) in problems {
            let error = try #require(throws: MeasureError.self) { try Measure(parsing: text, d) }
            #expect(error.message.hasPrefix(message), "\(text): \(error.message)")
        }
    }

    @Test func observedFiguresAreReadWithTheirProblemsLocated() throws {
        let d = Self.dimensions
        let good = "date,measure,value,source\n2022-09,count(All),\"34,112\",press\n2022-09-30,share(BAME),16.6%,\n"
        let observations = try Observation.read(good, file: "o.csv", d)
        #expect(observations.map(\.value) == [34112, 0.166])
        #expect(observations.map(\.date) == [Month(year: 2022, month: 9), Month(year: 2022, month: 9)])
        #expect(observations.map(\.source) == ["press", ""])
        let bad = "date,measure,value\nSep 2022,share(BAME),0.2\n2022-09,share(Purple),0.1\n2022-09,share(BAME),1.7\n2022-09,count(All),many\n"
        let error = try #require(throws: InputError.self) { try Observation.read(bad, file: "o.csv", d) }
        #expect(error.diagnostics.map(\.description) == [
            "o.csv:2:1: date: 'Sep 2022' is not a month; expected YYYY-MM",
            "o.csv:3:9: measure: unknown category 'Purple'; expected one of: White, Black, Asian, Not stated, Female, Male, BAME",
            "o.csv:4:21: value: 1.7 is not a share; expected a value from 0 to 1 (or 0% to 100%)",
            "o.csv:5:20: value: 'many' is not a number; expected e.g. 0.166, 16.6% or 34,112",
        ])
        let header = try #require(throws: InputError.self) { try Observation.read("when,measure,figure\n", file: "o.csv", d) }
        #expect(header.description == "o.csv:1:1: missing column date, value; expected the header date,measure,value (and optionally source)")
    }

    /// A backtest of a small scenario: the model gets one target per figure and a horizon at the
    /// last date; counts and shares agree with the run's own projections at that date.
    @Test func backtestAgreesWithTheRunsProjections() throws {
        let scenario = """
            dimensions:
              ranks: [Constable, Sergeant]
              ethnicities: [White, Black, Not stated]
              genders: [Female, Male]
              max_service: 20
              aggregates: {Minority: [Black]}
            simulation: {start: 2020-03, horizon: 2030-03, step: quarter, replications: 200, seed: 5}
            initial:
              ranks:
                Constable: {headcount: 900, ethnicity: {White: 0.85, Black: 0.1, Not stated: 0.05}, gender: {Female: 0.3, Male: 0.7}, service: {"0-9": 1}}
                Sergeant: {headcount: 100, ethnicity: {White: 0.95, Black: 0.05}, gender: {Female: 0.2, Male: 0.8}, service: {"5-14": 1}}
            leaving: {bands: ["0+"], rates: {Constable: [0.08], Sergeant: [0.06]}}
            promotion: {Sergeant: {by: rate, rate: 0.03}}
            recruitment: [{size: {per_year: 80}, ethnicity: {White: rest, Black: 0.2}, gender: {Female: 0.4, Male: 0.6}}]
            targets: [{name: t, share_of: officers, group: Black, at_least: 0.5, by: 2029-03}]
            """
        let loaded = try ScenarioLoader.parse(text: scenario, file: "small.yaml", directory: "")
        let observed = """
            date,measure,value
            2021-03,count(All in Sergeant),101
            2021-03,share(Minority excluding Not stated),0.1
            2021-07,share(Black&Female in Constable),0.04
            """
        let observations = try Observation.read(observed, file: "o.csv", loaded.model.dimensions)
        let model = try Backtest.model(loaded.model, observations: observations, file: "o.csv")
        #expect(model.targets.count == 3)
        #expect(model.timeline.horizon == Month(year: 2021, month: 9))  // the first quarter ending at or after 2021-07
        let result = try Engine.run(model, Engine.Options(model))
        let comparisons = Backtest.compare(result, observations: observations)
        let summary = Summary(result)
        func projected(_ rank: Label, _ ethnicity: Label, _ gender: Label, _ date: Month) -> ProjectionRow {
            summary.projections.first { $0.date == date && $0.rank == rank && $0.ethnicity == ethnicity && $0.gender == gender }!
        }
        let sergeants = projected(.category("Sergeant"), .all, .all, Month(year: 2021, month: 3)).headcount
        #expect(comparisons[0].projected == sergeants)
        let blackWomen = projected(.category("Constable"), .category("Black"), .category("Female"), Month(year: 2021, month: 6)).share
        #expect(comparisons[2].projected == blackWomen)
        // Minority share excluding Not stated: Black ÷ (White + Black), per replication.
        let plan = result.plan
        let report = plan.reportSteps.firstIndex(of: 4)!
        let shares = (0..<200).map { rep -> Double in
            func n(_ e: Int) -> Double { (0..<2).reduce(0) { sum, r in (0..<2).reduce(sum) { $0 + result.count(replication: rep, plan.headcountIndex(report: report, rank: r, group: e * 2 + $1)) } } }
            return n(1) / (n(0) + n(1))
        }
        #expect(comparisons[1].projected == Backtest.Comparison(observed: 0.1, draws: shares).projected)

        let early = try Observation.read("date,measure,value\n2019-12,count(All),1\n", file: "o.csv", loaded.model.dimensions)
        let error = try #require(throws: InputError.self) { try Backtest.model(loaded.model, observations: early, file: "o.csv") }
        #expect(error.description == "o.csv:2: date: 2019-12 is before the scenario's start 2020-03; expected a date the run covers")
    }
}

/// The scenario key `denominator_excludes` (WorkforceScenario's target reader).
@Suite struct DenominatorKeyTests {
    static func scenario(_ target: String) -> String {
        """
        dimensions:
          ranks: [Constable]
          ethnicities: [White, Black, Not stated]
          genders: [Female, Male]
          max_service: 10
          aggregates: {Minority: [Black]}
        simulation: {start: 2024-01, horizon: 2025-01, step: year}
        initial:
          ranks:
            Constable: {headcount: 1000, ethnicity: {White: 0.7, Black: 0.2, Not stated: 0.1}, gender: {Female: 0.5, Male: 0.5}, service: {"0-9": 1}}
        leaving: {bands: ["0+"], rates: {Constable: [0]}}
        targets:
          - \(target)
        """
    }

    @Test func excludedCategoriesLeaveTheDenominator() throws {
        let text = Self.scenario("{name: HO basis, share_of: officers, group: Minority, denominator_excludes: [Not stated], at_least: 0.2, by: 2025-01}")
        let model = try ScenarioLoader.parse(text: text, file: "s.yaml", directory: "").model
        #expect(model.targets[0].denominator.ethnicities == [true, true, false])
        let result = try Engine.run(model, Engine.Options(replications: 1, seed: 1, expected: true))
        #expect(abs(result.targetValue(replication: 0, target: 0) - 200.0 / 900.0) < 1e-12)
        let plain = try ScenarioLoader.parse(text: Self.scenario("{name: all, share_of: officers, group: Minority, at_least: 0.2, by: 2025-01}"), file: "s.yaml", directory: "").model
        #expect(plain.targets[0].denominator.ethnicities == [true, true, true])
        let single = try ScenarioLoader.parse(
            text: Self.scenario("{name: men, share_of: officers, group: Minority, denominator_excludes: Female, at_least: 0.2, by: 2025-01}"),
            file: "s.yaml", directory: "").model
        #expect(single.targets[0].denominator.genders == [false, true])
    }

    @Test func badExclusionsAreReported() throws {
        let cases: [(String, String)] = [
            ("{name: a, share_of: officers, group: Minority, denominator_excludes: [Unknown], at_least: 0.2, by: 2025-01}",
             "s.yaml:13:75: targets[0].denominator_excludes[0]: unknown category 'Unknown'; expected one of: White, Black, Not stated, Female, Male, Minority"),
            ("{name: a, share_of: officers, group: Minority, denominator_excludes: [Minority], at_least: 0.2, by: 2025-01}",
             "s.yaml:13:74: targets[0].denominator_excludes: the whole group is excluded, so its share could only be 0; expected categories outside the group"),
            ("{name: a, share_of: officers, group: Minority, denominator_excludes: [Female, Male], at_least: 0.2, by: 2025-01}",
             "s.yaml:13:74: targets[0].denominator_excludes: every category of a dimension is excluded; expected some officers left in the denominator"),
        ]
        for (target, message) in cases {
            let error = try #require(throws: InputError.self) { try ScenarioLoader.parse(text: Self.scenario(target), file: "s.yaml", directory: "") }
            #expect(error.description == message)
        }
    }
}
