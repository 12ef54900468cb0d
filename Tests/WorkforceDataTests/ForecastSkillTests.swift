import Foundation
import Testing
import Workforce
@testable import WorkforceData

@Suite struct ForecastSkillTests {
    /// CRPS of an empirical distribution against analytic values: a point forecast scores its
    /// absolute error; two equally likely values 0 and 1 at y = ½ score E|X − ½| − ½E|X − X'| =
    /// ½ − ¼; the discrete uniform on 0 … n−1 at an integer y scores
    /// `(y(y+1)/2 + (n−1−y)(n−y)/2)/n − (n² − 1)/(6n)`.
    @Test func crpsOfHandMadeDistributions() {
        #expect(ForecastScore.crps(observed: 7, sorted: [3]) == 4)
        #expect(ForecastScore.crps(observed: 0.5, sorted: [0, 1]) == 0.25)
        let n = 100.0
        let uniform = (0..<100).map(Double.init)
        for y in [0.0, 50, 99] {
            let expected = (y * (y + 1) / 2 + (n - 1 - y) * (n - y) / 2) / n - (n * n - 1) / (6 * n)
            #expect(abs(ForecastScore.crps(observed: y, sorted: uniform) - expected) < 1e-9)
        }
        #expect(ForecastScore.crps(observed: 1, sorted: []).isNaN)
    }

    /// Coverage (with its sampling and Monte Carlo errors), skill ratio, CRPS and PIT histogram over
    /// four figures, each forecast by the draws 0, 1, …, 99 (type-7 quantiles p5 4.95, p25 24.75,
    /// p50 49.5, p75 74.25, p95 94.05), and point masses counted apart.
    @Test func summaryOfAHandMadeCase() throws {
        let draws = (0..<100).map(Double.init)
        let observed = [10.0, 50, 80, 97]
        let d = BacktestTests.dimensions, date = Month(year: 2005, month: 3)
        func observation(_ text: String, _ value: Double) throws -> Observation {
            Observation(date: date, measure: try Measure(parsing: text, d), value: value, source: "")
        }
        var scores = try observed.map {
            ForecastScore(kind: .rankHeadcount, force: "A", observation: try observation("count(All)", $0), noChange: $0 + 59,
                          draws: draws.reversed())
        }
        scores.append(ForecastScore(kind: .forceShare, force: "A", observation: try observation("share(BAME)", 0.1), noChange: 0.1, draws: [0.1]))
        let s = SkillSummary(kind: .rankHeadcount, scores: scores)
        #expect(s.figures == 4)
        #expect(s.in50 == 1 && s.in90 == 3)
        #expect(s.coverage50 == 0.25 && s.coverage90 == 0.75)
        // |10 − 49.5| + |50 − 49.5| + |80 − 49.5| + |97 − 49.5| = 118, over 4; no change is 59 off each time.
        #expect(s.medianMAE == 29.5)
        #expect(s.noChangeMAE == 59)
        #expect(s.skillRatio == 0.5)
        // PITs 0.105, 0.505, 0.805, 0.975 (below + half of equal, over 100).
        #expect(s.pitHistogram == [0, 1, 0, 0, 0, 1, 0, 0, 1, 1])
        let uniformSpread = (100.0 * 100 - 1) / 600
        let crps = observed.map { y in (y * (y + 1) / 2 + (99 - y) * (100 - y) / 2) / 100 - uniformSpread }.reduce(0, +) / 4
        #expect(abs(s.crps - crps) < 1e-9)
        #expect(abs(s.crpsRatio - crps / 59) < 1e-12)
        // Sampling errors of the coverages over 4 figures, and their Monte Carlo errors from 100
        // replications: the 90% band's ends are estimated with sd s = √(0.05 · 0.95 / 100) on the PIT
        // scale, so the figure at PIT 0.975 is inside with probability Φ((0.95 − 0.975)/s) = 0.1257
        // and the one at 0.105 with 1 − Φ((0.05 − 0.105)/s) = 0.9942; the others are certain.
        #expect(abs(s.coverage90SE - (0.75 * 0.25 / 4).squareRoot()) < 1e-12 && abs(s.coverage50SE - (0.25 * 0.75 / 4).squareRoot()) < 1e-12)
        let sd = (0.05 * 0.95 / 100).squareRoot()
        func phi(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }
        let inside = [0.105, 0.505, 0.805, 0.975].map { u in phi((0.95 - u) / sd) - phi((0.05 - u) / sd) }
        #expect(abs(inside[3] - 0.1257) < 5e-4 && abs(inside[0] - 0.9942) < 5e-4, "\(inside)")
        #expect(abs(s.coverage90MCError - inside.reduce(0) { $0 + $1 * (1 - $1) }.squareRoot() / 4) < 1e-12, "\(s.coverage90MCError)")
        #expect(abs(s.coverage90MCError - 0.085) < 0.001)
        #expect(s.pointMasses == 0)
        // A point-mass band (every replication 0.1) is left out of the coverages and counted apart;
        // skill and CRPS keep it (an exact no-change forecast: no skill ratio).
        let exact = SkillSummary(kind: .forceShare, scores: scores)
        #expect(exact.figures == 0 && exact.pointMasses == 1 && exact.pointMassesMissed == 0 && exact.coverage90.isNaN)
        #expect(exact.skillRatio.isNaN && exact.crps == 0 && exact.pitHistogram.reduce(0, +) == 0)
        let missed = SkillSummary(kind: .forceShare, scores: [
            ForecastScore(kind: .forceShare, force: "B", observation: try observation("share(BAME)", 0.2), noChange: 0.1, draws: [0.1, 0.1]),
        ])
        #expect(missed.pointMasses == 1 && missed.pointMassesMissed == 1 && missed.figures == 0)
    }

    /// Per horizon: the same figures forecast one and two years ahead are scored apart. One year
    /// ahead draws 0…99 against 10, 50, 80, 97 (as above: 50% coverage 1/4, 90% 3/4); two years ahead
    /// draws 0…199 against 150, 199, 250 (PITs 0.7525, 0.9975, 1: 50% coverage 0, 90% 1/3;
    /// no-change 100 off each time, the median 99.5 off by 50.5, 99.5 and 150.5: skill (300.5/3)/100).
    @Test func summaryPerHorizon() throws {
        let d = BacktestTests.dimensions
        func score(_ value: Double, year: Int, draws: [Double], horizon: Int) throws -> ForecastScore {
            ForecastScore(
                kind: .rankHeadcount, force: "A",
                observation: Observation(date: Month(year: year, month: 3), measure: try Measure(parsing: "count(All)", d), value: value, source: ""),
                noChange: value - 100, draws: draws, horizon: horizon)
        }
        let one = try [10.0, 50, 80, 97].map { try score($0, year: 2005, draws: (0..<100).map(Double.init), horizon: 1) }
        let two = try [150.0, 199, 250].map { try score($0, year: 2006, draws: (0..<200).map(Double.init), horizon: 2) }
        let first = SkillSummary(kind: .rankHeadcount, horizon: 1, scores: one + two)
        let second = SkillSummary(kind: .rankHeadcount, horizon: 2, scores: one + two)
        let both = SkillSummary(kind: .rankHeadcount, scores: one + two)
        #expect(first.figures == 4 && first.coverage50 == 0.25 && first.coverage90 == 0.75 && first.horizon == 1)
        #expect(second.figures == 3 && second.in50 == 0 && second.in90 == 1 && abs(second.coverage90 - 1.0 / 3) < 1e-15 && second.horizon == 2)
        #expect(abs(second.medianMAE - (50.5 + 99.5 + 150.5) / 3) < 1e-12 && second.noChangeMAE == 100)
        #expect(abs(second.skillRatio - 300.5 / 3 / 100) < 1e-12)
        #expect(second.pitHistogram == [0, 0, 0, 0, 0, 0, 0, 1, 0, 2])
        #expect(both.figures == 7 && both.in90 == 4 && both.horizon == nil)
    }

    /// A measure's value on a table of counts: counts by rank and group, shares on the HO basis.
    @Test func measureValueOnCounts() throws {
        let d = BacktestTests.dimensions  // ranks C, S, CI; White, Black, Asian, Not stated; Female, Male
        var counts = Array(repeating: Array(repeating: 0.0, count: 8), count: 3)
        counts[0] = [30, 50, 2, 3, 4, 1, 5, 5]  // Constable: White F/M, Black F/M, Asian F/M, Not stated F/M
        counts[1] = [5, 10, 0, 1, 0, 1, 0, 3]
        func value(_ text: String) throws -> Double { try Measure(parsing: text, d).value(counts: counts, d) }
        #expect(try value("count(All)") == 120)
        #expect(try value("count(All in Sergeant)") == 20)
        #expect(abs(try value("share(BAME excluding Not stated)") - 12.0 / 107) < 1e-15)  // (10 + 2) of (90 + 17)
        #expect(try value("share(Black in Sergeant excluding Not stated)") == 1.0 / 17)
        #expect(try value("share(BAME in Chief Inspector excluding Not stated)").isNaN)
    }
}
