import Foundation
import Testing
@testable import WorkforceReport
import WorkforceResults
import _WorkforceTestSupport

/// Verdicts that do not flip with Monte Carlo noise: each chance with its 95% Wilson interval, a
/// band in words only when the interval lies inside it, and digits the replications support.
@Suite struct VerdictTests {
    /// The Wilson score interval against its closed form: 50 of 100 → 0.4038 to 0.5962 (as R's
    /// `binom.confint(50, 100, method = "wilson")`); 0 of 200 → 0 to 0.0188.
    @Test func theIntervalIsWilsons() throws {
        let half = try #require(Chance(0.5, replications: 100))
        #expect(abs(half.low - 0.403832) < 1e-6 && abs(half.high - 0.596168) < 1e-6, "\(half.low) \(half.high)")
        let none = try #require(Chance(0, replications: 200))
        #expect(none.low == 0 && abs(none.high - 0.018845) < 1e-6, "\(none.high)")
        #expect(none.standardError > 0, "a chance of 0% still carries an error")
        #expect(Chance(.nan, replications: 100) == nil && Chance(0.5, replications: 0) == nil)
    }

    /// The case: the same aim read 68.4% "likely" from 1,000 replications and 66.0%
    /// "about even" from 100. Both intervals straddle 67%, so both read "about" and both are amber.
    @Test func aChanceNearABoundaryReadsAbout() {
        let a = Verdict(probability: 0.684, replications: 1000), b = Verdict(probability: 0.66, replications: 100)
        #expect(a.words == "about 68%, between 65% and 71%")
        #expect(b.words == "about 66%, between 56% and 75%")
        #expect(a.status == .inTheBalance && b.status == .inTheBalance)
        #expect(a.bands == "about even or likely", "the table names the bands it straddles beside the chance")
        #expect(Verdict(probability: 0.95, replications: 1000).words == "very likely")
        #expect(Verdict(probability: 0.95, replications: 1000).status == .onTrack)
        #expect(Verdict(probability: 0.2, replications: 1000).status == .offTrack)
        #expect(Verdict(probability: 0.5, replications: 1000) == .settled(.aboutEven, Chance(0.5, replications: 1000)!))
        // Straddling 90% leaves it "about", but both sides are green: the status is settled.
        let high = Verdict(probability: 0.9, replications: 1000)
        #expect(high.words.hasPrefix("about") && high.status == .onTrack)
        #expect(Verdict(met: true).status == .onTrack && Verdict(met: false).words == "not met")
        #expect(Verdict(probability: nil, replications: 100) == .undefined)
    }

    /// Digits from the Monte Carlo error: whole percents unless the error is at most 0.1 pt.
    @Test func digitsFollowTheError() {
        #expect(Chance(0.684, replications: 1000)!.percent == "68%")
        #expect(Chance(0.5, replications: 100_000)!.decimals == 0, "error 0.16 pt")
        #expect(Chance(0.5, replications: 1_000_000)!.percent == "50.0%", "error 0.05 pt")
        #expect(Chance(0.005, replications: 200)!.percent == "<1%", "a chance that is not zero never prints as 0%")
        #expect(Figure.decimals(standardError: 0.00024) == 1 && Figure.decimals(standardError: 0.0015) == 0)
        #expect(Figure.decimals(standardError: .nan) == 1)
    }

    /// Two runs of the shipped example with different seeds: every aim whose two 95% intervals lie
    /// on the same side of each status boundary (33%, 67%) has the same status in both, and the
    /// words of an aim whose interval straddles a band boundary read "about".
    @Test func theStatusDoesNotChangeBetweenSeedsWhenTheIntervalsAgree() throws {
        func verdicts(seed: Int) throws -> [String: Verdict] {
            let out = try CLI.temporaryFolder()
            let outcome = try CLI.run([
                "run", "Scenarios/example.yaml", "--replications", "150", "--seed", "\(seed)", "--threads", "2", "--no-bounds", "--out", out.path,
                "--set", "targets[2].at_least=0.025",
            ])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            let file = try ResultJSON.decode(
                TargetsFile.self, try CLI.read(out.appendingPathComponent("example/targets.json")), file: "targets.json")
            return Dictionary(uniqueKeysWithValues: file.targets.map { ($0.name, Verdict(probability: $0.probabilityMet, replications: file.replications)) })
        }
        let (a, b) = (try verdicts(seed: 1), try verdicts(seed: 2))
        #expect(a.count == 4 && Set(a.keys) == Set(b.keys))
        var agreeing = 0, straddling = 0
        for (name, va) in a {
            let vb = try #require(b[name])
            let (ca, cb) = (try #require(va.chance), try #require(vb.chance))
            for v in [va, vb] {
                let c = v.chance!
                if Likelihood(c.low) != Likelihood(c.high) {
                    straddling += 1
                    #expect(v.words.hasPrefix("about "), "\(name): \(v.words)")
                }
            }
            let sameSide = [0.33, 0.67].allSatisfy { edge in (ca.high < edge && cb.high < edge) || (ca.low > edge && cb.low > edge) }
            if sameSide {
                agreeing += 1
                #expect(va.status == vb.status, "\(name): \(va.words) (seed 1) and \(vb.words) (seed 2)")
            }
        }
        #expect(agreeing >= 2, "the example's aims give too few cases to test")
        #expect(straddling >= 1, "no interval straddled a boundary: the 'about' case was not exercised")
    }
}
