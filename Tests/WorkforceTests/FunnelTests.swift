import Testing
import Workforce
import _WorkforceTestSupport

/// The recruitment funnel: applicants split by group, thinned stage by stage, capped by the
/// intake's size (docs/engine.md, step 3).
@Suite struct FunnelTests {
    /// One empty rank, no leaving, one intake of `applications` a year with a Minority share of
    /// applicants `minority`, two stages (sift, written) whose pass rates are given per group
    /// (Majority, Minority), and optionally an intervention on the written stage.
    static func model(
        applications: Double = 10_000, minority: Double = 0.35, sift: (Double, Double) = (0.6, 0.6),
        written: (Double, Double) = (0.5, 0.5), size: Double? = nil, campaign: (from: Month, factor: Double)? = nil,
        years: Int = 3, step: Timeline.Step = .year, replications: Int = 1
    ) -> Model {
        var b = ModelBuilder(years: years, step: step, replications: replications, seed: 11)
        let leaving = b.uniformLeaving(0)
        let minorityOnly = b.selector(ethnicities: [1])
        func stage(_ name: String, _ rates: (Double, Double)) -> Funnel.Stage {
            Funnel.Stage(name: name, pass: b.parameter(rates.0), byGroup: [Funnel.GroupRate(selector: minorityOnly, pass: b.parameter(rates.1))])
        }
        let funnel = Funnel(applications: Dated(constant: b.parameter(applications)), stages: [stage("sift", sift), stage("written", written)])
        let intake = Intake(
            rank: 0, size: size.map { .perYear(Dated(constant: b.parameter($0))) } ?? .allWhoPass,
            ethnicity: Dated(constant: b.shares([1 - minority, minority])), gender: Dated(constant: b.shares([1])), funnel: funnel)
        let interventions = campaign.map {
            [Intervention(name: "workshops", from: $0.from, selector: minorityOnly, effect: .stagePass(stage: "written", factor: b.parameter($0.factor)))]
        } ?? []
        return b.model(leaving: leaving, intakes: [intake], interventions: interventions)
    }

    static func joiners(_ run: RunResult, _ replication: Int, year: Int) -> (majority: Double, minority: Double) {
        (run.flow(replication, year: year, .joiners, rank: 0, group: 0), run.flow(replication, year: year, .joiners, rank: 0, group: 1))
    }

    /// One stage's rate halved for a group: 10,000 applicants, 35% Minority; sift 60% for all;
    /// written 50%, 25% for Minority. Majority 6,500 × 0.6 × 0.5 = 1,950; Minority 3,500 × 0.6 ×
    /// 0.25 = 525, a 525 / 2,475 = 21.2% share of recruits against 35% of applicants. A cap of
    /// 1,000 a year keeps the share: 1,000 × 525 / 2,475. From the third year an intervention
    /// doubles Minority's written pass rate back to 50%: 35% again.
    @Test func expectedValueMatchesHandArithmetic() throws {
        let start = Month(year: 2020, month: 1)
        let uncapped = try Engine.run(
            Self.model(written: (0.5, 0.25), campaign: (start + 24, 2)), .init(replications: 1, seed: 1, expected: true))
        let first = Self.joiners(uncapped, 0, year: 0)
        #expect(abs(first.majority - 1950) < 1e-9, "\(first)")
        #expect(abs(first.minority - 525) < 1e-9, "\(first)")
        #expect(abs(first.minority / (first.majority + first.minority) - 525.0 / 2475) < 1e-12)
        let third = Self.joiners(uncapped, 0, year: 2)
        #expect(abs(third.minority - 1050) < 1e-9, "\(third)")
        #expect(abs(third.minority / (third.majority + third.minority) - 0.35) < 1e-12)

        let capped = try Engine.run(Self.model(written: (0.5, 0.25), size: 1000), .init(replications: 1, seed: 1, expected: true))
        let c = Self.joiners(capped, 0, year: 0)
        #expect(abs(c.minority - 1000 * 525 / 2475) < 1e-9, "\(c)")
        #expect(abs(c.majority + c.minority - 1000) < 1e-9, "\(c)")

        // The report's funnel numbers are the same arithmetic.
        let flows = FunnelFlow.expected(Self.model(written: (0.5, 0.25), campaign: (start + 24, 2)))
        #expect(flows.count == 2)
        #expect(abs(flows[0].passed[1][1] - 525) < 1e-9 && abs(flows[0].passed[0][1] - 2100) < 1e-9)
        #expect(flows[1].from == start + 24 && abs(flows[1].passed[1][1] - 1050) < 1e-9)
    }

    /// Equal pass rates for every group: the Minority share of recruits equals its 30% share of
    /// applicants, within 4 standard errors over 400 replications; both with every passer joining
    /// and with a cap of 1,000 a year taken at random from about 1,800 passers (the cap is met
    /// exactly every year). Monthly steps, so the yearly carry and the per-step draws are exercised.
    @Test func equalPassRatesKeepApplicationShares() throws {
        for size in [nil, 1000.0] {
            let model = Self.model(applications: 10_000, minority: 0.3, size: size, years: 1, step: .month, replications: 400)
            let run = try Engine.run(model, .init(replications: 400, seed: 3))
            let share = run.meanAndError { i in
                let j = Self.joiners(run, i, year: 0)
                return j.minority / (j.majority + j.minority)
            }
            #expect(abs(share.mean - 0.3) < 4 * share.se, "size \(String(describing: size)): \(share)")
            #expect(share.se > 0)
            if size != nil {
                for i in 0..<400 {
                    let j = Self.joiners(run, i, year: 0)
                    #expect(j.majority + j.minority == 1000)
                }
            } else {
                // Every passer joins: Minority 3,000 × 0.6 × 0.5 = 900 a year on average.
                let minority = run.meanAndError { Self.joiners(run, $0, year: 0).minority }
                #expect(abs(minority.mean - 900) < 4 * minority.se, "\(minority)")
            }
        }
    }

    /// A halved stage in Monte Carlo: the mean Minority recruits match the expected-value engine
    /// within 4 standard errors, and the intervention acts from its month.
    @Test func monteCarloMatchesExpectedValue() throws {
        let start = Month(year: 2020, month: 1)
        let model = Self.model(written: (0.5, 0.25), campaign: (start + 24, 1.5), replications: 300)
        let mc = try Engine.run(model, .init(replications: 300, seed: 7))
        let ev = try Engine.run(model, .init(replications: 1, seed: 7, expected: true))
        for year in [0, 2] {
            let minority = mc.meanAndError { Self.joiners(mc, $0, year: year).minority }
            let exact = Self.joiners(ev, 0, year: year).minority
            #expect(abs(minority.mean - exact) < 4 * minority.se, "year \(year): \(minority) against \(exact)")
        }
        #expect(abs(Self.joiners(ev, 0, year: 2).minority - 3500 * 0.6 * 0.375) < 1e-9)
    }
}
