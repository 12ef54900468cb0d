import Foundation
import Testing
import _WorkforceTestSupport

/// End-to-end tests of compare, solve, sensitivity and attribute.
@Suite struct AnalysisCLITests {
    let example = "Scenarios/example.yaml"

    private func json(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func compareIsPairedAndSharperThanIndependentRuns() throws {
        let folder = try CLI.temporaryFolder()
        let variant = folder.appendingPathComponent("more-recruits.yaml")
        let text = try CLI.read(CLI.root.appendingPathComponent(example))
        try CLI.write(text.replacingOccurrences(of: "Black: 0.08, Asian: 0.20", with: "Black: 0.10, Asian: 0.25"), to: variant)
        let outcome = try CLI.run(["compare", example, variant.path, "--replications", "60", "--out", folder.path, "--json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let file = try json(outcome.stdout)
        #expect(file["schema"] as? String == "workforce.compare/1")
        #expect(file["scenarios"] as? [String] == ["example", "more-recruits"])
        let comparisons = try #require(file["comparisons"] as? [[String: Any]])
        #expect(comparisons.count == 4)
        let bame = try #require(comparisons.first { $0["target"] as? String == "BAME 28% of officers by 2030" })
        let measure = try #require(bame["measure_difference"] as? [String: Any])
        #expect((measure["mean"] as! Double) > 0)
        #expect((measure["paired_sd"] as! Double) < (measure["independent_sd"] as! Double))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("compare-example-vs-more-recruits/compare.csv").path))
        // The report puts it on a page: chances in %, their differences in percentage points.
        let report = try CLI.run(["report", folder.appendingPathComponent("compare-example-vs-more-recruits").path, "--out", folder.appendingPathComponent("page").path])
        #expect(report.status == 0, "\(report.stderr)")
        let md = try CLI.read(folder.appendingPathComponent("page/report.md"))
        #expect(md.contains("## Paired comparison against example"))
        let row = try #require(md.split(separator: "\n").first { $0.hasPrefix("| BAME 28% of officers by 2030 | more-recruits | ") })
        let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(cells[2].contains("% → ") && cells[3].hasSuffix(" pt)") && !cells[3].contains("%"), "\(row)")
    }

    @Test func compareNeedsTwoScenarios() throws {
        let outcome = try CLI.run(["compare", example])
        #expect(outcome.status == 65)
        #expect(outcome.stderr == "compare needs at least two scenarios; got 1\n")
    }

    /// In expected-value mode P(met) is 0 or 1, so solve finds where the measure crosses the threshold.
    @Test func solveFindsTheRecruitShare() throws {
        let out = try CLI.temporaryFolder()
        let outcome = try CLI.run([
            "solve", example, "--target", "BAME 28% of officers by 2030", "--vary", "recruitment[0].ethnicity[1].shares.Asian",
            "--range", "0.1:0.7", "--probability", "0.5", "--expected", "--json", "--out", out.path,
        ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let file = try json(outcome.stdout)
        #expect(file["schema"] as? String == "workforce.solve/1")
        #expect(file["verdict"] as? String == "found")
        let value = try #require(file["value"] as? Double)
        let bracket = try #require(file["bracket"] as? [Double])
        #expect(bracket[1] - bracket[0] <= 0.0008 + 1e-12)
        #expect(value > 0.2 && value < 0.7)
        // Just below the answer the target is missed, at it it is met (re-checked by a run).
        for (share, met) in [(bracket[0] - 0.002, false), (value, true)] {
            let check = try CLI.run(["run", example, "--expected", "--json", "--out", out.path, "--set", "recruitment[0].ethnicity[1].shares.Asian=\(share)"])
            let targets = try #require((try json(check.stdout)["scenarios"] as? [[String: Any]])?.first?["targets"] as? [[String: Any]])
            #expect((targets[1]["probability_met"] as? Double) == (met ? 1 : 0), "share \(share)")
        }
        // The terminal gives the answer to the digits its stated uncertainty supports (bracket 0.0008: three decimals).
        let words = try CLI.run([
            "solve", example, "--target", "BAME 28% of officers by 2030", "--vary", "recruitment[0].ethnicity[1].shares.Asian",
            "--range", "0.1:0.7", "--probability", "0.5", "--expected", "--out", out.path,
        ])
        #expect(words.stdout.contains(" is \(String(format: "%.3f", value)) (±"), "\(words.stdout)")
        #expect(words.stdout.contains("half the last bisection step plus the Monte Carlo error"))
        // The report puts the answer on a page, in words, with the input by its label (never its field path).
        #expect(file["inputs"] as? [String] == ["Asian share of recruits into Constable from Apr 2022"])
        let report = try CLI.run(["report", out.appendingPathComponent("example-solve").path, "--out", out.appendingPathComponent("page").path])
        #expect(report.status == 0, "\(report.stderr)")
        let summary = try CLI.read(out.appendingPathComponent("page/summary.html"))
        let html = try CLI.read(out.appendingPathComponent("page/report.html"))
        #expect(html.contains("What it takes to meet BAME 28% of officers by 2030"))
        #expect(summary.contains("What it would take: to meet BAME 28% of officers by 2030 with a chance of at least 50%, Asian share of recruits into Constable from Apr 2022 would need to be at least "), "\(summary)")
        #expect(!html.contains("recruitment[0]") && !summary.contains("recruitment[0]"))
    }

    /// Monte Carlo solve: each trial value states the replications it used and what the
    /// sequential test settled; the ends of a wide range settle in the first batch (40 of a cap
    /// of 160), and `--every-replication` runs the cap at every value.
    @Test func solveStopsEachValueWhenItsVerdictIsSettled() throws {
        let out = try CLI.temporaryFolder()
        func solve(_ extra: [String]) throws -> [String: Any] {
            let outcome = try CLI.run([
                "solve", example, "--target", "BAME 28% of officers by 2030", "--vary", "recruitment[0].ethnicity[1].shares.Asian",
                "--range", "0.1:0.7", "--tolerance", "0.05", "--replications", "160", "--json", "--quiet", "--out", out.path,
            ] + extra)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            return try json(outcome.stdout)
        }
        let settled = try solve([])
        #expect(settled["stopping"] as? String == "settled")
        #expect(settled["error_rate"] as? Double == 0.01)
        let evaluations = try #require(settled["evaluations"] as? [[String: Any]])
        let used = evaluations.map { $0["replications"] as? Int ?? -1 }
        #expect(used.allSatisfy { (1...160).contains($0) })
        #expect(Array(used.prefix(2)) == [40, 40], "the range's ends: \(used)")
        #expect(evaluations.prefix(2).map { $0["decision"] as? String } == ["below", "at-least"])
        #expect(settled["replications_used"] as? Int == used.reduce(0, +))
        #expect(used.reduce(0, +) < 160 * used.count)
        #expect(settled["replications_at_value"] as? Int != nil && settled["standard_error_at_value"] as? Double != nil)

        let every = try solve(["--every-replication"])
        #expect(every["stopping"] as? String == "every-replication")
        #expect(every["error_rate"] == nil || every["error_rate"] is NSNull)
        let all = try #require(every["evaluations"] as? [[String: Any]])
        #expect(all.allSatisfy { $0["replications"] as? Int == 160 && $0["decision"] as? String == "undecided" })
    }

    /// A second solve of another target into the same folder is refused before it runs, so the
    /// first's solve.json stays; the same question again replaces its own answer.
    @Test func aSecondSolveNeverReplacesAnotherTargetsAnswer() throws {
        let out = try CLI.temporaryFolder()
        func solve(_ target: String) throws -> CLI.Outcome {
            try CLI.run([
                "solve", example, "--target", target, "--vary", "recruitment[0].ethnicity[1].shares.Asian",
                "--range", "0:0.05", "--expected", "--out", out.path,
            ])
        }
        #expect(try solve("BAME 28% of officers by 2030").status == 0)
        let file = out.appendingPathComponent("example-solve/solve.json")
        let first = try CLI.read(file)
        let second = try solve("BAME 21% of officers by 2024")
        #expect(second.status == 73)
        #expect(second.stderr.contains("holds the solve of 'BAME 28% of officers by 2030'"), "\(second.stderr)")
        #expect(try CLI.read(file) == first)
        #expect(try solve("BAME 28% of officers by 2030").status == 0)
    }

    @Test func solveReportsAnUnreachableTarget() throws {
        let outcome = try CLI.run([
            "solve", example, "--target", "BAME 28% of officers by 2030", "--vary", "recruitment[0].ethnicity[1].shares.Asian",
            "--range", "0:0.05", "--expected", "--out", try CLI.temporaryFolder().path,
        ])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.hasPrefix("BAME 28% of officers by 2030: cannot be met with P ≥ 80% for Asian share of recruits into Constable from Apr 2022 in 0.0…0.05; the best is P = 0.0% at"))
    }

    @Test func solveRejectsBadArguments() throws {
        let unknown = try CLI.run(["solve", example, "--target", "No such aim", "--vary", "simulation.seed"])
        #expect(unknown.status == 65)
        #expect(unknown.stderr.contains("no target named 'No such aim'"))
        let badRange = try CLI.run(["solve", example, "--target", "x", "--vary", "y", "--range", "5:1"])
        #expect(badRange.status == 64)
        #expect(badRange.stderr.contains("--range 5:1: expected a:b with finite numbers a < b"))
    }

    @Test func sensitivityRanksInputsForEveryTarget() throws {
        let out = try CLI.temporaryFolder()
        let outcome = try CLI.run(["sensitivity", example, "--only", "leaving.multipliers", "--only", "promotion", "--replications", "30", "--json", "--out", out.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let file = try json(outcome.stdout)
        #expect(file["schema"] as? String == "workforce.sensitivity/1")
        let effects = try #require(file["effects"] as? [[String: Any]])
        let parameters = Set(effects.map { $0["parameter"] as! String })
        #expect(parameters == ["leaving.multipliers[0].factor", "promotion.Sergeant.odds[0].factor"])
        #expect(effects.count == 4 * 2)
        for target in Set(effects.map { $0["target"] as! String }) {
            let swings = effects.filter { $0["target"] as? String == target }.sorted { ($0["rank"] as! Int) < ($1["rank"] as! Int) }.map { $0["swing"] as? Double ?? 0 }
            #expect(swings == swings.sorted(by: >))
        }
        let csv = try CLI.read(out.appendingPathComponent("example-sensitivity/sensitivity.csv"))
        #expect(csv.hasPrefix("target,rank,parameter,low_value,high_value,baseline_mean,low_effect,high_effect,swing,low_probability,high_probability,label\n"))
        #expect(csv.contains(",Promotion odds into Sergeant for BAME officers\n"), "each input in words")
    }

    @Test func attributionPartsAddUp() throws {
        let outcome = try CLI.run(["attribute", example, "--replications", "30", "--json", "--out", try CLI.temporaryFolder().path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let targets = try #require(try json(outcome.stdout)["targets"] as? [[String: Any]])
        #expect(targets.map { $0["target"] as! String } == ["BAME 21% of officers by 2024", "BAME 28% of officers by 2030", "Black 3% of Sergeants by 2024"])
        for target in targets {
            let parts = Dictionary(uniqueKeysWithValues: (target["components"] as! [[String: Any]]).map { ($0["component"] as! String, $0) })
            let shapley = ["recruitment", "leaving", "promotion", "structure"].map { parts[$0]!["shapley_mean"] as! Double }
            let total = parts["total"]!["shapley_mean"] as! Double
            #expect(abs(shapley.reduce(0, +) - total) < 1e-9)
            #expect(abs((target["start"] as! Double) + total - (target["end_mean"] as! Double)) < 1e-9)
        }
        // The terminal lists the parts of the sum only: no one-at-a-time interaction beside them.
        let text = try CLI.run(["attribute", example, "--replications", "30", "--out", try CLI.temporaryFolder().path])
        #expect(text.status == 0, "\(text.stderr)")
        let listed = text.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(String.init) ?? "" }
        #expect(!listed.contains("interaction"), "\(text.stdout)")
        #expect(listed.filter { $0 == "structure" }.count == 3 && listed.filter { $0 == "total" }.count == 3, "\(text.stdout)")
    }
}
