import Foundation
import Testing
import Workforce
@testable import WorkforceAnalysis
import _WorkforceTestSupport

/// Two ranks: constables refilled to establishment by recruits (minority share 20%), sergeants
/// promoted by vacancy from constables with 2+ years (minority odds 0.6); minority officers
/// leave at 1.5 × the majority's rate. Targets: sergeants' minority share, all officers'.
private func twoRanks(seed: UInt64 = 9, replications: Int = 200) -> Model {
    var b = ModelBuilder(ranks: ["Constable", "Sergeant"], maxService: 30, years: 6, step: .quarter, replications: replications, seed: seed)
    for s in 0..<20 {
        b.set(rank: 0, ethnicity: 0, service: s, 170)
        b.set(rank: 0, ethnicity: 1, service: s, 30)
        if s >= 3 {
            b.set(rank: 1, ethnicity: 0, service: s, 45)
            b.set(rank: 1, ethnicity: 1, service: s, 5)
        }
    }
    var leaving = b.uniformLeaving(0.06)
    leaving.multipliers.append(Leaving.Multiplier(selector: b.selector(ethnicities: [1]), factor: b.parameter(1.5)))
    let establishment = [0: Dated(constant: b.parameter(4000)), 1: Dated(constant: b.parameter(850))]
    let odds = [Leaving.Multiplier(selector: b.selector(ethnicities: [1]), factor: b.parameter(0.6))]
    let intake = Intake(rank: 0, size: .fillToEstablishment, ethnicity: Dated(constant: b.shares([0.8, 0.2])), gender: Dated(constant: b.shares([1])))
    let date = b.timeline.start + 36
    let targets = [
        Target(name: "sergeants", population: .officers, ranks: [false, true], group: b.selector(ethnicities: [1]), groupName: GroupName(ethnicity: "Minority"), comparison: .atLeast, threshold: 0.30, date: date),
        Target(name: "officers", population: .officers, ranks: [true, true], group: b.selector(ethnicities: [1]), groupName: GroupName(ethnicity: "Minority"), comparison: .atLeast, threshold: 0.17, date: date),
        Target(name: "recruits", population: .recruits, ranks: [true, false], group: b.selector(ethnicities: [1]), groupName: GroupName(ethnicity: "Minority"), comparison: .atLeast, threshold: 0.5, date: date, periodStart: date + (-11)),
    ]
    return b.model(leaving: leaving, establishment: establishment, promotion: [1: Promotion(mode: .vacancy, minService: 2, odds: odds)], intakes: [intake], targets: targets)
}

@Suite struct AttainabilityTests {
    /// The bound is the expected-value projection of the extreme model, which recruits only the
    /// group, fills vacancies from it first and has no leaving gap.
    @Test func boundIsTheExpectedValueOfTheExtremePolicy() throws {
        let model = twoRanks()
        let bounds = try Attainability.bounds(model)
        #expect(bounds.count == 3)
        let horizon = model.timeline.start + 12 * Attainability.searchYears(model)
        for (t, b) in bounds.enumerated() {
            let extreme = Attainability.extremeModel(model, for: model.targets[t], horizon: horizon)
            let run = try Engine.run(extreme, .init(replications: 1, seed: 1, expected: true))
            #expect(run.targetValue(replication: 0, target: t) == b.best)
            let own = try Engine.run(model, .init(replications: 1, seed: 1, expected: true))
            #expect(b.best > own.targetValue(replication: 0, target: t), "the extremes raise \(model.targets[t].name)")
            #expect(b.scenarioValue == own.targetValue(replication: 0, target: t))
        }
        // Every recruit from the group: the recruit share bound is 100%, met from its first full window.
        #expect(abs(bounds[2].best - 1) < 1e-12)
        #expect(bounds[2].attainable)
        // The extreme model has no group-specific leaving and only the stated promotion odds.
        let extreme = Attainability.extremeModel(model, for: model.targets[0], horizon: horizon)
        #expect(extreme.leaving.multipliers.allSatisfy { !$0.selector.ethnicities.contains(false) })
        #expect(extreme.promotion[1]!.odds.count == 1)
        #expect(extreme.promotion[1]!.odds[0].selector.ethnicities == [true, false])
        #expect(extreme.timeline.horizon == horizon)
    }

    /// By hand: the sergeants' minority share cannot exceed what filling every vacancy from the
    /// minority gives; with 850 posts, ~5% of them vacated a year and 50 minority sergeants at the
    /// start, three years give at most (50 + 3 × 0.06 × 850 + growth 100) / 950 ≈ 30%: so 30% is
    /// out of reach at its date but reachable later, while the scenario itself never gets there.
    @Test func outOfReachTargetsGetAnEarliestDate() throws {
        let model = twoRanks()
        var b = try Attainability.bounds(model)[0]
        #expect(!b.attainable)
        #expect(b.best < 0.30 && b.best > 0.15)
        let earliest = try #require(b.earliest)
        #expect(earliest > model.targets[0].date)
        // Out of reach on the scenario's own lever too (ten times the odds), and said so with the extremes' earliest date.
        #expect(Attainability.sentence(b).hasPrefix("out of reach: even 10× the Minority promotion odds up to Sergeant from "), "\(Attainability.sentence(b))")
        #expect(Attainability.sentence(b).hasSuffix("even every recruit and promotion from the group reaches it at the earliest in \(earliest)"))
        b.need = nil
        #expect(Attainability.sentence(b).hasPrefix("out of reach: even with every recruit and every promotion (when eligible) from the Minority group"))
        #expect(Attainability.sentence(b).hasSuffix("reachable at the earliest in \(earliest)"))
    }

    /// No Monte Carlo replication of the scenario's own policy exceeds the bound by more than
    /// 4 standard deviations of a replication under the extreme policy (same seed).
    @Test func noReplicationExceedsTheBoundBeyondNoise() throws {
        let model = twoRanks()
        let bounds = try Attainability.bounds(model)
        let ordinary = try Engine.run(model, .init(replications: 200, seed: 4, threads: 2))
        let horizon = model.timeline.start + 12 * Attainability.searchYears(model)
        for (t, b) in bounds.enumerated() {
            let extreme = try Engine.run(Attainability.extremeModel(model, for: model.targets[t], horizon: horizon), .init(replications: 200, seed: 4, threads: 2))
            let sd = extreme.meanAndError { extreme.targetValue(replication: $0, target: t) }.variance.squareRoot()
            let worst = ordinary.targetValues(t).max()!
            #expect(worst <= b.best + 4 * sd, "\(model.targets[t].name): \(worst) vs bound \(b.best) + 4 × \(sd)")
            // And the extreme policy's Monte Carlo mean agrees with its expected-value projection (to 4 SE,
            // plus 0.2 points for the expected-value filling of vacancies being a large-population mean).
            let mc = extreme.meanAndError { extreme.targetValue(replication: $0, target: t) }
            #expect(abs(mc.mean - b.best) <= 4 * mc.se + 0.002, "\(model.targets[t].name): MC \(mc.mean) ± \(mc.se) vs EV \(b.best)")
        }
    }
}

/// What each aim would need on one lever of its own, from the plan's start, in the expected-value
/// projection: the value found meets the aim, a value just short of it does not.
@Suite struct NeedsTests {
    @Test func theValueNeededJustMeetsTheAim() throws {
        let model = twoRanks()
        let options = Engine.Options(replications: 1, seed: model.timeline.seed, threads: 1, expected: true)
        let own = try Engine.run(model, options)
        func measure(_ t: Int, _ lever: Needs.Lever, _ x: Double, from: Month) throws -> Double {
            try Engine.run(Needs.moved(model, target: model.targets[t], lever: lever, to: x, from: from), options).targetValue(replication: 0, target: t)
        }
        var checked = 0
        for t in model.targets.indices {
            let need = try #require(try Needs.need(model, target: t, own: own.targetValue(replication: 0, target: t), threads: 1))
            #expect(need.lever == (t == 0 ? .promotionOdds : .recruitShare), "\(model.targets[t].name)")
            guard let value = need.value else {
                #expect(need.metAsPlanned || need.atTheEnd.map { !model.targets[t].isMet($0) } == true)
                continue
            }
            #expect(model.targets[t].isMet(try measure(t, need.lever, value, from: need.from)), "\(model.targets[t].name) at \(value)")
            let step = need.lever == .recruitShare ? 0.01 : 0.1
            #expect(!model.targets[t].isMet(try measure(t, need.lever, value - step, from: need.from)), "\(model.targets[t].name) at \(value - step)")
            #expect(need.sentence.hasPrefix("needs "), "\(need.sentence)")
            checked += 1
        }
        #expect(checked >= 2, "too few aims needed a lever to test the search")
    }

    /// An aim no value of the lever's stated range meets reads "out of reach", with the best it gets.
    @Test func outOfReachOnlyWhenTheWholeRangeMisses() throws {
        var model = twoRanks()
        model.targets[0].threshold = 0.95  // 95% of sergeants from 10% of constables, in three years
        let own = try Engine.run(model, Engine.Options(replications: 1, seed: model.timeline.seed, threads: 1, expected: true))
        let need = try #require(try Needs.need(model, target: 0, own: own.targetValue(replication: 0, target: 0), threads: 1))
        #expect(need.value == nil && !need.metAsPlanned)
        #expect(need.sentence.hasPrefix("out of reach: even 10× the Minority promotion odds up to Sergeant from "), "\(need.sentence)")
    }
}
