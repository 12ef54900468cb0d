import Foundation
import Testing
import _WorkforceTestSupport

/// End-to-end tests of the `workforce` binary: help text, error text, exit codes and files.
@Suite struct CLITests {
    let example = "Scenarios/example.yaml"
    let resultFiles = [
        "fan-all-bame.svg", "fan-all-black.svg", "fan-all-female.svg", "fan-sergeant-black.svg", "flows-by-group.svg", "flows.csv",
        "headcount-by-rank.svg", "initial.csv", "manifest.json", "projections.csv", "rank-pyramid.svg", "report.html", "report.md", "results.xlsx", "summary-trend.svg", "summary.html",
        "targets.csv", "targets.json",
    ]
    /// The files that show when and how the run went (start time, threads, wall time).
    let runRecords: Set = ["manifest.json", "report.html", "report.md"]

    /// A later run replaces the run's own files but keeps other commands' (backtest.csv) in the
    /// folder; a chart the new run does not draw goes.
    @Test func aLaterRunKeepsOtherCommandsFiles() throws {
        let out = try CLI.temporaryFolder()
        let folder = out.appendingPathComponent("example")
        #expect(try CLI.run(["run", example, "--replications", "3", "--out", out.path]).status == 0)
        try CLI.write("date,measure\n2021-03,share(BAME)\n", to: folder.appendingPathComponent("backtest.csv"))
        try CLI.write("<svg/>\n", to: folder.appendingPathComponent("fan-all-old.svg"))
        #expect(try CLI.run(["run", example, "--replications", "4", "--out", out.path]).status == 0)
        #expect(try CLI.read(folder.appendingPathComponent("backtest.csv")) == "date,measure\n2021-03,share(BAME)\n")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(files == (resultFiles + ["backtest.csv"]).sorted())
        #expect(try CLI.read(folder.appendingPathComponent("manifest.json")).contains("\"replications\" : 4"))
    }

    /// The summary names the results folder relative to the working directory, however `--out`
    /// was given, so a saved summary holds no machine's absolute paths.
    @Test func theSummaryNamesTheFolderRelativeToTheWorkingDirectory() throws {
        let here = try CLI.temporaryFolder()
        let scenario = CLI.root.appendingPathComponent(example).path
        let absolute = try CLI.run(["run", scenario, "--replications", "3", "--quiet", "--out", here.appendingPathComponent("out").path], in: here)
        #expect(absolute.status == 0, "\(absolute.stderr)")
        // The scenario's title (`title:`) names it; the folder and the manifest's `scenario` keep its name.
        #expect(absolute.stdout.hasPrefix("Example force: 40% ethnic-minority recruits from 2022: 3 replications, seed 20211201, "), "\(absolute.stdout)")
        let manifest = try CLI.read(here.appendingPathComponent("out/example/manifest.json"))
        #expect(manifest.contains("\"scenario\" : \"example\"") && manifest.contains("\"title\" : \"Example force: 40% ethnic-minority recruits from 2022\""), "\(manifest)")
        let page = try CLI.read(here.appendingPathComponent("out/example/report.html"))
        #expect(page.contains("<title>Example force: 40% ethnic-minority recruits from 2022: workforce projection</title>"))
        #expect(absolute.stdout.split(separator: "\n")[0].hasSuffix(" s → out/example"), "\(absolute.stdout)")
        let report = try CLI.run(["report", "out/example", "--out", here.appendingPathComponent("cmp").path], in: here)
        #expect(report.stdout == "1 folder → cmp/report.html\n", "\(report.stderr)")
    }

    /// Expected-value mode is one projection: the summary says met or not met and the value, with no
    /// chance and no interval (a "P(met) 100%" with a one-point "90% interval" would claim a
    /// certainty the mode does not have).
    @Test func anExpectedValueSummaryHasNoChanceAndNoInterval() throws {
        let out = try CLI.temporaryFolder()
        let outcome = try CLI.run(["run", example, "--expected", "--no-bounds", "--quiet", "--out", out.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0].hasPrefix("Example force: 40% ethnic-minority recruits from 2022: expected-value projection, "), "\(outcome.stdout)")
        #expect(Array(lines.dropFirst()) == [
            "  officers at 2030-12: 1,003",
            "  headcount: Officer numbers are held at the planned establishment, 1,005 by Dec 2030, exactly: no uncertainty about the budget is modelled.",
            "  target                             met?     value     first met",
            "  BAME 21% of officers by 2024       not met  18.1%   2028-09",
            "  BAME 28% of officers by 2030       not met  24.2%   not within horizon",
            "  Black 3% of Sergeants by 2024      not met  2.7%    2026-12",
            "  Half of recruits women in 2022/23  not met  40.0%   not within horizon",
            "",
        ], "\(outcome.stdout)")
    }

    @Test func helpListsTheSubcommandsAndExitCodes() throws {
        let outcome = try CLI.run(["--help"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout == """
            OVERVIEW: Project a workforce's representation by rank, ethnicity and gender
            (GSL Monte Carlo).

            Exit codes: 0 success; 64 bad command line; 65 invalid scenario; 70 run failed;
            73 results could not be written.

            USAGE: workforce <subcommand>

            OPTIONS:
              --version               Show the version.
              -h, --help              Show help information.

            SUBCOMMANDS:
              run                     Run scenarios and write their results.
              validate                Check scenario files and report every problem,
                                      without running them.
              levers                  List a scenario's levers and every numeric input with
                                      its current value.
              compare                 Compare scenarios with the first on common random
                                      numbers: paired differences per target.
              solve                   Find the inputs at which targets are met with a given
                                      probability.
              sensitivity             Move each input down and up, one at a time, and rank
                                      inputs by their effect on each target.
              attribute               Split the change in each officer target's measure
                                      between recruitment, leaving and promotion.
              sweep                   Run a scenario over a grid or a Latin hypercube of
                                      parameter values.
              merge                   Join the outputs of a sweep's shards into the whole
                                      sweep's.
              import                  Turn a force's officers in a Home Office workforce
                                      table into an initial-workforce CSV.
              calibrate               Estimate leaving, promotion and intake from annual
                                      snapshots of a force, as a scenario fragment.
              backtest                Run scenarios from a past date and compare their
                                      projections with published figures.
              evaluate                Score the import → calibrate → backtest workflow on
                                      every force of a set of tables.
              report                  Build a comparison report from existing results
                                      folders.
              serve                   Serve the what-if workbench: a page in the browser
                                      over a folder of scenarios.

              See 'workforce help <subcommand>' for detailed help.

            """)
    }

    @Test func runHelpNamesEveryFlag() throws {
        let outcome = try CLI.run(["run", "--help"])
        #expect(outcome.status == 0)
        for flag in ["--replications", "--seed", "--threads", "--out", "--set <key.path=value>", "--expected", "--json", "--per-replication"] {
            #expect(outcome.stdout.contains(flag), "missing \(flag)")
        }
    }

    @Test func validateAcceptsTheShippedScenarios() throws {
        let outcome = try CLI.run(["validate", "Scenarios/"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("ok: Scenarios/example.yaml (3 ranks, 5 ethnicities × 2 genders, 1000 officers, 4 targets)"))
        #expect(outcome.stderr.isEmpty)
    }

    @Test func invalidScenarioIsReportedWithPositionAndNothingIsWritten() throws {
        let folder = try CLI.temporaryFolder()
        var text = try CLI.read(CLI.root.appendingPathComponent(example))
        text = text.replacingOccurrences(of: "Constable: [0.09, 0.05, 0.03, 0.02, 0.06, 0.30]", with: "Constable: [0.09, 1.5, 0.03, 0.02, 0.06, 0.30]")
        text = text.replacingOccurrences(of: "  step: month ", with: "  step: fortnight ")
        let bad = folder.appendingPathComponent("bad.yaml")
        try CLI.write(text, to: bad)
        let out = folder.appendingPathComponent("Results")
        let outcome = try CLI.run(["run", bad.path, "--out", out.path])
        #expect(outcome.status == 65)
        #expect(outcome.stdout.isEmpty)
        let lines = outcome.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(outcome.stderr)")
        #expect(lines.first { $0.contains("simulation.step") }?.hasPrefix("\(bad.path):28:9: simulation.step: ") == true, "\(outcome.stderr)")
        #expect(lines.first { $0.contains("leaving.rates.Constable[1]") }?.hasPrefix("\(bad.path):60:23: leaving.rates.Constable[1]: ") == true, "\(outcome.stderr)")
        #expect(lines.last == "2 problems in 1 file; nothing was run.")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("bad").path))
    }

    @Test func missingFileIsInvalidInput() throws {
        let outcome = try CLI.run(["validate", "no/such/scenario.yaml"])
        #expect(outcome.status == 65)
        #expect(outcome.stderr.hasPrefix("no/such/scenario.yaml"))
    }

    @Test func usageErrorsExit64() throws {
        let outcome = try CLI.run(["run", example, "--threads", "0"])
        #expect(outcome.status == 64)
        #expect(outcome.stderr.contains("--threads must be at least 1."))
    }

    /// The same scenario and seed give byte-identical CSV, JSON, SVG and xlsx results on 1 and 2
    /// threads (results.xlsx: its created time is the run's start month, not the clock).
    @Test func resultsAreIdenticalWhateverTheThreadCount() throws {
        let folder = try CLI.temporaryFolder()
        var outputs: [[String: Data]] = []
        for threads in ["1", "2"] {
            let out = folder.appendingPathComponent("threads-\(threads)")
            let outcome = try CLI.run(["run", example, "--replications", "40", "--threads", threads, "--out", out.path])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            let files = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("example").path).sorted()
            #expect(files == resultFiles)
            // No temporary or old folders are left behind.
            #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["example"])
            var contents: [String: Data] = [:]
            for file in resultFiles where !runRecords.contains(file) {
                contents[file] = try Data(contentsOf: out.appendingPathComponent("example").appendingPathComponent(file))
            }
            outputs.append(contents)
        }
        #expect(outputs[0] == outputs[1])
        #expect(String(decoding: outputs[0]["projections.csv"]!, as: UTF8.self).hasPrefix("date,rank,ethnicity,gender,headcount_mean,headcount_p5,"))
        #expect(outputs[0]["results.xlsx"]!.starts(with: Data("PK".utf8)), "a zip file")
    }

    @Test func manifestAndTargetsDescribeTheRun() throws {
        let out = try CLI.temporaryFolder()
        let outcome = try CLI.run(["run", example, "--replications", "30", "--seed", "99", "--threads", "2", "--out", out.path, "--json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as! [String: Any]
        #expect(summary["schema"] as? String == "workforce.run/1")
        let scenarios = summary["scenarios"] as! [[String: Any]]
        #expect(scenarios.count == 1 && scenarios[0]["replications"] as? Int == 30)

        let folder = out.appendingPathComponent("example")
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("manifest.json"))) as! [String: Any]
        #expect(manifest["seed"] as? Int == 99)
        #expect(manifest["replications"] as? Int == 30)
        #expect(manifest["threads"] as? Int == 2)
        #expect((manifest["sha256"] as? String)?.count == 64)
        #expect((manifest["initial"] as? [String: Any])?["total"] as? Int == 1000)

        let targets = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("targets.json"))) as! [String: Any]
        let list = targets["targets"] as! [[String: Any]]
        #expect(list.map { $0["name"] as! String } == ["BAME 21% of officers by 2024", "BAME 28% of officers by 2030", "Black 3% of Sergeants by 2024", "Half of recruits women in 2022/23"])
        for target in list {
            let p = target["probability_met"] as! Double
            let firstMet = target["first_met"] as! [String: Any]
            let byYear = firstMet["by_year"] as! [[String: Any]]
            let total = byYear.reduce(firstMet["never"] as! Double) { $0 + ($1["probability"] as! Double) }
            #expect(p >= 0 && p <= 1)
            #expect(abs(total - 1) < 1e-9, "first-met distribution of \(target["name"]!) sums to \(total)")
        }
        // The initial counts written add up to the manifest's total.
        let initial = try CLI.read(folder.appendingPathComponent("initial.csv")).split(separator: "\n").dropFirst()
        #expect(initial.reduce(0) { $0 + Int($1.split(separator: ",").last!)! } == 1000)
    }

    @Test func setOverridesAField() throws {
        let out = try CLI.temporaryFolder()
        let outcome = try CLI.run(["run", example, "--set", "simulation.replications=7", "--set", "simulation.seed=3", "--out", out.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("example/manifest.json"))) as! [String: Any]
        #expect(manifest["replications"] as? Int == 7)
        #expect(manifest["seed"] as? Int == 3)

        let bad = try CLI.run(["validate", example, "--set", "leaving.rates.Constable[0]=2"])
        #expect(bad.status == 65)
        #expect(bad.stderr.hasPrefix("<--set leaving.rates.Constable[0]=2>"), "\(bad.stderr)")
    }

    /// A target that leaves a category out of its denominator says so in targets.csv and .json.
    @Test func targetsRecordTheirDenominatorBasis() throws {
        let out = try CLI.temporaryFolder()
        let outcome = try CLI.run(["run", example, "--expected", "--out", out.path, "--set", "targets[0].denominator_excludes=Other"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let rows = try CLI.read(out.appendingPathComponent("example-expected/targets.csv")).split(separator: "\n")
        #expect(rows[0].hasSuffix(",probability_never_met,denominator_excludes"))
        #expect(rows[1].hasSuffix(",Other") && rows[2].hasSuffix(","))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("example-expected/targets.json"))) as! [String: Any]
        let targets = json["targets"] as! [[String: Any]]
        #expect(targets[0]["denominator_excludes"] as? [String] == ["Other"])
        #expect(targets[1]["denominator_excludes"] as? [String] == [])
    }

    @Test func expectedValueModeHasNoSpread() throws {
        let out = try CLI.temporaryFolder()
        let outcome = try CLI.run(["run", example, "--expected", "--out", out.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let rows = try CLI.read(out.appendingPathComponent("example-expected/projections.csv")).split(separator: "\n")
        let last = rows.last!.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        // p5 … p95 equal; the mean (10 decimals) equals them to the 3 decimals they are printed with.
        #expect(last[5] == last[9] && abs(Double(last[4])! - Double(last[5])!) <= 5e-4, "\(last)")
    }

    @Test func unwritableOutputExits73() throws {
        let folder = try CLI.temporaryFolder()
        let file = folder.appendingPathComponent("not-a-folder")
        try CLI.write("x", to: file)
        let outcome = try CLI.run(["run", example, "--replications", "5", "--out", file.path])
        #expect(outcome.status == 73)
        #expect(outcome.stderr.contains("cannot write \(file.path): a file is in the way; expected a folder (move or delete the file)"), "\(outcome.stderr)")
        #expect(try CLI.read(file) == "x")
    }
}
