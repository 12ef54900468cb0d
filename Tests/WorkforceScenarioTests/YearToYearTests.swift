import WorkforceFormats
import Foundation
import Testing
import Workforce
import WorkforceScenario
import _CGSL

/// Year-to-year variation (`{value, year_to_year, persistence}`): the yearly values follow the
/// stated law, and nothing else changes.
struct YearToYearTests {
    static func scenario(size: String, leaving: String = "0") -> String {
        """
        dimensions: {ranks: [PC], ethnicities: [White], genders: [Male], max_service: 40}
        simulation: {start: 2020-03, horizon: 2030-03, step: year, replications: 2000, seed: 7}
        initial: {ranks: {PC: {headcount: 5000, ethnicity: {White: 1}, gender: {Male: 1}, service: {"0-9": 1}}}}
        leaving: {bands: ["0+"], rates: {PC: [\(leaving)]}}
        recruitment: [{size: {per_year: \(size)}, ethnicity: {White: 1}, gender: {Male: 1}}]
        """
    }

    static func joiners(_ text: String, expected: Bool = false) throws -> [[Double]] {
        let model = try ScenarioLoader.parse(text: text, file: "y2y.yaml", directory: "").model
        let result = try Engine.run(model, .init(replications: 2000, seed: 7, threads: 2, expected: expected))
        let plan = result.plan
        return (0..<result.replications).map { rep in
            (0..<10).map { year in result.count(replication: rep, plan.flowIndex(year: year, flow: .joiners, rank: 0, group: 0)) }
        }
    }

    /// Intake 1000 a year, σ = 0.2, ρ = 0.6: in every year `ln J ~ N(ln 1000 − σ²/2, σ²)` (up to
    /// whole recruits), so `E J = 1000`; consecutive years' `ln J` correlate at ρ. Each within 4 SE.
    @Test func yearlyIntakeFollowsTheLaw() throws {
        let sigma = 0.2, rho = 0.6
        let draws = try Self.joiners(Self.scenario(size: "{value: 1000, year_to_year: \(sigma), persistence: \(rho)}"))
        let n = Double(draws.count)
        for year in [0, 4, 9] {
            let j = draws.map { $0[year] }
            let mean = j.reduce(0, +) / n
            let sd = 1000 * (exp(sigma * sigma) - 1).squareRoot()
            #expect(abs(mean - 1000) < 4 * sd / n.squareRoot(), "year \(year): mean \(mean)")
            let logs = j.map { log($0) }
            let logMean = logs.reduce(0, +) / n
            let logVariance = logs.reduce(0) { $0 + ($1 - logMean) * ($1 - logMean) } / (n - 1)
            #expect(abs(logMean - (log(1000) - sigma * sigma / 2)) < 4 * sigma / n.squareRoot(), "year \(year): log mean \(logMean)")
            #expect(abs(logVariance - sigma * sigma) < 4 * sigma * sigma * (2 / (n - 1)).squareRoot(), "year \(year): log variance \(logVariance)")
        }
        for year in [0, 5] {
            let a = draws.map { log($0[year]) }, b = draws.map { log($0[year + 1]) }
            let ma = a.reduce(0, +) / n, mb = b.reduce(0, +) / n
            let cov = zip(a, b).reduce(0) { $0 + ($1.0 - ma) * ($1.1 - mb) }
            let r = cov / (a.reduce(0) { $0 + ($1 - ma) * ($1 - ma) } * b.reduce(0) { $0 + ($1 - mb) * ($1 - mb) }).squareRoot()
            #expect(abs(r - rho) < 4 * (1 - rho * rho) / n.squareRoot(), "years \(year), \(year + 1): lag-1 correlation \(r)")
        }
        // Independent years: no correlation.
        let independent = try Self.joiners(Self.scenario(size: "{value: 1000, year_to_year: \(sigma)}"))
        let a = independent.map { log($0[2]) }, b = independent.map { log($0[3]) }
        let ma = a.reduce(0, +) / n, mb = b.reduce(0, +) / n
        let r = zip(a, b).reduce(0) { $0 + ($1.0 - ma) * ($1.1 - mb) }
            / (a.reduce(0) { $0 + ($1 - ma) * ($1 - ma) } * b.reduce(0) { $0 + ($1 - mb) * ($1 - mb) }).squareRoot()
        #expect(abs(r) < 4 / n.squareRoot(), "independent years: lag-1 correlation \(r)")
    }

    /// A yearly intake share that varies (`A: {value: 0.2, year_to_year: 0.4, persistence: 0.5}`,
    /// `B: 0.3`, `C: rest`), 10,000 recruits a year split by GSL's multinomial, 2000 replications.
    /// The law: `A_t = 0.2 w/(0.2 w + 0.8)`, `B_t = 0.3/(0.2 w + 0.8)`, `C_t = 0.5/(0.2 w + 0.8)`,
    /// `w = exp(0.4 z_t)`, z AR(1) with ρ = 0.5; its moments are computed by midpoint quadrature
    /// over the normal quantiles (`gsl_cdf_ugaussian_Pinv`). The observed share `X/n` adds binomial
    /// noise: variance `Var(s) + E[s(1 − s)]/n`, the covariance of consecutive years unchanged.
    /// Mean (each category), variance and lag-1 correlation of A's yearly share each within 4 SE.
    @Test func yearlyIntakeShareFollowsTheLaw() throws {
        let sigma = 0.4, rho = 0.5, n = 10_000.0
        let text = """
            dimensions: {ranks: [PC], ethnicities: [A, B, C], genders: [Male], max_service: 40}
            simulation: {start: 2020-03, horizon: 2030-03, step: year, replications: 2000, seed: 7}
            initial: {ranks: {PC: {headcount: 5000, ethnicity: {A: 0.2, B: 0.3, C: 0.5}, gender: {Male: 1}, service: {"0-9": 1}}}}
            leaving: {bands: ["0+"], rates: {PC: [0]}}
            recruitment: [{size: {per_year: 10000}, ethnicity: {A: {value: 0.2, year_to_year: \(sigma), persistence: \(rho)}, B: 0.3, C: rest}, gender: {Male: 1}}]
            """
        let model = try ScenarioLoader.parse(text: text, file: "y2y.yaml", directory: "").model
        let result = try Engine.run(model, .init(replications: 2000, seed: 7, threads: 2))
        let plan = result.plan
        let reps = Double(result.replications)
        func share(_ rep: Int, _ year: Int, _ e: Int) -> Double {
            result.count(replication: rep, plan.flowIndex(year: year, flow: .joiners, rank: 0, group: e)) / n
        }
        // The law's shares as functions of z, and their moments.
        let base = [0.2, 0.3, 0.5]
        func law(_ z: Double, _ e: Int) -> Double {
            let w = exp(sigma * z)
            return (e == 0 ? base[0] * w : base[e]) / (base[0] * w + 0.8)
        }
        let m = 200_000
        let grid = (0..<m).map { gsl_cdf_ugaussian_Pinv((Double($0) + 0.5) / Double(m)) }
        let lawMean = (0..<3).map { e in grid.reduce(0) { $0 + law($1, e) } / Double(m) }
        let lawSquare = grid.reduce(0) { $0 + law($1, 0) * law($1, 0) } / Double(m)
        let coarse = (0..<2000).map { gsl_cdf_ugaussian_Pinv((Double($0) + 0.5) / 2000) }
        var lawLag = 0.0
        for z1 in coarse {
            let a = law(z1, 0)
            for e in coarse { lawLag += a * law(rho * z1 + (1 - rho * rho).squareRoot() * e, 0) }
        }
        lawLag /= Double(coarse.count * coarse.count)
        #expect(abs(lawMean.reduce(0, +) - 1) < 1e-9, "the law's shares sum to 1")
        let lawVariance = lawSquare - lawMean[0] * lawMean[0]
        let observedVariance = lawVariance + (lawMean[0] - lawSquare) / n
        let lawCorrelation = (lawLag - lawMean[0] * lawMean[0]) / observedVariance
        #expect(lawMean[0] > 0.2 + 0.005, "the mean lies nearer ½ than the median 0.2: \(lawMean[0])")

        for year in [0, 4, 9] {
            for e in 0..<3 {
                let x = (0..<result.replications).map { share($0, year, e) }
                let mean = x.reduce(0, +) / reps
                let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (reps - 1)
                #expect(abs(mean - lawMean[e]) < 4 * (variance / reps).squareRoot(), "year \(year), category \(e): mean \(mean), law \(lawMean[e])")
                if e == 0 {
                    let fourth = x.reduce(0) { $0 + pow($1 - mean, 4) } / reps
                    #expect(abs(variance - observedVariance) < 4 * ((fourth - variance * variance) / reps).squareRoot(),
                            "year \(year): variance \(variance), law \(observedVariance)")
                }
            }
        }
        // Lag-1 correlation, its standard error from 20 batches of 100 replications.
        for year in [0, 5] {
            func correlation(_ reps: Range<Int>) -> Double {
                let a = reps.map { share($0, year, 0) }, b = reps.map { share($0, year + 1, 0) }
                let k = Double(a.count)
                let ma = a.reduce(0, +) / k, mb = b.reduce(0, +) / k
                let cov = zip(a, b).reduce(0) { $0 + ($1.0 - ma) * ($1.1 - mb) }
                return cov / (a.reduce(0) { $0 + ($1 - ma) * ($1 - ma) } * b.reduce(0) { $0 + ($1 - mb) * ($1 - mb) }).squareRoot()
            }
            let r = correlation(0..<result.replications)
            let batches = (0..<20).map { correlation(($0 * 100)..<($0 * 100 + 100)) }
            let batchMean = batches.reduce(0, +) / 20
            let se = (batches.reduce(0) { $0 + ($1 - batchMean) * ($1 - batchMean) } / 19 / 20).squareRoot()
            #expect(abs(r - lawCorrelation) < 4 * se, "years \(year), \(year + 1): lag-1 correlation \(r), law \(lawCorrelation) (se \(se))")
        }
    }

    /// A share with σ = 0 gives the draws of the same shares written without variation, bit for bit.
    @Test func shareWithoutVariationIsUnchanged() throws {
        func joiners(_ a: String) throws -> [Double] {
            let text = """
                dimensions: {ranks: [PC], ethnicities: [A, B, C], genders: [Male], max_service: 40}
                simulation: {start: 2020-03, horizon: 2026-03, step: year, replications: 50, seed: 7}
                initial: {ranks: {PC: {headcount: 5000, ethnicity: {A: 0.2, B: 0.3, C: 0.5}, gender: {Male: 1}, service: {"0-9": 1}}}}
                leaving: {bands: ["0+"], rates: {PC: [0.05]}}
                recruitment: [{size: {per_year: 1000}, ethnicity: {A: \(a), B: 0.3, C: rest}, gender: {Male: 1}}]
                """
            let model = try ScenarioLoader.parse(text: text, file: "y2y.yaml", directory: "").model
            let result = try Engine.run(model, .init(replications: 50, seed: 7, threads: 2))
            return (0..<50).flatMap { rep in (0..<6).flatMap { year in (0..<3).map { e in
                result.count(replication: rep, result.plan.flowIndex(year: year, flow: .joiners, rank: 0, group: e))
            } } }
        }
        let plain = try joiners("{beta: [20, 80, 0, 0.5]}")
        #expect(try joiners("{value: {beta: [20, 80, 0, 0.5]}, year_to_year: 0}") == plain)
        #expect(try joiners("{value: {beta: [20, 80, 0, 0.5]}, year_to_year: 0.3}") != plain)
    }

    /// Variation draws from its own streams: with σ = 0 every other draw (leavers here) is what it is
    /// without the variation, bit for bit; expected-value mode ignores the variation.
    @Test func nothingElseChanges() throws {
        let plain = try Self.joiners(Self.scenario(size: "1000", leaving: "0.05"))
        let zero = try Self.joiners(Self.scenario(size: "{value: 1000, year_to_year: 0}", leaving: "0.05"))
        #expect(plain == zero)
        let expectedPlain = try Self.joiners(Self.scenario(size: "1000", leaving: "0.05"), expected: true)
        let expectedVaried = try Self.joiners(Self.scenario(size: "{value: 1000, year_to_year: 0.3, persistence: 0.5}", leaving: "0.05"), expected: true)
        #expect(expectedPlain == expectedVaried)
    }

    /// Problems in the form are reported with their paths, all at once.
    @Test func badFormsAreReported() {
        let text = Self.scenario(size: "{value: 1000, year_to_year: -0.1, persistence: 1, spread: 2}")
        #expect(throws: InputError.self) { try ScenarioLoader.parse(text: text, file: "y2y.yaml", directory: "") }
        do {
            _ = try ScenarioLoader.parse(text: text, file: "y2y.yaml", directory: "")
        } catch {
            let messages = error.diagnostics.map(\.description).joined(separator: "\n")
            #expect(messages.contains("recruitment[0].size.per_year.year_to_year: -0.1 is negative"))
            #expect(messages.contains("recruitment[0].size.per_year.persistence: 1 is outside 0..<1"))
            #expect(messages.contains("unknown key 'spread'"))
        }
    }
}

/// Year-to-year variation of shares as a scenario writes it: accepted where shares are, with paths
/// that `--set` reaches.
struct ShareVariationFormTests {
    static let text = """
        dimensions: {ranks: [PC], ethnicities: [White, Black, Asian], genders: [Female, Male], max_service: 40,
                     aggregates: {BME: [Black, Asian]}}
        simulation: {start: 2020-03, horizon: 2024-03, step: year, replications: 10, seed: 7}
        initial: {ranks: {PC: {headcount: 500, ethnicity: {White: 0.8, Black: 0.1, Asian: 0.1}, gender: {Female: 0.3, Male: 0.7}, service: {"0-9": 1}}}}
        leaving: {bands: ["0+"], rates: {PC: [0.05]}}
        recruitment:
          - size: {per_year: 50}
            ethnicity: {BME: {share: {value: 0.25, year_to_year: 0.3, persistence: 0.4}, split: {Black: 0.4, Asian: 0.6}}, White: rest}
            gender: {Female: {value: {uniform: [0.3, 0.4]}, year_to_year: 0.2}, Male: rest}
        """

    @Test func sharesAcceptTheForm() throws {
        let model = try ScenarioLoader.parse(text: Self.text, file: "s.yaml", directory: "").model
        let varied = model.parameters.filter { $0.yearToYear != nil }
        #expect(varied.map(\.path) == ["recruitment[0].ethnicity.BME.share.value", "recruitment[0].gender.Female.value"])
        #expect(varied.map { $0.yearToYear! } == [YearToYear(sd: 0.3, persistence: 0.4), YearToYear(sd: 0.2)])
        #expect(varied.map(\.name) == ["BME share of recruits into PC", "Female share of recruits into PC"])
        let overridden = try ScenarioLoader.parse(
            text: Self.text, file: "s.yaml", directory: "",
            overrides: ["recruitment[0].gender.Female.year_to_year=0.5", "recruitment[0].ethnicity.BME.share.value=0.3"]).model
        #expect(overridden.parameters.first { $0.path == "recruitment[0].gender.Female.value" }?.yearToYear == YearToYear(sd: 0.5))
        #expect(overridden.parameters.first { $0.path == "recruitment[0].ethnicity.BME.share.value" }?.distribution == .fixed(0.3))
    }

    /// The form's problems on a share are reported with their paths; the drawn shares must still
    /// leave the rest non-negative.
    @Test func badShareFormsAreReported() {
        let text = Self.text.replacingOccurrences(of: "{value: {uniform: [0.3, 0.4]}, year_to_year: 0.2}", with: "{value: {uniform: [0.3, 1.4]}, year_to_year: -1}")
        do {
            _ = try ScenarioLoader.parse(text: text, file: "s.yaml", directory: "")
            Issue.record("expected an error")
        } catch {
            let messages = error.diagnostics.map(\.description).joined(separator: "\n")
            #expect(messages.contains("recruitment[0].gender.Female.year_to_year: -1 is negative"), "\(messages)")
            #expect(messages.contains("recruitment[0].gender.Female.value"), "\(messages)")
        }
    }
}

/// `establishment.scale`: a factor on every rank's establishment (a force-level change common to
/// every rank).
struct EstablishmentScaleTests {
    static func headcounts(_ scale: String) throws -> [Double] {
        let text = """
            dimensions: {ranks: [PC, Sgt], ethnicities: [White], genders: [Male], max_service: 40}
            simulation: {start: 2020-03, horizon: 2021-03, step: year}
            initial: {ranks: {PC: {headcount: 1000, ethnicity: {White: 1}, gender: {Male: 1}, service: {"0-9": 1}},
                              Sgt: {headcount: 200, ethnicity: {White: 1}, gender: {Male: 1}, service: {"10-19": 1}}}}
            leaving: {bands: ["0+"], rates: {PC: [0.05], Sgt: [0.05]}}
            establishment: {\(scale)PC: 1000, Sgt: 200}
            promotion: {Sgt: {by: vacancy}}
            recruitment: [{size: fill, ethnicity: {White: 1}, gender: {Male: 1}}]
            """
        let model = try ScenarioLoader.parse(text: text, file: "scale.yaml", directory: "").model
        let result = try Engine.run(model, .init(replications: 1, seed: 1, expected: true))
        return (0..<2).map { result.count(replication: 0, result.plan.headcountIndex(report: 1, rank: $0, group: 0)) }
    }

    @Test func scaleMultipliesEveryRank() throws {
        #expect(try Self.headcounts("") == [1000, 200])
        let scaled = try Self.headcounts("scale: 1.1, ")
        #expect(abs(scaled[0] - 1100) < 1e-9 && abs(scaled[1] - 220) < 1e-9, "\(scaled)")
        #expect(throws: InputError.self) { try Self.headcounts("scale: -1, ") }
    }
}
