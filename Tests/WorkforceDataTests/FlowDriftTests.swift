import Foundation
import Testing
import Workforce
@testable import WorkforceData

/// Calibrate writes `drift` for the make-up flows (issue 19): a year's change of an intake share,
/// leaving or promotion split into a persistent part (a random walk, `drift: δ`) and a transient
/// part (`year_to_year: σ`), estimated where four or more snapshots identify it, else assumed.
struct FlowDriftTests {
    /// 80 forces simulated by the engine over six snapshots (five years of flows), the minority's
    /// intake share a random walk (`drift` 0.2, `q = 0.04`) plus transient noise (`year_to_year`
    /// 0.1, `r = 0.01`) on the log-ratio scale: the persistent part estimated from the forces' yearly
    /// calibrations (`MakeUpVariation.persistentPart`) is within 4 of its standard errors of `q`, and
    /// the written drift is that plus the national part. The transient part's estimate carries the
    /// shares' sampling noise as well (about 0.0025 a year here), so it is checked to be at least `r`
    /// less 4 standard errors and at most `r` plus the noise plus 4.
    @Test func recoversThePersistentPartOfAnIntakeShare() throws {
        let q = 0.2 * 0.2, r = 0.1 * 0.1
        let years = CalibrationTests.years
        let yearly = try (1...80).map { force -> [Calibration] in
            let (snapshots, flows, _) = try CalibrationTests.simulate(
                CalibrationTests.Truth(), sameLeaving: false, seed: UInt64(900 + force),
                minorityShareVariation: YearToYear(sd: r.squareRoot(), drift: q.squareRoot()))
            return (0..<(years.count - 1)).map { t in
                Calibration(
                    categories: CalibrationTests.categories, years: [years[t], years[t + 1]], snapshots: [snapshots[t], snapshots[t + 1]],
                    flows: flows, assumedLeaving: [0.08, 0.05, 0.1])
            }
        }
        let series = yearly.flatMap { MakeUpVariation.logRatioSeries($0.map(\.intakeEthnicity)) }
        #expect(series.count == 80 && series.allSatisfy { $0.values.count == 5 })
        let own = try #require(MakeUpVariation.persistentPart(series, what: "80 simulated forces"))
        #expect(own.forces == 80)
        #expect(abs(own.persistent - q) < 4 * own.persistentSE, "q \(own.persistent) (se \(own.persistentSE)), truth \(q)")
        #expect(own.persistentSE < q / 3, "the test can tell q from 0: se \(own.persistentSE)")
        let noise = 0.004
        #expect(own.transient > r - 4 * own.transientSE && own.transient < r + noise + 4 * own.transientSE,
                "r \(own.transient) (se \(own.transientSE)), truth \(r)")
        let estimate = MakeUpVariation(yearly: yearly, what: "80 simulated forces")
        let national = MakeUpVariation.nationalEthnicity.q
        // The own part plus the national part, capped at the whole change (here q + 2r = 0.06 against
        // 0.04 + 0.0225: the cap binds, and σ is then 0).
        let e = estimate.ethnicity
        #expect(abs(e.drift * e.drift - min(own.persistent + national, 2 * e.sd * e.sd)) < 1e-12)
        #expect(estimate.ethnicity.driftSource.hasPrefix("the force's own part estimated"))
        // A year's change keeps its estimated variance: δ² + 2σ² = 2 sd².
        #expect(abs(e.drift * e.drift + 2 * e.transientSD * e.transientSD - 2 * e.sd * e.sd) < 1e-12)
    }

    /// Three snapshots give one yearly change of a flow per force: the persistent part is not
    /// identified, and the assumption is written and said (the minority's intake share varies,
    /// σ = 0.25, so that a year's change is larger than the national part it is split into).
    @Test func threeSnapshotsCannotTell() throws {
        let years = Array(CalibrationTests.years.prefix(3))
        let yearly = try (1...20).map { force -> [Calibration] in
            let (snapshots, flows, _) = try CalibrationTests.simulate(
                CalibrationTests.Truth(), sameLeaving: false, seed: UInt64(700 + force), minorityShareVariation: YearToYear(sd: 0.25))
            return (0..<(years.count - 1)).map { t in
                Calibration(
                    categories: CalibrationTests.categories, years: [years[t], years[t + 1]], snapshots: [snapshots[t], snapshots[t + 1]],
                    flows: flows, assumedLeaving: [0.08, 0.05, 0.1])
            }
        }
        #expect(MakeUpVariation.persistentPart(yearly.flatMap { MakeUpVariation.logRatioSeries($0.map(\.intakeEthnicity)) }, what: "x") == nil)
        let estimate = MakeUpVariation(yearly: yearly, what: "20 simulated forces")
        #expect(estimate.ethnicity.drift == 0.15)
        #expect(estimate.ethnicity.driftSource.contains("not identified") && estimate.ethnicity.driftSource.contains("ASSUMED national part δ = 0.15"))
        #expect(estimate.leaving.drift == 0.039)
    }

    /// The split's arithmetic on the two-snapshot assumptions, and the fragment's form: a number
    /// with drift is `{value, year_to_year, drift}`; without drift exactly the form written before
    /// drift existed (so a scenario calibrated without it is byte-identical).
    @Test func theSplitAndTheFragmentsForm() {
        let a = MakeUpVariation.assumed
        // Ethnicity: the national δ = 0.15; σ = √(0.32² − 0.15²/2).
        #expect(a.ethnicity.drift == 0.15 && abs(a.ethnicity.transientSD - (0.32 * 0.32 - 0.0225 / 2).squareRoot()) < 1e-12)
        // Gender and promotion: the fraction φ = 0.15²/(2 · 0.32²) of a year's change, 2σ².
        let phi = 0.0225 / (2 * 0.1024)
        #expect(abs(MakeUpVariation.persistentFraction - phi) < 1e-15)
        #expect(abs(a.gender.drift * a.gender.drift - phi * 2 * 0.23 * 0.23) < 1e-12)
        #expect(abs(a.promotion.drift * a.promotion.drift - phi * 2 * 0.14 * 0.14) < 1e-12)
        #expect(a.gender.driftSource.contains("ASSUMED the fraction 0.109863"))
        // Leaving: the national δ = 0.039.
        #expect(a.leaving.drift == 0.039 && abs(a.leaving.transientSD - (0.047 * 0.047 - 0.039 * 0.039 / 2).squareRoot()) < 1e-12)
        #expect(Calibration.varying("0.06", a.leaving) == "{value: 0.06, year_to_year: 0.0380592, drift: 0.039}")
        #expect(Calibration.varying("0.06", MakeUpVariation.assumedLeaving) == "{value: 0.06, year_to_year: 0.047}")
        #expect(Calibration.varying("0.06", nil) == "0.06")
        // The persistent part is capped at the whole change: no σ² below 0.
        let capped = YearToYearEstimate(sd: 0.1, varianceSE: 0, pairs: 5, source: "x").splitting(persistent: 1, because: "y")
        #expect(abs(capped.drift * capped.drift - 0.02) < 1e-12 && capped.transientSD == 0)
        #expect(Calibration.varying("0.5", capped) == "{value: 0.5, drift: 0.141421}")
    }
}
