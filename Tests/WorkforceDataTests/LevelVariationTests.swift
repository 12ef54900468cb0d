import Foundation
import Testing
import Workforce
import WorkforceScenario
@testable import WorkforceData

/// Calibration tells persistent from transient (issue 19): the random walk plus noise of a force's
/// size, estimated by the method of moments across forces.
struct LevelVariationTests {
    /// Forces simulated by the engine: each replication is a force of 100,000 officers held at an
    /// establishment whose scale is a random walk (`drift: √q`) plus transient noise
    /// (`year_to_year: √r`); leaving 20% a year so that `fill` always reaches the establishment. The
    /// log headcounts at the first three anniversaries are `log E + W_t + σ z_t` (up to rounding),
    /// a random walk plus noise. The estimates of q and r are each within 4 of their standard errors.
    @Test func recoversPersistentAndTransientFromSimulatedForces() throws {
        let q = 0.03 * 0.03, r = 0.02 * 0.02
        let text = """
            dimensions: {ranks: [PC], ethnicities: [White], genders: [Male], max_service: 40}
            simulation: {start: 2003-03, horizon: 2006-03, step: year}
            initial: {ranks: {PC: {headcount: 100000, ethnicity: {White: 1}, gender: {Male: 1}, service: {"0-9": 1}}}}
            leaving: {bands: ["0+"], rates: {PC: [0.2]}}
            establishment: {scale: {value: 1, year_to_year: \(r.squareRoot()), drift: \(q.squareRoot())}, PC: 100000}
            recruitment: [{size: fill, ethnicity: {White: 1}, gender: {Male: 1}}]
            """
        let model = try ScenarioLoader.parse(text: text, file: "forces.yaml", directory: "").model
        let result = try Engine.run(model, .init(replications: 1500, seed: 2005, threads: 2))
        let levels = (0..<result.replications).map { rep in
            (1...3).map { log(result.count(replication: rep, result.plan.headcountIndex(report: $0, rank: 0, group: 0))) }
        }
        let v = LevelVariation(levels: levels, what: "simulated forces")
        #expect(v.forces == 1500 && v.changes == 3000)
        #expect(abs(v.persistent - q) < 4 * v.persistentSE, "q \(v.persistent) (se \(v.persistentSE)), truth \(q)")
        #expect(abs(v.transient - r) < 4 * v.transientSE, "r \(v.transient) (se \(v.transientSE)), truth \(r)")
        #expect(v.persistentSE < q / 4 && v.transientSE < r / 4, "the standard errors are small enough to tell: \(v.persistentSE), \(v.transientSE)")
        // The changes' variance is q + 2r (each year's mean over forces taken out).
        #expect(abs(v.changeVariance - (q + 2 * r)) < 4 * (q + 2 * r) * (2.0 / 3000).squareRoot(), "\(v.changeVariance)")
    }

    /// A pure random walk (r = 0): consecutive changes uncorrelated, so r̂ is 0 within its standard error.
    /// Two snapshots cannot tell: the assumption (all persistent) is said.
    @Test func twoSnapshotsCannotTell() {
        let two = LevelVariation(levels: (0..<40).map { [0, 0.01 * Double($0 % 7)] }, what: "two snapshots")
        #expect(two.source.hasPrefix("ASSUMED all persistent"))
        #expect(two.transient == 0 && two.persistent == two.changeVariance && two.persistentSE.isNaN)
    }

    /// Hand-made forces: changes (around each year's mean) of +a then −a for half the forces and −a then
    /// +a for the others give Var Δ = a² n/(n−1) and Cov = −a² n/(n−1), so q̂ = Var + 2 Cov < 0: set to 0,
    /// and r takes all of the variance, r = Var/2 (as Var Δ = 2r with q = 0).
    @Test func theMomentsOnAHandMadeCase() {
        let a = 0.05, n = 10.0
        let levels = (0..<10).map { f in f % 2 == 0 ? [0, a, 0] : [0, -a, 0] }
        let v = LevelVariation(levels: levels, what: "hand-made")
        #expect(abs(v.changeVariance - a * a * n / (n - 1)) < 1e-12)
        #expect(abs(v.lagCovariance + a * a * n / (n - 1)) < 1e-12)
        #expect(abs(v.transient - a * a * n / (n - 1) / 2) < 1e-12 && v.persistent == 0)
    }

    /// The fragment's scale from the estimates: a first draw of variance `q + r + τ²_national` less the
    /// ranks' own, `year_to_year: √r`, `drift: √(q + τ²_national)`; without them, the whole
    /// force-level change as the drift.
    @Test func theFragmentWritesBothParts() {
        var c = Calibration(
            categories: CalibrationTests.categories, years: [2003, 2004], snapshots: NoImpossibleZerosTests.snapshots, assumedLeaving: [0.06, 0.06, 0.06])
        c.sizeVariation = SizeVariation(tau2: 0, kappa: 0, scaleTau2: 0.002, transitions: 20, source: "test")
        #expect(c.scaleText == "{value: {normal: [1, \(Calibration.number(0.002.squareRoot()))]}, drift: \(Calibration.number(0.002.squareRoot()))}")
        c.sizeVariation.levels = LevelVariation(
            persistent: 0.0004, transient: 0.0001, persistentSE: 0, transientSE: 0, changeVariance: 0.0006, lagCovariance: -0.0001,
            forces: 10, changes: 20, source: "test")
        let national = SizeVariation.nationalTau2
        #expect(c.scaleText == "{value: {normal: [1, \(Calibration.number((0.0005 + national).squareRoot()))]}, year_to_year: 0.01, "
            + "drift: \(Calibration.number((0.0004 + national).squareRoot()))}", "\(c.scaleText)")
    }
}
