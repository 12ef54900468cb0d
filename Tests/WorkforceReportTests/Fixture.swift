import Foundation
@testable import WorkforceReport

/// A small results folder made by hand: two ranks, two ethnicities (and the aggregate `Minority`
/// = Black), two genders, three dates, known numbers.
enum Fixture {
    static let dates = ["2020-12", "2021-12", "2022-12"]
    static let ranks = ["Constable", "Sergeant"]

    /// The Black share of the `rank` label at date index `d`: 0.100000, 0.120000, 0.140000 (p50),
    /// with p5/p95 ± 0.02 and p25/p75 ± 0.01 after the start.
    static func share(_ d: Int, _ q: Double) -> Double { 0.1 + 0.02 * Double(d) + (d == 0 ? 0 : q) }

    static func files(targets: String = defaultTargets) -> [String: String] {
        var projections = "date,rank,ethnicity,gender,headcount_mean,headcount_p5,headcount_p25,headcount_p50,headcount_p75,headcount_p95,share_mean,share_p5,share_p25,share_p50,share_p75,share_p95\n"
        for (d, date) in dates.enumerated() {
            for rank in ranks + ["All"] {
                for ethnicity in ["White", "Black", "Minority", "All"] {
                    for gender in ["Female", "Male", "All"] {
                        let black = ethnicity == "Black" || ethnicity == "Minority"
                        let genderShare = gender == "All" ? 1.0 : (gender == "Female" ? 0.3 : 0.7)
                        let shares = [0.0, -0.02, -0.01, 0, 0.01, 0.02].map { q in
                            (ethnicity == "All" ? 1.0 : (black ? share(d, q) : 1 - share(d, q))) * genderShare
                        }
                        let total = rank == "Constable" ? 800.0 : (rank == "Sergeant" ? 200.0 : 1000.0)
                        let counts = shares.map { String(format: "%.3f", $0 * total) }
                        projections += "\(date),\(rank),\(ethnicity),\(gender)," + counts.joined(separator: ",") + ","
                            + shares.map { String(format: "%.6f", $0) }.joined(separator: ",") + "\n"
                    }
                }
            }
        }
        var flows = "year_end,flow,rank,ethnicity,gender,mean,p5,p50,p95\n"
        for date in dates.dropFirst() {
            for flow in ["joiners", "leavers", "promotions"] {
                for rank in ranks + ["All"] {
                    for ethnicity in ["White", "Black", "Minority", "All"] {
                        for gender in ["Female", "Male", "All"] {
                            flows += "\(date),\(flow),\(rank),\(ethnicity),\(gender),12.500,10.000,12.000,15.000\n"
                        }
                    }
                }
            }
        }
        var counts: [String] = []
        for rank in ranks {
            for e in ["White", "Black"] {
                for g in ["Female", "Male"] { counts.append(#"{"ethnicity": "\#(e)", "gender": "\#(g)", "headcount": 100, "rank": "\#(rank)"}"#) }
            }
        }
        let manifest = """
            {"file": "Scenarios/fixture.yaml", "gsl_version": "2.7.1", "initial": {"by_rank_and_group": [\(counts.joined(separator: ","))], "total": 1000},
             "mode": "monte-carlo", "replications": 500, "scenario": "fixture", "schema": "workforce.manifest/1", "seed": 7,
             "sha256": "\(String(repeating: "ab", count: 32))", "started": "2026-01-02T03:04:05Z", "threads": 2, "version": "0.1.0", "wall_time_seconds": 1.25}
            """
        let targetsJSON = """
            {"targets": [{"name": "Black 13% of officers", "first_met": {"by_year": [{"year": 2021, "probability": 0.25, "cumulative": 0.25}, {"year": 2022, "probability": 0.6, "cumulative": 0.85}], "never": 0.15}}]}
            """
        return ["projections.csv": projections, "flows.csv": flows, "targets.csv": targets, "targets.json": targetsJSON, "manifest.json": manifest]
    }

    static let defaultTargets = """
        target,share_of,group,ranks,comparison,threshold,period_start,date,probability_met,mean,p5,p50,p95,first_met_median,first_met_most_likely_year,probability_never_met
        Black 13% of officers,officers,Black,Constable;Sergeant,at_least,0.130000,,2022-12,0.9730,0.140100,0.120000,0.140000,0.160000,2022-03,2022,0.1500
        Black 11% of Sergeants,officers,Black,Sergeant,at_least,0.110000,,2021-12,0.5000,0.120000,0.100000,0.120000,0.140000,2021-12,2021,0.0000
        Women 35% of recruits,recruits,Female,Constable,at_least,0.350000,2021-01,2021-12,0.0500,0.300000,0.250000,0.300000,0.350000,never,never,1.0000

        """

    static func results() throws -> ScenarioResults { try ScenarioResults(files: files()) }
}
