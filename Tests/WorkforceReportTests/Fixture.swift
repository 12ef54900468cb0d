import Foundation
import Workforce
@testable import WorkforceReport
import WorkforceResults

/// A small run's results made by hand, as typed values: two ranks, two ethnicities (and the
/// aggregate `Minority` = Black), two genders, three dates, known numbers.
enum Fixture {
    static let dates = [Month(year: 2020, month: 12), Month(year: 2021, month: 12), Month(year: 2022, month: 12)]
    static let ranks = ["Constable", "Sergeant"]

    /// The Black share of the `rank` label at date index `d`: 0.10, 0.12, 0.14 (p50), with
    /// p5/p95 ± 0.02 and p25/p75 ± 0.01 after the start.
    static func share(_ d: Int, _ q: Double) -> Double { 0.1 + 0.02 * Double(d) + (d == 0 ? 0 : q) }

    static func quantiles(_ x: [Double]) -> Quantiles {
        Quantiles(count: 500, mean: x[0], p5: x[1], p25: x[2], p50: x[3], p75: x[4], p95: x[5])
    }

    static let ethnicities: [Label] = [.category("White"), .category("Black"), .aggregate("Minority"), .all]
    static let genders: [Label] = [.category("Female"), .category("Male"), .all]

    static func results(targets: [TargetsFile.Entry] = defaultTargets) -> RunResults {
        var projections: [ProjectionRow] = []
        for (d, date) in dates.enumerated() {
            for rank in ranks.map(Label.category) + [.all] {
                for ethnicity in ethnicities {
                    for gender in genders {
                        let black = ethnicity == .category("Black") || ethnicity == .aggregate("Minority")
                        let genderShare = gender == .all ? 1.0 : (gender == .category("Female") ? 0.3 : 0.7)
                        let shares = [0.0, -0.02, -0.01, 0, 0.01, 0.02].map { q in
                            (ethnicity == .all ? 1.0 : (black ? share(d, q) : 1 - share(d, q))) * genderShare
                        }
                        let total = rank == .category("Constable") ? 800.0 : (rank == .category("Sergeant") ? 200.0 : 1000.0)
                        projections.append(ProjectionRow(
                            date: date, rank: rank, ethnicity: ethnicity, gender: gender,
                            headcount: quantiles(shares.map { $0 * total }), share: quantiles(shares)))
                    }
                }
            }
        }
        var flows: [FlowRow] = []
        for date in dates.dropFirst() {
            for flow in [Flow.joiners, .leavers, .promotions] {
                for rank in ranks.map(Label.category) + [.all] {
                    for ethnicity in ethnicities {
                        for gender in genders {
                            flows.append(FlowRow(
                                yearEnd: date, flow: flow, rank: rank, ethnicity: ethnicity, gender: gender,
                                count: Quantiles(count: 500, mean: 12.5, p5: 10, p25: .nan, p50: 12, p75: .nan, p95: 15)))
                        }
                    }
                }
            }
        }
        var counts: [RunManifest.Count] = []
        for rank in ranks {
            for e in ["White", "Black"] {
                for g in ["Female", "Male"] { counts.append(RunManifest.Count(rank: rank, ethnicity: e, gender: g, headcount: 100)) }
            }
        }
        let manifest = RunManifest(
            scenario: "fixture", file: "Scenarios/fixture.yaml", sha256: String(repeating: "ab", count: 32), mode: .monteCarlo,
            seed: 7, replications: 500, threads: 2, version: "0.1.0", gslVersion: "2.7.1", started: "2026-01-02T03:04:05Z",
            wallTimeSeconds: 1.25, initial: RunManifest.Initial(total: 1000, byRankAndGroup: counts))
        return RunResults(
            manifest: manifest, projections: projections, flows: flows,
            targets: TargetsFile(scenario: "fixture", replications: 500, mode: .monteCarlo, targets: targets))
    }

    static func target(
        _ name: String, _ shareOf: TargetsFile.ShareOf, _ group: GroupName, _ ranks: [String], threshold: Double,
        periodStart: Month? = nil, date: Month, probability: Double, value: [Double], median: Month?,
        byYear: [(Int, Double)], never: Double
    ) -> TargetsFile.Entry {
        var cumulative = 0.0
        return TargetsFile.Entry(
            name: name, shareOf: shareOf, group: group, ranks: ranks, comparison: .atLeast, threshold: threshold,
            periodStart: periodStart, date: date, probabilityMet: probability,
            value: TargetsFile.Stats(Quantiles(count: 500, mean: value[0], p5: value[1], p25: .nan, p50: value[2], p75: .nan, p95: value[3])),
            firstMet: TargetsFile.FirstMet(
                byYear: byYear.map { year, p in
                    cumulative += p
                    return TargetsFile.Year(year: year, probability: p, cumulative: cumulative)
                },
                never: never, median: median),
            denominatorExcludes: [], attainability: nil)
    }

    static let defaultTargets = [
        target(
            "Black 13% of officers", .officers, GroupName(ethnicity: "Black"), ranks, threshold: 0.13, date: Month(year: 2022, month: 12), probability: 0.973,
            value: [0.1401, 0.12, 0.14, 0.16], median: Month(year: 2022, month: 3), byYear: [(2021, 0.25), (2022, 0.6)], never: 0.15),
        target(
            "Black 11% of Sergeants", .officers, GroupName(ethnicity: "Black"), ["Sergeant"], threshold: 0.11, date: Month(year: 2021, month: 12),
            probability: 0.5, value: [0.12, 0.1, 0.12, 0.14], median: Month(year: 2021, month: 12), byYear: [(2021, 1)], never: 0),
        target(
            "Women 35% of recruits", .recruits, GroupName(gender: "Female"), ["Constable"], threshold: 0.35, periodStart: Month(year: 2021, month: 1),
            date: Month(year: 2021, month: 12), probability: 0.05, value: [0.3, 0.25, 0.3, 0.35], median: nil, byYear: [], never: 1),
    ]

    /// The results folder's files, as the writer renders them.
    static func files(targets: [TargetsFile.Entry] = defaultTargets) throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try results(targets: targets).files().map { ($0.name, $0.contents) })
    }

    /// The report's view of the fixture, read back from its files (as `workforce report` reads a folder).
    static func scenario() throws -> ScenarioResults { try ScenarioResults(RunResults(decoding: try files())) }
}
