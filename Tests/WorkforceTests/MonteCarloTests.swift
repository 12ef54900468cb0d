import Foundation
import Testing

@testable import Workforce

/// A multi-rank model with every flow: banded leaving with multipliers, vacancy and rate
/// promotion with odds, an intake filling to establishment, direct entry, interventions and an
/// uncertain parameter.
func richModel(step: Timeline.Step = .month, years: Int = 5, replications: Int = 200, scale: Int = 1) -> Model {
    var b = ModelBuilder(
        ranks: ["PC", "PS", "Insp", "CI"], ethnicities: ["W", "B", "A"], genders: ["F", "M"], maxService: 30,
        years: years, step: step, replications: replications, seed: 7)
    let d = b.dimensions
    for r in 0..<4 {
        for q in 0..<d.groupCount {
            for s in 0..<30 where s >= 3 * r {
                b.initial[d.cell(r, q, s)] = scale * ((r * 31 + q * 17 + s * 7) % 11 + (r == 0 ? 20 : 4)) * (q % 2 == 0 ? 3 : 1) / (r + 1)
            }
        }
    }
    let bands = [0...1, 2...9, 10...24, 25...29]
    let rates = (0..<4).map { r in [0.08, 0.04, 0.03, 0.2].map { b.parameter($0 + 0.005 * Double(r)) } }
    let minority = b.selector(ethnicities: [1, 2])
    let leaving = Leaving(
        bands: bands, rates: rates,
        multipliers: [
            .init(selector: minority, factor: b.parameter(1.2)),
            .init(selector: b.selector(ranks: [0], genders: [0]), factor: b.parameter(1.1, .uniform(low: 1.0, high: 1.2))),
        ],
        overrides: [.init(selector: b.selector(ethnicities: [1], genders: [1]), rates: [rates[1], [], rates[3], rates[2]])])
    let headcounts = (0..<4).map { r in (0..<d.groupCount).reduce(0) { sum, q in sum + (0..<30).reduce(0) { $0 + b.initial[d.cell(r, q, $1)] } } }
    var establishment: [Int: Dated<Parameter>] = [:]
    for r in 0..<4 { establishment[r] = Dated(constant: b.parameter(Double(headcounts[r]) * 1.05)) }
    establishment[2] = Dated([(Month(year: 2020, month: 1), b.parameter(Double(headcounts[2]))), (Month(year: 2022, month: 4), b.parameter(Double(headcounts[2]) * 1.1))])
    let promotion: [Int: Promotion] = [
        1: Promotion(mode: .vacancy, minService: 4, odds: [.init(selector: minority, factor: b.parameter(0.7))]),
        2: Promotion(mode: .rate(b.parameter(0.06)), minService: 8, odds: [.init(selector: b.selector(genders: [0]), factor: b.parameter(1.3))]),
        3: Promotion(mode: .vacancy, minService: 12),
    ]
    let ethnicity = Dated([(Month(year: 2020, month: 1), b.shares([0.8, 0.05, 0.15])), (Month(year: 2021, month: 4), Shares([.rest, .value(b.parameter(0.1)), .value(b.parameter(0.3))]))])
    let gender = Dated(constant: b.shares([0.4, 0.6]))
    let intakes = [
        Intake(rank: 0, size: .fillToEstablishment, ethnicity: ethnicity, gender: gender, genderByEthnicity: [1: Dated(constant: b.shares([0.5, 0.5]))]),
        Intake(rank: 2, size: .perYear(Dated(constant: b.parameter(Double(6 * scale)))), ethnicity: Dated(constant: b.shares([0.6, 0.2, 0.2])), gender: gender),
    ]
    let interventions = [
        Intervention(name: "programme", from: Month(year: 2021, month: 4), selector: b.selector(ranks: [0], ethnicities: [1]), effect: .promotionOdds(b.parameter(1.5))),
        Intervention(name: "retention", from: Month(year: 2022, month: 1), until: Month(year: 2023, month: 12), selector: minority, effect: .leaving(b.parameter(0.8))),
        Intervention(name: "campaign", from: Month(year: 2023, month: 1), selector: b.selector(ranks: [0]), effect: .intakeShares(ethnicity: nil, gender: b.shares([0.5, 0.5]))),
    ]
    let targets = [
        Target(name: "minority officers", population: .officers, ranks: [true, true, true, true], group: minority, groupLabel: "BA", comparison: .atLeast, threshold: 0.3, date: Month(year: 2024, month: 1)),
        Target(name: "minority PS", population: .officers, ranks: [false, true, false, false], group: minority, groupLabel: "BA", comparison: .atLeast, threshold: 0.25, date: Month(year: 2023, month: 3)),
        Target(name: "women recruits", population: .recruits, ranks: [true, false, false, false], group: b.selector(genders: [0]), groupLabel: "F", comparison: .atLeast, threshold: 0.45, date: Month(year: 2024, month: 3), periodStart: Month(year: 2023, month: 4)),
        Target(name: "minority promotions", population: .promotions, ranks: [false, true, true, true], group: minority, groupLabel: "BA", comparison: .atMost, threshold: 0.5, date: Month(year: 2022, month: 12), periodStart: Month(year: 2022, month: 1)),
    ]
    return b.model(leaving: leaving, establishment: establishment, promotion: promotion, intakes: intakes, interventions: interventions, targets: targets)
}

@Suite struct MonteCarloTests {
    /// Every year of every replication: end = start + joiners − leavers + promotions in −
    /// promotions out, for every rank and group; counts are whole and never negative.
    @Test(arguments: [Timeline.Step.year, .month])
    func accountingIdentity(step: Timeline.Step) throws {
        let model = richModel(step: step, replications: 50)
        let result = try Engine.run(model, .init(model))
        let plan = result.plan
        var checked = 0
        for rep in 0..<result.replications {
            for year in 0..<plan.years {
                let t0 = year * plan.stepsPerYear, t1 = min(plan.steps, t0 + plan.stepsPerYear)
                for r in 0..<plan.ranks {
                    for q in 0..<plan.groups {
                        let start = result.headcount(rep, step: t0, rank: r, group: q)
                        let end = result.headcount(rep, step: t1, rank: r, group: q)
                        let promotedOut = r + 1 < plan.ranks ? result.flow(rep, year: year, .promotions, rank: r + 1, group: q) : 0
                        let expected = start + result.flow(rep, year: year, .joiners, rank: r, group: q)
                            - result.flow(rep, year: year, .leavers, rank: r, group: q)
                            + result.flow(rep, year: year, .promotions, rank: r, group: q) - promotedOut
                        #expect(end == expected)
                        #expect(end >= 0 && end == end.rounded())
                        checked += 1
                    }
                }
            }
        }
        #expect(checked == 50 * 5 * 4 * 6)
        // Flows happened, so the identity was not checked on a frozen workforce.
        #expect(result.flow(0, year: 1, .promotions, rank: 1, group: 0) > 0)
        #expect(result.flow(0, year: 1, .leavers, rank: 0, group: 0) > 0)
    }

    /// Results depend on the seed and replication only, not on the number of threads.
    @Test func identicalWhateverTheThreadCount() throws {
        let model = richModel(replications: 37)
        let one = try Engine.run(model, .init(model, threads: 1))
        let two = try Engine.run(model, .init(model, threads: 2))
        let five = try Engine.run(model, .init(model, threads: 5))
        let width = one.plan.countsPerReplication
        var differences = 0
        for rep in 0..<37 {
            for i in 0..<width where one.count(replication: rep, i) != two.count(replication: rep, i) || one.count(replication: rep, i) != five.count(replication: rep, i) {
                differences += 1
            }
            for t in 0..<model.targets.count {
                #expect(one.targetValue(replication: rep, target: t).bitPattern == two.targetValue(replication: rep, target: t).bitPattern)
                #expect(one.firstMet(replication: rep, target: t) == five.firstMet(replication: rep, target: t))
            }
        }
        #expect(differences == 0)
        // …and a different seed does change them.
        let other = try Engine.run(model, .init(replications: 37, seed: 8, threads: 2))
        #expect((0..<width).contains { one.count(replication: 0, $0) != other.count(replication: 0, $0) })
    }

    /// Monte Carlo means lie within 4 standard errors of the expected-value projection, for every
    /// rank × group at the horizon, every yearly flow total and every target measure.
    @Test func meansAgreeWithExpectedValues() throws {
        let model = richModel(step: .month, years: 5, replications: 400, scale: 3)
        let mc = try Engine.run(model, .init(model, threads: 2))
        let ev = try Engine.run(model, .init(replications: 1, seed: 0, expected: true))
        let plan = mc.plan
        var compared = 0
        var worst = 0.0
        func check(_ label: String, _ f: (RunResult, Int) -> Double) {
            let (mean, se, _) = mc.meanAndError { f(mc, $0) }
            let exact = f(ev, 0)
            guard se > 0 else {
                #expect(abs(mean - exact) < 1e-6 * max(1, abs(exact)), "\(label): \(mean) vs \(exact)")
                return
            }
            let z = abs(mean - exact) / se
            worst = max(worst, z)
            #expect(z < 4, "\(label): MC mean \(mean) ± \(se) vs expected \(exact)")
            compared += 1
        }
        for r in 0..<plan.ranks {
            for q in 0..<plan.groups {
                check("headcount r\(r) q\(q)") { $0.headcount($1, step: plan.steps, rank: r, group: q) }
                for flow in Plan.Flow.allCases {
                    check("\(flow) r\(r) q\(q) year 3") { $0.flow($1, year: 3, flow, rank: r, group: q) }
                }
            }
        }
        for t in 0..<model.targets.count {
            check(model.targets[t].name) { $0.targetValue(replication: $1, target: t) }
        }
        #expect(compared > 80)
        print("MC vs EV: \(compared) means compared, largest |z| = \(worst)")
    }

    /// Leavers of a cell are Binomial(n, p): mean np and variance np(1 − p), also for a group
    /// whose share is allocated inside a block (the allocation must not distort the marginal).
    @Test func binomialLeaving() throws {
        var b = ModelBuilder(years: 1, replications: 4_000)
        b.set(rank: 0, ethnicity: 0, service: 3, 7_000)
        b.set(rank: 0, ethnicity: 1, service: 4, 3_000)
        let leaving = b.uniformLeaving(0.1)
        let result = try Engine.run(b.model(leaving: leaving), .init(replications: 4_000, seed: 11, threads: 2))
        let n = Double(result.replications)
        for (group, size) in [(0, 7_000.0), (1, 3_000.0)] {
            let (mean, se, variance) = result.meanAndError { result.flow($0, year: 0, .leavers, rank: 0, group: group) }
            let sigma2 = size * 0.1 * 0.9
            #expect(abs(mean - size * 0.1) < 4 * se)
            // The sample variance's standard error is about σ²·sqrt(2/(n−1)) for a near-normal law.
            #expect(abs(variance - sigma2) < 4 * sigma2 * (2 / (n - 1)).squareRoot(), "group \(group): variance \(variance) vs \(sigma2)")
        }
    }

    /// Weighted selection for vacancies: Monte Carlo counts per group match the Wallenius mean.
    @Test func weightedVacancySelection() throws {
        var b = ModelBuilder(ranks: ["PC", "PS"], years: 1, replications: 2_000)
        b.set(rank: 0, ethnicity: 0, service: 10, 3_000)
        b.set(rank: 0, ethnicity: 1, service: 12, 1_000)
        b.set(rank: 0, ethnicity: 1, service: 1, 5_000)  // ineligible
        b.set(rank: 1, ethnicity: 0, service: 20, 100)
        let leaving = b.uniformLeaving(0)
        let establishment = b.parameter(500)
        let promotion = Promotion(mode: .vacancy, minService: 5, odds: [.init(selector: b.selector(ethnicities: [1]), factor: b.parameter(2))])
        let model = b.model(leaving: leaving, establishment: [1: Dated(constant: establishment)], promotion: [1: promotion])
        let result = try Engine.run(model, .init(model, threads: 2))
        let fog = Replication.wallenius(eligible: [3_000, 1_000], weights: [1, 2], count: 400)
        for q in 0..<2 {
            let (mean, se, _) = result.meanAndError { result.flow($0, year: 0, .promotions, rank: 1, group: q) }
            #expect(abs(mean - fog[q]) < 4 * se + 0.5, "group \(q): \(mean) ± \(se) vs \(fog[q])")
        }
        for rep in 0..<result.replications {
            #expect(result.flow(rep, year: 0, .promotions, rank: 1, group: 0) + result.flow(rep, year: 0, .promotions, rank: 1, group: 1) == 400)
        }
    }
}
