import Foundation
import Testing
import _WorkforceTestSupport

/// End-to-end: `workforce solve --lever ... --lever ...` and the attainability bounds of `run`.
@Suite struct FrontierCLITests {
    let example = "Scenarios/example.yaml"

    private func json(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Two levers in expected-value mode: the BAME leaving multiplier across, the Asian recruit
    /// share bisected; less leaving needs fewer recruits, and the files are all written.
    @Test func twoLeverFrontierIsWrittenAndSlopesTheRightWay() throws {
        let out = try CLI.temporaryFolder()
        let outcome = try CLI.run([
            "solve", example, "--target", "BAME 28% of officers by 2030", "--expected", "--out", out.path, "--json",
            "--lever", "BAME leaving=leaving.multipliers[0].factor=0.8:1.4*0.1",
            "--lever", "Asian recruits=recruitment[0].ethnicity[1].shares.Asian=0.1:0.5", "--slices", "3", "--tolerance", "0.001",
        ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let file = try json(outcome.stdout)
        #expect(file["schema"] as? String == "workforce.frontier/1")
        let points = try #require(file["points"] as? [[String: Any]])
        #expect(points.count == 3)
        let values = points.compactMap { ($0["found"] as? String) == "boundary" ? ($0["levers"] as? [Double])?[1] : nil }
        #expect(values.count == 3)
        #expect(zip(values, values.dropFirst()).allSatisfy { $0 < $1 }, "\(values)")
        let cheapest = try #require(file["cheapest"] as? [String: Any])
        #expect((cheapest["cost"] as? Double).map { $0 > 0 } == true)
        for name in ["frontier.json", "frontier.csv", "frontier.svg"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("example-frontier/\(name)").path))
        }
        // The comparison report draws it.
        let report = try CLI.run(["report", out.appendingPathComponent("example-frontier").path, "--out", out.appendingPathComponent("report").path])
        #expect(report.status == 0, "\(report.stderr)")
        let html = try CLI.read(out.appendingPathComponent("report/report.html"))
        #expect(html.contains("What it takes to meet "))
        #expect(html.contains("Asian recruits"))
        // The list of analyses names it as a frontier, not as "no analysis that can be shown".
        #expect(html.contains("example-frontier: frontier ("), "\(html)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("report/frontier-example-frontier.svg").path))
        // Two frontiers of one scenario (folders of the same name) each keep their chart.
        let second = out.appendingPathComponent("second/example-frontier")
        try FileManager.default.createDirectory(at: second.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: out.appendingPathComponent("example-frontier"), to: second)
        let both = try CLI.run([
            "report", out.appendingPathComponent("example-frontier").path, second.path, "--out", out.appendingPathComponent("both").path,
        ])
        #expect(both.status == 0, "\(both.stderr)")
        for name in ["frontier-example-frontier.svg", "frontier-example-frontier-2.svg"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("both/\(name)").path), "\(name)")
        }
    }

    /// Monte Carlo frontier: each point states the replications its bisection used (at most the
    /// cap per evaluation), those at its answer, what the sequential test settled there and the
    /// standard error; the file states the stopping rule and the replications used in all.
    @Test func monteCarloFrontierStatesTheReplicationsEachPointUsed() throws {
        let out = try CLI.temporaryFolder()
        let outcome = try CLI.run([
            "solve", example, "--target", "BAME 28% of officers by 2030", "--out", out.path, "--json", "--quiet",
            "--lever", "BAME leaving=leaving.multipliers[0].factor=0.8:1.4*0.1",
            "--lever", "Asian recruits=recruitment[0].ethnicity[1].shares.Asian=0.1:0.7", "--slices", "2", "--tolerance", "0.1",
            "--replications", "100",
        ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let file = try json(outcome.stdout)
        #expect(file["stopping"] as? String == "settled")
        #expect(file["error_rate"] as? Double == 0.01)
        let points = try #require(file["points"] as? [[String: Any]])
        #expect(points.count == 2)
        let evaluations = try #require(file["evaluations"] as? Int)
        var total = 0
        for p in points {
            let used = try #require(p["replications"] as? Int)
            let atAnswer = try #require(p["replications_at_answer"] as? Int)
            #expect((1...100).contains(atAnswer))
            #expect(used >= atAnswer && used <= 100 * evaluations)
            #expect(["at-least", "below", "undecided"].contains(p["decision"] as? String ?? ""))
            #expect(p["standard_error"] as? Double != nil)
            total += used
        }
        #expect(file["replications_used"] as? Int == total)
        // The ends of the recruit share's range (0.1 and 0.7) are far from P = 0.8: settled in 40.
        #expect(total < 100 * evaluations)
    }

    @Test func badLeversAreReportedTogether() throws {
        let usage = try CLI.run(["solve", example, "--target", "x", "--lever", "a=5:1"])
        #expect(usage.status == 64)
        let outcome = try CLI.run([
            "solve", example, "--target", "No such aim", "--expected", "--lever", "no.such.field=0:1", "--lever", "leaving.multipliers[0].factor=0:1",
        ])
        #expect(outcome.status == 65)
        #expect(outcome.stderr.contains("no target named 'No such aim'"))
        #expect(outcome.stderr.contains("no.such.field is not a number in the scenario"))
    }

    /// `run` states each target's bound beside its verdict and in targets.json.
    @Test func runShowsTheBoundBesideEachVerdict() throws {
        let out = try CLI.temporaryFolder()
        let outcome = try CLI.run(["run", example, "--expected", "--out", out.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        // One line per aim: what it would need, after an arrow.
        #expect(outcome.stdout.contains("  → needs ") && outcome.stdout.contains("% of recruits BAME from "), "\(outcome.stdout)")
        // The run line, officers at the horizon, the headcount assumption, the column heads, then the 4 aims.
        #expect(outcome.stdout.split(separator: "\n").count == 8, "a line per aim, after the header lines: \(outcome.stdout)")
        let targets = try json(CLI.read(out.appendingPathComponent("example-expected/targets.json")))
        let entries = try #require(targets["targets"] as? [[String: Any]])
        for entry in entries {
            let bound = try #require(entry["attainability"] as? [String: Any])
            let best = try #require(bound["best"] as? Double)
            let scenario = try #require(bound["expected_value_under_scenario"] as? Double)
            #expect(best >= scenario, "\(entry["name"] ?? "")")
        }
    }

    /// `run --no-bounds` computes no bound: none printed, none in targets.json.
    @Test func noBoundsSkipsThem() throws {
        let out = try CLI.temporaryFolder()
        let outcome = try CLI.run(["run", example, "--expected", "--no-bounds", "--out", out.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(!outcome.stdout.contains("→ needs") && !outcome.stdout.contains("→ met as") && !outcome.stdout.contains("→ out of"))
        let targets = try json(CLI.read(out.appendingPathComponent("example-expected/targets.json")))
        let entries = try #require(targets["targets"] as? [[String: Any]])
        #expect(!entries.isEmpty)
        for entry in entries { #expect(entry["attainability"] == nil, "\(entry["name"] ?? "")") }
    }
}
