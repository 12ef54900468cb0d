import Foundation
import Testing
import _WorkforceTestSupport

/// `run --per-replication`: every replication's results, from which the summaries recompute.
@Suite struct PerReplicationTests {
    static func rows(_ url: URL) throws -> [[String: String]] {
        let lines = try CLI.read(url).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines[0]
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    @Test func summariesRecomputeFromTheReplications() throws {
        let folder = try CLI.temporaryFolder()
        func run(threads: Int) throws -> URL {
            let out = folder.appendingPathComponent("threads-\(threads)")
            let outcome = try CLI.run(["run", "Scenarios/example.yaml", "--replications", "40", "--threads", String(threads), "--out", out.path, "--per-replication"])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            return out.appendingPathComponent("example")
        }
        let two = try run(threads: 2), one = try run(threads: 1)
        for name in ["replication_targets.csv", "replication_headcounts.csv"] {
            #expect(try CLI.read(two.appendingPathComponent(name)) == CLI.read(one.appendingPathComponent(name)), "\(name) depends on threads")
        }

        // Targets: in replication order; the mean measure and P(met) recompute.
        let targets = try Self.rows(two.appendingPathComponent("replication_targets.csv"))
        let order = targets.map { Int($0["replication"]!)! }
        #expect(order == order.sorted() && Set(order) == Set(0..<40))
        for summary in try Self.rows(two.appendingPathComponent("targets.csv")) {
            let mine = targets.filter { $0["target"] == summary["target"] }
            #expect(mine.count == 40)
            let values = mine.compactMap { Double($0["value"]!) }
            let mean = values.reduce(0, +) / Double(values.count)
            #expect(abs(mean - Double(summary["mean"]!)!) <= 5e-7, "\(summary["target"]!)")
            let defined = mine.filter { $0["met"] != "NA" }
            let p = Double(defined.filter { $0["met"] == "1" }.count) / Double(defined.count)
            #expect(abs(p - Double(summary["probability_met"]!)!) <= 5e-5)
        }

        // Headcounts: every rank × category at every report date; means agree with
        // projections.csv to 1e-9.
        let headcounts = try Self.rows(two.appendingPathComponent("replication_headcounts.csv"))
        let projections = try Self.rows(two.appendingPathComponent("projections.csv"))
        var compared = 0
        for row in projections where row["gender"] == "All" {
            let mine = headcounts.filter {
                $0["date"] == row["date"] && $0["rank"] == row["rank"] && $0["ethnicity"] == row["ethnicity"] && $0["gender"] == "All"
            }
            guard !mine.isEmpty else { continue }
            #expect(mine.count == 40)
            let mean = mine.map { Double($0["headcount"]!)! }.reduce(0, +) / 40
            #expect(abs(mean - Double(row["headcount_mean"]!)!) <= 1e-9, "\(row)")
            compared += 1
        }
        #expect(compared >= 10 * 4 * 7)
    }
}
