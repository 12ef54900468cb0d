import Foundation
import Testing
import Workforce
import WorkforceScenario

/// `drift: δ`, a level that wanders: the log (or logit) deviation of year `t` (0 = the first) is
/// `σ z_t + W_t` with `W_t` a random walk of steps `δ η`, so `Var = σ² + t δ²` (docs/engine.md).
struct DriftTests {
    /// Each replication's yearly joiners, years 0…9, of `YearToYearTests.scenario` (per_year intake).
    static func logJoiners(_ size: String, replications: Int = 4000) throws -> [[Double]] {
        let model = try ScenarioLoader.parse(text: YearToYearTests.scenario(size: size), file: "drift.yaml", directory: "").model
        let result = try Engine.run(model, .init(replications: replications, seed: 11, threads: 2))
        return (0..<result.replications).map { rep in
            (0..<10).map { year in log(result.count(replication: rep, result.plan.flowIndex(year: year, flow: .joiners, rank: 0, group: 0))) }
        }
    }

    static func mean(_ x: [Double]) -> Double { x.reduce(0, +) / Double(x.count) }
    static func covariance(_ a: [Double], _ b: [Double]) -> Double {
        let ma = mean(a), mb = mean(b)
        return zip(a, b).reduce(0) { $0 + ($1.0 - ma) * ($1.1 - mb) } / Double(a.count - 1)
    }

    /// Intake 1000 a year with `drift: 0.1` alone: year 0 is exactly 1000 in every replication;
    /// in year t, `ln J_t ~ N(ln 1000 − t δ²/2, t δ²)` (up to whole recruits, a log error below
    /// 0.001), so `E J_t = 1000` and the variance grows as `t δ²`. Each variance within 4 SE of a
    /// normal sample's variance (`v √(2/(n−1))`), each mean within 4 SE.
    @Test func randomWalkVarianceGrowsWithTheYears() throws {
        let delta = 0.1
        let draws = try Self.logJoiners("{value: 1000, drift: \(delta)}")
        let n = Double(draws.count)
        #expect(draws.allSatisfy { $0[0] == log(1000) }, "year 0 is the drawn value")
        for year in [1, 4, 9] {
            let x = draws.map { $0[year] }
            let law = Double(year) * delta * delta
            let variance = Self.covariance(x, x)
            #expect(abs(variance - law) < 4 * law * (2 / (n - 1)).squareRoot(), "year \(year): variance \(variance), law \(law)")
            let j = x.map { exp($0) }
            let sd = 1000 * (exp(law) - 1).squareRoot()
            #expect(abs(Self.mean(j) - 1000) < 4 * sd / n.squareRoot(), "year \(year): mean \(Self.mean(j))")
        }
        // Steps are independent: the change over years 4→9 is uncorrelated with the level at 4.
        let a = draws.map { $0[4] }, b = draws.map { $0[9] - $0[4] }
        let r = Self.covariance(a, b) / (Self.covariance(a, a) * Self.covariance(b, b)).squareRoot()
        #expect(abs(r) < 4 / n.squareRoot(), "increments correlate with the level: \(r)")
    }

    /// `year_to_year: 0.2` and `drift: 0.1` together: `Cov(ln J_s, ln J_t) = min(s, t) δ²` for
    /// `s ≠ t` (independent years, ρ = 0) and `Var ln J_t = σ² + t δ²`. The transient part from
    /// year 0's variance, the walk's from the covariance of years 4 and 9 over 4; each within 4 SE
    /// of the law (a bivariate normal's sample covariance has variance `(V_a V_b + c²)/n`).
    @Test func bothPartsAreRecovered() throws {
        let sigma = 0.2, delta = 0.1
        let draws = try Self.logJoiners("{value: 1000, year_to_year: \(sigma), drift: \(delta)}")
        let n = Double(draws.count)
        let y0 = draws.map { $0[0] }, y4 = draws.map { $0[4] }, y9 = draws.map { $0[9] }
        let transient = Self.covariance(y0, y0)
        #expect(abs(transient - sigma * sigma) < 4 * sigma * sigma * (2 / (n - 1)).squareRoot(), "σ² estimated \(transient)")
        let v4 = sigma * sigma + 4 * delta * delta, v9 = sigma * sigma + 9 * delta * delta, c = 4 * delta * delta
        let walk = Self.covariance(y4, y9) / 4
        #expect(abs(walk - delta * delta) < 4 * ((v4 * v9 + c * c) / n).squareRoot() / 4, "δ² estimated \(walk)")
        let total = Self.covariance(y9, y9)
        #expect(abs(total - v9) < 4 * v9 * (2 / (n - 1)).squareRoot(), "year 9 variance \(total), law \(v9)")
    }

    /// A rate that drifts moves on the logit scale: a leaving rate 0.1 with `drift: 0.3`, 20,000
    /// officers and no recruits; year 9's leavers over the officers at its start give a logit rate
    /// with median `logit(0.1)` and variance `9 δ²` plus the binomial's (`1/(n p (1 − p))` on the
    /// logit scale, below 0.002 with about 7,700 officers left), each within 4 SE.
    @Test func rateDriftsOnTheLogitScale() throws {
        let delta = 0.3
        let text = """
            dimensions: {ranks: [PC], ethnicities: [White], genders: [Male], max_service: 60}
            simulation: {start: 2020-03, horizon: 2030-03, step: year, replications: 2000, seed: 3}
            initial: {ranks: {PC: {headcount: 20000, ethnicity: {White: 1}, gender: {Male: 1}, service: {"0-9": 1}}}}
            leaving: {bands: ["0+"], rates: {PC: [{value: 0.1, drift: \(delta)}]}}
            """
        let model = try ScenarioLoader.parse(text: text, file: "rate.yaml", directory: "").model
        let result = try Engine.run(model, .init(replications: 2000, seed: 3, threads: 2))
        let plan = result.plan
        let logits: [Double] = (0..<result.replications).map { rep in
            let stock = result.count(replication: rep, plan.headcountIndex(report: 9, rank: 0, group: 0))
            let leavers = result.count(replication: rep, plan.flowIndex(year: 9, flow: .leavers, rank: 0, group: 0))
            let p = leavers / stock
            return log(p / (1 - p))
        }
        let n = Double(logits.count)
        let median = logits.sorted()[logits.count / 2]
        #expect(abs(median - log(0.1 / 0.9)) < 4 * 3 * delta * 1.2533 / n.squareRoot(), "median logit \(median)")
        let variance = Self.covariance(logits, logits)
        #expect(abs(variance - 9 * delta * delta) < 4 * 9 * delta * delta * (2 / (n - 1)).squareRoot() + 0.002,
                "variance \(variance), law \(9 * delta * delta) (+ binomial noise below 0.002)")
    }

    /// With `drift: 0` a run is bit-identical to one without the form, and adding drift to one number
    /// moves no other number's draws (leavers here, with the intake held fixed by `per_year`).
    @Test func driftChangesNothingElse() throws {
        let plain = try YearToYearTests.joiners(YearToYearTests.scenario(size: "{value: 1000, year_to_year: 0.2}", leaving: "0.05"))
        let zero = try YearToYearTests.joiners(YearToYearTests.scenario(size: "{value: 1000, year_to_year: 0.2, drift: 0}", leaving: "0.05"))
        #expect(plain == zero)
        // The leaving rate drifts; the intake's own variation (its own stream) is what it was.
        let drifting = try YearToYearTests.joiners(YearToYearTests.scenario(size: "{value: 1000, year_to_year: 0.2}", leaving: "{value: 0.05, drift: 0.2}"))
        #expect(drifting == plain)
    }

    /// The form's problems: a negative or too large drift, reported with its path.
    @Test func badDriftIsReported() {
        for (value, message) in [("-0.1", "-0.1 is negative"), ("1.5", "1.5 is above 1")] {
            let text = YearToYearTests.scenario(size: "{value: 1000, drift: \(value)}")
            do {
                _ = try ScenarioLoader.parse(text: text, file: "y2y.yaml", directory: "")
                Issue.record("expected an error for drift \(value)")
            } catch {
                let messages = error.diagnostics.map(\.description).joined(separator: "\n")
                #expect(messages.contains("recruitment[0].size.per_year.drift: \(message); expected the standard deviation of one year's step"), "\(messages)")
            }
        }
        let model = try? ScenarioLoader.parse(text: YearToYearTests.scenario(size: "{value: 1000, drift: 0.05}"), file: "y.yaml", directory: "").model
        #expect(model?.parameters.first { $0.path == "recruitment[0].size.per_year.value" }?.yearToYear == YearToYear(sd: 0, drift: 0.05))
    }
}
