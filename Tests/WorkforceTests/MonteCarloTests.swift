import Foundation
import Testing

@testable import Workforce
import _WorkforceTestSupport

@Suite struct MonteCarloTests {
    /// Every year of every replication: end = start + joiners − leavers − transfers out +
    /// promotions in − promotions out, for every rank and group; counts are whole and never
    /// negative.
    @Test(arguments: [Timeline.Step.year, .month])
    func accountingIdentity(step: Timeline.Step) throws {
        let model = richModel(step: step, replications: 50, transferRate: 0.03)
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
                            - result.flow(rep, year: year, .transfersOut, rank: r, group: q)
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
        #expect(result.flow(0, year: 1, .transfersOut, rank: 0, group: 0) > 0)
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
                for flow in plan.flows {
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
    /// At 0.9 most of the block leaves (the `k == n` shortcut is rare, the one-by-one choice long);
    /// at 0.1 few. The two groups share a block, so their counts must also be uncorrelated
    /// (independent binomials), which a wrong split of a block's leavers between groups breaks.
    @Test(arguments: [0.1, 0.9])
    func binomialLeaving(rate: Double) throws {
        var b = ModelBuilder(years: 1, replications: 4_000)
        b.set(rank: 0, ethnicity: 0, service: 3, 7_000)
        b.set(rank: 0, ethnicity: 0, service: 5, 2_000)
        b.set(rank: 0, ethnicity: 1, service: 4, 3_000)
        let leaving = b.uniformLeaving(rate)
        let result = try Engine.run(b.model(leaving: leaving), .init(replications: 4_000, seed: 11, threads: 2))
        let n = Double(result.replications)
        let (m0, _, v0) = result.meanAndError { result.flow($0, year: 0, .leavers, rank: 0, group: 0) }
        let (m1, _, v1) = result.meanAndError { result.flow($0, year: 0, .leavers, rank: 0, group: 1) }
        var covariance = 0.0
        for rep in 0..<result.replications {
            covariance += (result.flow(rep, year: 0, .leavers, rank: 0, group: 0) - m0) * (result.flow(rep, year: 0, .leavers, rank: 0, group: 1) - m1)
        }
        let correlation = covariance / (n - 1) / (v0 * v1).squareRoot()
        #expect(abs(correlation) < 4 / (n - 1).squareRoot(), "correlation \(correlation)")
        for (group, size) in [(0, 9_000.0), (1, 3_000.0)] {
            let (mean, se, variance) = result.meanAndError { result.flow($0, year: 0, .leavers, rank: 0, group: group) }
            let sigma2 = size * rate * (1 - rate)
            #expect(abs(mean - size * rate) < 4 * se)
            // The sample variance's standard error is about σ²·sqrt(2/(n−1)) for a near-normal law.
            #expect(abs(variance - sigma2) < 4 * sigma2 * (2 / (n - 1)).squareRoot(), "group \(group): variance \(variance) vs \(sigma2)")
        }
    }

    /// Weighted selection for vacancies: Monte Carlo counts per group match the Wallenius mean,
    /// when few are promoted and when more than half of each group is.
    @Test(arguments: [400, 2_500])
    func weightedVacancySelection(vacancies: Int) throws {
        var b = ModelBuilder(ranks: ["PC", "PS"], years: 1, replications: 2_000)
        b.set(rank: 0, ethnicity: 0, service: 10, 3_000)
        b.set(rank: 0, ethnicity: 1, service: 12, 1_000)
        b.set(rank: 0, ethnicity: 1, service: 1, 5_000)  // ineligible
        b.set(rank: 1, ethnicity: 0, service: 20, 100)
        let leaving = b.uniformLeaving(0)
        let establishment = b.parameter(100 + Double(vacancies))
        let promotion = Promotion(mode: .vacancy, minService: 5, odds: [.init(selector: b.selector(ethnicities: [1]), factor: b.parameter(2))])
        let model = b.model(leaving: leaving, establishment: [1: Dated(constant: establishment)], promotion: [1: promotion])
        let result = try Engine.run(model, .init(model, threads: 2))
        let fog = Replication.wallenius(eligible: [3_000, 1_000], weights: [1, 2], count: Double(vacancies))
        for q in 0..<2 {
            let (mean, se, _) = result.meanAndError { result.flow($0, year: 0, .promotions, rank: 1, group: q) }
            #expect(abs(mean - fog[q]) < 4 * se + 0.5, "group \(q): \(mean) ± \(se) vs \(fog[q])")
        }
        for rep in 0..<result.replications {
            #expect(result.flow(rep, year: 0, .promotions, rank: 1, group: 0) + result.flow(rep, year: 0, .promotions, rank: 1, group: 1) == Double(vacancies))
        }
    }
}
