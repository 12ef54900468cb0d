import Foundation
import Testing
import Workforce
@testable import WorkforceData
import WorkforceScenario

/// Calibration against data the engine itself simulated from known rates.
@Suite struct CalibrationTests {
    static let categories = Categories(ranks: ["A", "B", "C"], ethnicities: ["Majority", "Minority"], genders: ["Female", "Male"])

    /// The true rates of the simulated force.
    struct Truth {
        /// Annual leaving probability by rank, for the majority and the minority.
        var leaving: [[Double]] = [[0.08, 0.05, 0.10], [0.12, 0.07, 0.10]]
        /// Annual promotion probability of the reference group (Majority Male) into B and C.
        var promotion = [0.06, 0.04]
        /// Odds factors into B (Minority ×0.6, Female ×0.8) and into C (Minority ×1.3).
        func odds(rank: Int, group q: Int) -> Double {
            let minority = q / 2 == 1, female = q % 2 == 0
            return rank == 1 ? (minority ? 0.6 : 1) * (female ? 0.8 : 1) : (minority ? 1.3 : 1)
        }
        func promotionProbability(rank: Int, group q: Int) -> Double {
            let o = promotion[rank - 1] / (1 - promotion[rank - 1]) * odds(rank: rank, group: q)
            return o / (1 + o)
        }
        let intake = 2500.0
        let minorityIntake = 0.2
        /// Female share of the majority's and the minority's intake.
        let femaleIntake = [0.4, 0.5]
    }

    /// Five yearly snapshots and the leavers and joiners between them, from one replication of
    /// the engine (yearly steps, so flows happen in the order the calibration assumes).
    static func simulate(
        _ truth: Truth, sameLeaving: Bool, seed: UInt64, intakeVariation: YearToYear? = nil, minorityShareVariation: YearToYear? = nil,
        promotionVariation: YearToYear? = nil
    ) throws -> (snapshots: [[[Double]]], flows: [Int: ObservedFlows], promotions: [[Double]]) {
        let c = categories
        let d = Dimensions(ranks: c.ranks, ethnicities: c.ethnicities, genders: c.genders, maxService: 80)
        var parameters: [ParameterSpec] = []
        func p(_ x: Double) -> Parameter {
            parameters.append(ParameterSpec(path: "p\(parameters.count)", distribution: .fixed(x), range: 0...1e9))
            return Parameter(parameters.count - 1)
        }
        var initial = Array(repeating: 0, count: d.cellCount)
        let sizes = [[6000, 12000, 1500, 3000], [2000, 4000, 300, 700], [600, 1200, 60, 140]]
        for r in 0..<3 { for q in 0..<4 { initial[d.cell(r, q, 5)] = sizes[r][q] } }
        func selector(_ e: [Int], _ g: [Int] = [0, 1]) -> Selector {
            Selector(ranks: [true, true, true], ethnicities: [0, 1].map(e.contains), genders: [0, 1].map(g.contains))
        }
        let leaving = Leaving(
            bands: [0...79], rates: truth.leaving[0].map { [p($0)] },
            overrides: sameLeaving ? [] : [.init(selector: selector([1]), rates: truth.leaving[1].map { [p($0)] })])
        let promotion: [Int: Promotion] = [
            1: Promotion(mode: .rate(p(truth.promotion[0])), minService: 0, odds: [
                .init(selector: selector([1]), factor: p(0.6)), .init(selector: selector([0, 1], [0]), factor: p(0.8)),
            ]),
            2: Promotion(mode: .rate(p(truth.promotion[1])), minService: 0, odds: [.init(selector: selector([1]), factor: p(1.3))]),
        ]
        let size = p(truth.intake)
        parameters[size.index].yearToYear = intakeVariation
        let minority = p(truth.minorityIntake)
        parameters[minority.index].yearToYear = minorityShareVariation
        for rule in promotion.values { if case .rate(let rate) = rule.mode { parameters[rate.index].yearToYear = promotionVariation } }
        let intake = Intake(
            rank: 0, size: .perYear(Dated(constant: size)),
            ethnicity: Dated(constant: Shares([.value(p(1 - truth.minorityIntake)), .value(minority)])),
            gender: Dated(constant: Shares([.value(p(truth.femaleIntake[0])), .rest])),
            genderByEthnicity: [1: Dated(constant: Shares([.value(p(truth.femaleIntake[1])), .rest]))])
        let start = Month(year: 2000, month: 3)
        let model = Model(
            name: "simulated", dimensions: d,
            timeline: Timeline(start: start, horizon: start + 60, step: .year, replications: 1, seed: seed),
            parameters: parameters, initial: initial, leaving: leaving, promotion: promotion, intakes: [intake])
        let result = try Engine.run(model, Engine.Options(model))
        let plan = result.plan
        let snapshots = plan.reportSteps.indices.map { report in
            (0..<3).map { r in (0..<4).map { q in result.count(replication: 0, plan.headcountIndex(report: report, rank: r, group: q)) } }
        }
        var flows: [Int: ObservedFlows] = [:]
        var promotions = Array(repeating: Array(repeating: 0.0, count: 4), count: 3)
        for year in 0..<plan.years {
            func flow(_ kind: Flow, _ r: Int, _ q: Int) -> Double { result.count(replication: 0, plan.flowIndex(year: year, flow: kind, rank: r, group: q)) }
            flows[2001 + year] = ObservedFlows(
                leavers: (0..<3).map { r in (0..<4).map { flow(.leavers, r, $0) } }, joiners: (0..<4).map { flow(.joiners, 0, $0) })
            for r in 1..<3 { for q in 0..<4 { promotions[r][q] += flow(.promotions, r, q) } }
        }
        return (snapshots, flows, promotions)
    }

    static let years = Array(2000...2005)

    /// With leavers given: the promotions and recruits the pipeline implies are exactly the
    /// engine's, and every raw rate and share is within 4 of its standard errors of the truth.
    @Test func recoversKnownRatesWithLeaversGiven() throws {
        let truth = Truth()
        let (snapshots, flows, promotions) = try Self.simulate(truth, sameLeaving: false, seed: 7)
        let leaversOnly = flows.mapValues { ObservedFlows(leavers: $0.leavers) }
        let c = Calibration(categories: Self.categories, years: Self.years, snapshots: snapshots, flows: leaversOnly, assumedLeaving: [0, 0, 0])
        #expect(c.leaversObserved && !c.joinersObserved)
        #expect(c.notes.isEmpty)
        let joined = flows.values.reduce(0) { $0 + $1.joiners!.reduce(0, +) }
        #expect(abs(c.intakePerYear * 5 - joined) < 1e-6)
        for r in 1..<3 {
            for q in 0..<4 {
                let rate = c.promotion[r - 1].groups[q]
                #expect(abs(rate.events - promotions[r][q]) < 1e-6)
                let z = (rate.raw - truth.promotionProbability(rank: r, group: q)) / rate.rawSE
                #expect(abs(z) < 4, "promotion into \(r), group \(q): z = \(z)")
            }
        }
        let leaving = try #require(c.leaving)
        for r in 0..<3 {
            for q in 0..<4 {
                let rate = leaving[r].groups[q]
                let z = (rate.raw - truth.leaving[q / 2][r]) / rate.rawSE
                #expect(abs(z) < 4, "leaving from \(r), group \(q): z = \(z)")
            }
        }
        let minority = c.intakeEthnicity[1]
        #expect(abs((minority.value - truth.minorityIntake) / minority.se) < 4)
        for e in 0..<2 {
            let female = c.intakeGenderByEthnicity[e][0]
            #expect(abs((female.value - truth.femaleIntake[e]) / female.se) < 4)
        }
    }

    /// Without leavers, with the true (group-blind) leaving rates assumed: promotions are
    /// recovered within 4 standard errors that include the variance of the imputed leavers.
    @Test func recoversPromotionFromSnapshotsAlone() throws {
        let truth = Truth()
        let (snapshots, _, _) = try Self.simulate(truth, sameLeaving: true, seed: 11)
        let c = Calibration(categories: Self.categories, years: Self.years, snapshots: snapshots, assumedLeaving: truth.leaving[0])
        #expect(c.leaving == nil)
        for r in 1..<3 {
            for q in 0..<4 {
                let rate = c.promotion[r - 1].groups[q]
                let z = (rate.raw - truth.promotionProbability(rank: r, group: q)) / rate.rawSE
                #expect(abs(z) < 4, "promotion into \(r), group \(q): z = \(z)")
                // The imputed leavers widen the standard error beyond the binomial one.
                #expect(rate.rawSE > (rate.raw * (1 - rate.raw) / rate.exposure).squareRoot())
            }
            // Odds relative to Majority Male, within 4 standard errors on the log scale.
            for q in 0..<4 where q != c.reference {
                let (factor, logSE) = c.odds(rank: r, group: q)
                #expect(abs(log(factor) - log(truth.odds(rank: r, group: q))) < 4 * logSE)
            }
        }
        #expect(c.reference == 1)  // Majority Male, the largest group
        #expect(abs((c.intakePerYear - truth.intake) / c.intakePerYearSE) < 4)
    }

    /// The fragment, under a scenario header, is a valid scenario, and its numbers are the estimates.
    @Test func theFragmentIsAValidScenario() throws {
        let (snapshots, flows, _) = try Self.simulate(Truth(), sameLeaving: false, seed: 3)
        for given in [flows, [:]] {
            let c = Calibration(categories: Self.categories, years: Self.years, snapshots: snapshots, flows: given, assumedLeaving: [0.08, 0.05, 0.1])
            let scenario = """
                dimensions: {ranks: [A, B, C], ethnicities: [Majority, Minority], genders: [Female, Male], max_service: 40}
                simulation: {start: 2005-03, horizon: 2006-03, step: year}
                initial: {ranks: {A: {headcount: 100, ethnicity: {Majority: 1}, gender: {Male: 1}, service: {"0-9": 1}}}}

                """ + c.fragment(source: "simulated")
            let model = try ScenarioLoader.parse(text: scenario, file: "calibrated.yaml", directory: "").model
            #expect(model.promotion.count == 2)
            #expect(model.leaving.overrides.count == (given.isEmpty ? 0 : 4))
            let csv = c.estimatesCSV()
            #expect(csv.hasPrefix("parameter,rank,ethnicity,gender,events,exposure,raw,raw_se,estimate,se,prior_mean,prior_strength\n"))
            #expect(csv.components(separatedBy: "\npromotion_odds,").count - 1 == 2 * 4)
        }
    }
}

@Suite struct ShrinkageTests {
    /// A group of 3 Inspectors with no promotions, or all 3 promoted, gets a rate strictly
    /// inside (0, 1), between its raw rate and the pooled one.
    @Test func smallCellsStayInside() {
        let events = [40.0, 0, 3, 0], exposures = [1000.0, 3, 3, 0]
        let prior = BetaBinomialShrinkage(events: events, exposures: exposures)
        #expect(prior.strength >= BetaBinomialShrinkage.minimumStrength)
        for (x, n) in zip(events, exposures) {
            let (rate, se) = prior.posterior(events: x, exposure: n)
            #expect(rate > 0 && rate < 1)
            #expect(se > 0)
            if n > 0 { #expect((min(x / n, prior.mean)...max(x / n, prior.mean)).contains(rate)) }
        }
        #expect(prior.posterior(events: 0, exposure: 3).rate > 0.2 * prior.mean)
        #expect(prior.posterior(events: 3, exposure: 3).rate < 0.9)
        // Nobody promoted anywhere: still inside (0, 1).
        let none = BetaBinomialShrinkage(events: [0, 0, 0], exposures: [3, 50, 500])
        #expect(none.mean > 0)
        #expect(none.posterior(events: 0, exposure: 3).rate > 0)
    }

    /// Groups that differ only by binomial noise are pooled hard; groups that really differ keep
    /// most of their own rate.
    @Test func strengthFollowsTheSpreadBetweenGroups() {
        let alike = BetaBinomialShrinkage(events: [50, 51, 49, 50], exposures: [1000, 1000, 1000, 1000])
        #expect(alike.strength == 4000)
        let differ = BetaBinomialShrinkage(events: [10, 50, 150, 300], exposures: [1000, 1000, 1000, 1000])
        #expect(differ.strength < 100)
        let (rate, _) = differ.posterior(events: 10, exposure: 1000)
        #expect(rate < 0.02)
    }

    /// Calibrated small cells: a group with a handful of officers in a rank never gets 0 or 1.
    @Test func calibratedSmallCellsStayInside() throws {
        let c = try Sample.table.snapshot(force: "Dyfed-Powys", year: 2003, measure: .headcount, mapping: .homeOffice)
        let d = try Sample.table.snapshot(force: "Dyfed-Powys", year: 2004, measure: .headcount, mapping: .homeOffice)
        let calibration = Calibration(
            categories: c.categories, years: [2003, 2004], snapshots: [c.counts, d.counts],
            assumedLeaving: Array(repeating: 0.06, count: 7))
        for table in calibration.promotion {
            for rate in table.groups {
                #expect(rate.value > 0 && rate.value < 1)
                #expect(rate.se > 0)
            }
        }
        for share in calibration.intakeEthnicity + calibration.intakeGender { #expect(share.value > 0 && share.value < 1) }
    }
}

/// Force size apart from make-up (ForceSize.swift).
@Suite struct ForceSizeTests {
    /// 40 forces simulated by the engine over five years with a known year-to-year σ of the intake:
    /// the pooled estimate from their snapshots and joiners is within 4 of its standard errors.
    @Test func recoversTheYearToYearVariationOfIntake() throws {
        let sigma = 0.15
        let intakes = try (1...40).map { force -> [(value: Double, se: Double)] in
            let (snapshots, flows, _) = try CalibrationTests.simulate(
                CalibrationTests.Truth(), sameLeaving: false, seed: UInt64(100 + force), intakeVariation: YearToYear(sd: sigma))
            let years = CalibrationTests.years
            return (0..<(years.count - 1)).map { t in
                let year = Calibration(
                    categories: CalibrationTests.categories, years: [years[t], years[t + 1]], snapshots: [snapshots[t], snapshots[t + 1]],
                    flows: flows, assumedLeaving: [0.08, 0.05, 0.1])
                return (year.intakePerYear, year.intakePerYearSE)
            }
        }
        let estimate = YearToYearEstimate(intakes: intakes, what: "40 simulated forces")
        #expect(estimate.pairs == 40 * 4)
        #expect(abs(estimate.sd * estimate.sd - sigma * sigma) < 4 * estimate.varianceSE, "σ = \(estimate.sd) (se of σ² \(estimate.varianceSE))")
        #expect(estimate.varianceSE < sigma * sigma / 3)  // the test can tell σ = 0.15 from 0
        // Too few pairs: the published-series assumption.
        let few = YearToYearEstimate(intakes: [Array(intakes[0].prefix(2))], what: "one force")
        #expect(few.pairs == 0 && few.sd == YearToYearEstimate.assumedIntake.sd && few.source.hasPrefix("ASSUMED"))
    }

    /// 40 forces simulated by the engine over four snapshots (three years) with known year-to-year
    /// σ of the minority's intake share (log ratio to the majority, 0.25) and of the promotion rate
    /// (logit, 0.3): the pooled estimates from their one-year calibrations are within 4 of their
    /// standard errors; without enough pairs, the published assumptions.
    @Test func recoversTheYearToYearVariationOfMakeUp() throws {
        let share = 0.25, promotion = 0.3
        let years = Array(CalibrationTests.years.prefix(4))
        let yearly = try (1...40).map { force -> [Calibration] in
            let (snapshots, flows, _) = try CalibrationTests.simulate(
                CalibrationTests.Truth(), sameLeaving: false, seed: UInt64(300 + force),
                minorityShareVariation: YearToYear(sd: share), promotionVariation: YearToYear(sd: promotion))
            return (0..<(years.count - 1)).map { t in
                Calibration(
                    categories: CalibrationTests.categories, years: [years[t], years[t + 1]], snapshots: [snapshots[t], snapshots[t + 1]],
                    flows: flows, assumedLeaving: [0.08, 0.05, 0.1])
            }
        }
        let estimate = MakeUpVariation(yearly: yearly, what: "40 simulated forces")
        #expect(estimate.ethnicity.pairs == 40 * 2 && estimate.promotion.pairs == 40 * 2 * 2)
        for (found, sd) in [(estimate.ethnicity, share), (estimate.promotion, promotion)] {
            #expect(abs(found.sd * found.sd - sd * sd) < 4 * found.varianceSE, "σ = \(found.sd) (se of σ² \(found.varianceSE)), true \(sd)")
            #expect(found.varianceSE < sd * sd / 3)  // the test can tell σ from 0
        }
        // The gender shares did not vary: only sampling noise, which the estimator subtracts.
        #expect(estimate.gender.sd * estimate.gender.sd < 4 * estimate.gender.varianceSE, "gender σ = \(estimate.gender.sd)")
        #expect(estimate.leaving.source == MakeUpVariation.assumedLeaving.source)
        let few = MakeUpVariation(yearly: [Array(yearly[0].prefix(2))], what: "one force")
        #expect(few.ethnicity.source == MakeUpVariation.assumedEthnicity.source && few.promotion.source == MakeUpVariation.assumedPromotion.source)
        #expect(few.ethnicity.source.hasPrefix("ASSUMED"))
    }

    @Test func parsesTheOption() {
        #expect(ForceSize(argument: "flat") == .flat)
        #expect(ForceSize(argument: "rates") == .rates)
        #expect(ForceSize(argument: "per-year=250") == .perYear(250))
        #expect(ForceSize(argument: "per-year=-1") == nil)
        #expect(ForceSize(argument: "trend") == .trend)
        #expect(ForceSize(argument: "growth") == nil)
    }

    /// Rank-years whose squared log changes lie exactly on `τ² + κ/N` give back τ² and κ; changes
    /// that do not grow with 1/N give κ = 0.
    @Test func fitsTheLawOfRankChanges() throws {
        let tau2 = 0.0016, kappa = 0.3
        let changes = [20.0, 35, 50, 80, 120, 200, 400, 900, 2000, 5000, 12000].enumerated().map { i, n in
            (start: n, end: n * exp((i.isMultiple(of: 2) ? 1 : -1) * (tau2 + kappa / n).squareRoot()))
        }
        let fitted = try #require(SizeVariation.fit(changes))
        #expect(abs(fitted.tau2 - tau2) < 1e-12 && abs(fitted.kappa - kappa) < 1e-9)
        let flat = try #require(SizeVariation.fit([20.0, 50, 100, 400, 800, 1600, 3200, 6400, 10000, 20000].enumerated().map { i, n in
            (start: n, end: n * exp(i.isMultiple(of: 2) ? 0.05 : -0.05 + Double(i) * 0.0001))
        }))
        #expect(flat.kappa >= 0 && flat.tau2 > 0)
    }

    /// Forces whose ranks all change by their force's factor: the ranks' law around the force is 0,
    /// and the scale's variance is the forces' spread around each year's mean (0.15 in 2004, 0 in
    /// 2005; pooled with n − 2 degrees of freedom) plus the national assumption;
    /// fewer than `minimumTransitions` rank-years give the assumption.
    @Test func separatesTheForceScaleFromTheRanks() {
        func force(_ year: Int, _ change: Double) -> (year: Int, starts: [Double], ends: [Double]) {
            (year, [1000, 200, 50], [1000, 200, 50].map { $0 * exp(change) })
        }
        let years = [force(2004, 0.2), force(2004, 0.0), force(2004, 0.1), force(2004, 0.3),
                     force(2005, -0.05), force(2005, 0.05), force(2005, 0)]
        let v = SizeVariation(forceYears: years, what: "test")
        #expect(v.transitions == 21)
        #expect(abs(v.tau2) < 1e-12 && abs(v.kappa) < 1e-9)
        let spread = (0.0025 + 0.0225 + 0.0025 + 0.0225 + 0.0025 + 0.0025 + 0) / Double(7 - 2)  // around 0.15 and 0
        #expect(abs(v.scaleTau2 - (spread + SizeVariation.nationalTau2)) < 1e-9, "\(v.scaleTau2)")
        #expect(SizeVariation(forceYears: Array(years.prefix(3)), what: "test").source == SizeVariation.assumed.source)
        // The scale gives the force total the estimated spread, less what independent rank draws give it.
        let mixed = SizeVariation(tau2: 0.0004, kappa: 0.3, scaleTau2: 0.0009, transitions: 20, source: "test")
        #expect(abs(mixed.scaleSD(headcounts: [600, 300, 100]) - (0.0009 - 0.0004 * (0.36 + 0.09 + 0.01)).squareRoot()) < 1e-12)
        #expect(SizeVariation(tau2: 0.01, kappa: 0, scaleTau2: 0.0009, transitions: 20, source: "test").scaleSD(headcounts: [1000]) == 0)
    }

    /// `--size flat`: in expected-value mode a calibrated force keeps every rank at its headcount in
    /// the last snapshot (establishment, intake fill, promotion by vacancy); with `--size rates` it
    /// follows the estimated flows instead.
    @Test func flatHoldsEachRankAtItsLastHeadcount() throws {
        let (snapshots, _, _) = try CalibrationTests.simulate(CalibrationTests.Truth(), sameLeaving: false, seed: 5)
        var c = Calibration(
            categories: CalibrationTests.categories, years: CalibrationTests.years, snapshots: snapshots, assumedLeaving: [0.08, 0.05, 0.1])
        let last = c.lastHeadcount
        #expect(last == snapshots.last!.map { $0.reduce(0, +) })
        func run(_ size: ForceSize) throws -> [Double] {
            c.size = size
            // The last snapshot as marginals: every officer Majority Male, 0-9 years of service.
            let ranks = zip(["A", "B", "C"], last).map { "\($0): {headcount: \(Int($1)), ethnicity: {Majority: 1}, gender: {Male: 1}, service: {\"0-9\": 1}}" }
            let scenario = """
                dimensions: {ranks: [A, B, C], ethnicities: [Majority, Minority], genders: [Female, Male], max_service: 40}
                simulation: {start: 2005-03, horizon: 2006-03, step: year}
                initial: {ranks: {\(ranks.joined(separator: ", "))}}

                """ + c.fragment(source: "simulated")
            let model = try ScenarioLoader.parse(text: scenario, file: "calibrated.yaml", directory: "").model
            let result = try Engine.run(model, .init(replications: 1, seed: 1, expected: true))
            let plan = result.plan
            return (0..<3).map { r in (0..<4).reduce(0) { $0 + result.count(replication: 0, plan.headcountIndex(report: 1, rank: r, group: $1)) } }
        }
        let flat = try run(.flat)
        for r in 0..<3 { #expect(abs(flat[r] - last[r]) < 1e-6) }
        let rates = try run(.rates)
        #expect(zip(rates, last).contains { abs($0 - $1) > 1 })
        let perYear = try run(.perYear(0))
        #expect(perYear[0] < last[0])  // no recruits: the entry rank shrinks
        // --size trend: a year on, every rank at its last headcount times the force's mean annual change
        // (the ends of the years raised by 5% so that the force grows; the fragment writes 6 digits).
        c.endStock = c.endStock.map { $0.map { $0 * 1.05 } }
        let growth = exp(c.trendGrowth)
        #expect(growth > 1.04)
        let trend = try run(.trend)
        for (held, n) in zip(trend, last) { #expect(abs(held - n * growth) < 1e-5 * n, "\(held) against \(n * growth)") }
    }
}

/// The betas calibrate writes stay within the shapes a scenario accepts (`Limits.betaShape`,
/// issue 20), keeping their mean: a rate of 10^-6 and a share known to 10^-6 both validate.
@Suite struct FragmentBetaLimitTests {
    @Test func betaShapesStayWithinTheLimits() {
        for (mean, sd) in [(1e-6, 1e-7), (0.5, 1e-6), (0.999_999, 1e-7), (0.3, 0.01)] {
            let (a, b) = Calibration.betaParameters(mean: mean, sd: sd, high: 1)
            #expect(Limits.betaShape.contains(a) && Limits.betaShape.contains(b), "mean \(mean), sd \(sd): a \(a), b \(b)")
            #expect(abs(a / (a + b) - mean) < 1e-12 * max(mean, 1e-6))
        }
        let (a, b) = Calibration.betaParameters(mean: 0.3, sd: 0.01, high: 1)  // inside the limits: method of moments, unchanged
        #expect(abs(a + b - (0.3 * 0.7 / 0.0001 - 1)) < 1e-9)
    }
}
