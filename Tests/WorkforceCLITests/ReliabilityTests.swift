import Foundation
import Testing
import _WorkforceTestSupport

/// Regression tests for the crashes, hangs and silent wrong answers of issue 20 (inputs in
/// Tests/WorkforceCLITests/Resources/reliability/), each with its exact message and exit code.
@Suite struct ReliabilityTests {
    static let resources = OwnershipTests.resources
    static let oneForce = "\(resources)/case-01-one-force.csv"

    /// Case 2: a table holding only the calibrated force has no other force to pool the intake
    /// with: calibrate and evaluate say so in one line and leave the shares unpooled (they
    /// crashed, exit 132).
    @Test func oneForceTablesAreNotPooled() throws {
        let out = try CLI.temporaryFolder()
        let pooled = try CLI.run(["calibrate", Self.oneForce, "--force", "Testshire", "--out", out.appendingPathComponent("p.yaml").path])
        #expect(pooled.status == 0, "\(pooled.stderr)")
        #expect(pooled.stdout.contains(
            "  - Intake ethnicity shares: partly pooled toward officers' shares × the other forces' ratio of recruits' to officers' shares "
                + "(empirical Bayes, IntakePooling), not pooled: 0 forces of 0 forces (all but Testshire), 2003→2004 with at least 10 recruits (at least 5 needed).\n"))
        let unpooled = try CLI.run(
            ["calibrate", Self.oneForce, "--force", "Testshire", "--no-pool-intake", "--out", out.appendingPathComponent("u.yaml").path])
        #expect(unpooled.status == 0, "\(unpooled.stderr)")
        func intake(_ text: String) -> [Substring] { text.split(separator: "\n").filter { $0.hasPrefix("Intake:") } }
        #expect(intake(pooled.stdout).count == 1)
        #expect(intake(pooled.stdout) == intake(unpooled.stdout))  // the right answer: the force's own shares
        let evaluated = try CLI.run([
            "evaluate", Self.oneForce, "\(Self.resources)/case-01-one-force-2005.csv", "--train", "2003,2004", "--test", "2005",
            "--replications", "5", "--threads", "1", "--out", out.path,
        ])
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        #expect(evaluated.stdout.hasPrefix("Evaluated 1 forces: train 2003, 2004 → test 2005, 5 replications"))
    }

    /// Case 8: the finite-number check of calibrate's fragment reads the numbers, not the comment
    /// header that holds the table's file name (`table-inf.csv` was refused, exit 70).
    @Test func aFileNameIsNotANumber() throws {
        let out = try CLI.temporaryFolder().appendingPathComponent("f.yaml")
        let outcome = try CLI.run(["calibrate", "\(Self.resources)/table-inf.csv", "--force", "Testshire", "--no-pool-intake", "--out", out.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(try CLI.read(out).hasPrefix("# Scenario fragment written by `workforce calibrate` from \(Self.resources)/table-inf.csv"))
    }

    /// Case 3: a beta's shapes have a stated range (0.001 to 100,000), checked at validation: the
    /// run that spun for ever in GSL's inverse beta is refused at once, located (exit 65).
    @Test func betaShapesOutsideTheirRangeAreRefused() throws {
        let file = "\(Self.resources)/beta-huge.yaml"
        let message = "\(file):6:82: leaving.multipliers[0].factor: beta [1000000000000000, 1000000000000000]: a 1000000000000000 is outside "
            + "0.001 to 100000; expected beta: [a, b] or [a, b, low, high] with a and b from 0.001 to 100000 and low < high\n"
            + "1 problem in 1 file; nothing was run.\n"
        for arguments in [["validate", file], ["run", file, "--replications", "1", "--threads", "1", "--out", try CLI.temporaryFolder().path]] {
            let outcome = try CLI.run(arguments)
            #expect(outcome.status == 65)
            #expect(outcome.stderr == message)
        }
        let denormal = try CLI.run(["validate", file, "--set", "leaving.multipliers[0].factor={beta: [5.93377, 5e-324]}"])
        #expect(denormal.status == 65)
        #expect(denormal.stderr == "<--set leaving.multipliers[0].factor={beta: [5.93377, 5e-324]}>: leaving.multipliers[0].factor: beta [5.93377, 5e-324]: "
            + "b 5e-324 is outside 0.001 to 100000; expected beta: [a, b] or [a, b, low, high] with a and b from 0.001 to 100000 and low < high\n"
            + "1 problem in 1 file; nothing was run.\n")
    }

    /// Cases 7: a cell given twice (the same table twice, two tables sharing a year, a row
    /// repeated in one file) is refused with both places, exit 65, never summed (evaluate
    /// forecast every force at twice its size, exit 0).
    @Test func repeatedCellsAreRefusedNotSummed() throws {
        let tables = OwnershipTests.tables
        let first = "\(tables)/ho-officers-extract-2003-2004.csv", test = "\(tables)/ho-officers-extract-2005.csv"
        let out = try CLI.temporaryFolder()
        let twice = try CLI.run(["evaluate", first, first, test, "--train", "2003,2004", "--test", "2005", "--replications", "5", "--out", out.path])
        #expect(twice.status == 65)
        #expect(twice.stderr.hasPrefix(
            "\(first):2:1: Dyfed-Powys, 31 March 2003, Female Chief Officer Asian or Asian British (Police Officer) is also on line 2 of the same file, "
                + "given before; expected each cell once (is a table given twice, or do two tables share a year?)\n"))
        #expect(twice.stderr.hasSuffix("\(first): 662 more rows repeat a cell; expected each cell once\n11 problems; nothing was written.\n"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty)
        let calibrated = try CLI.run(["calibrate", first, first, "--force", "West Midlands", "--out", out.appendingPathComponent("f.yaml").path])
        #expect(calibrated.status == 65)
        // Two tables sharing a year, and a row repeated within one file.
        let lines = try CLI.read(URL(fileURLWithPath: "\(CLI.root.path)/\(test)")).split(separator: "\r\n")  // the table has CRLF line ends
        let again = out.appendingPathComponent("again-2005.csv")
        try CLI.write(lines.prefix(3).joined(separator: "\n") + "\n", to: again)
        let shared = try CLI.run(["calibrate", first, test, again.path, "--force", "Dyfed-Powys", "--out", out.appendingPathComponent("f.yaml").path])
        #expect(shared.status == 65)
        #expect(shared.stderr == "\(again.path):2:1: Dyfed-Powys, 31 March 2005, Female Chief Officer Asian or Asian British (Police Officer) is also on "
            + "\(test) line 2; expected each cell once (is a table given twice, or do two tables share a year?)\n"
            + "\(again.path):3:1: Dyfed-Powys, 31 March 2005, Female Chief Officer Black or Black British (Police Officer) is also on "
            + "\(test) line 3; expected each cell once (is a table given twice, or do two tables share a year?)\n2 problems; nothing was written.\n")
        let repeated = out.appendingPathComponent("repeated.csv")
        try CLI.write((lines.prefix(3) + [lines[1]]).joined(separator: "\n") + "\n", to: repeated)
        let imported = try CLI.run(["import", repeated.path, "--force", "Dyfed-Powys", "--date", "2005", "--out", out.appendingPathComponent("i.csv").path])
        #expect(imported.status == 65)
        #expect(imported.stderr == "\(repeated.path):4:1: Dyfed-Powys, 31 March 2005, Female Chief Officer Asian or Asian British (Police Officer) is also "
            + "on line 2; expected each cell once (is a table given twice, or do two tables share a year?)\n1 problem; nothing was written.\n")
    }

    /// Case 4: what a killed `run --per-replication` left (`.NAME.replications-PID` of a process
    /// no longer running) is removed by the next run there, which says so.
    @Test func aKilledRunsReplicationFilesAreRemovedByTheNext() throws {
        let out = try CLI.temporaryFolder()
        let left = out.appendingPathComponent(".tiny.replications-2147483646")  // no such process
        try FileManager.default.createDirectory(at: left, withIntermediateDirectories: true)
        try CLI.write("replication,target,date,value,met,first_met\n", to: left.appendingPathComponent("replication_targets.csv"))
        let outcome = try CLI.run(["run", OwnershipTests.tiny, "--replications", "3", "--quiet", "--no-bounds", "--out", out.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stderr == "note: removed \(left.path), left by a run that was stopped while writing\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["tiny"])
    }

    /// Case 5: merge checks each shard's points whole (the key covers only the definition): a
    /// point whose targets, values or target names were edited is refused, located, exit 65, and
    /// nothing is written (a ragged sweep.csv was written, then a crash).
    @Test func mergeChecksEveryPointWhole() throws {
        let shard1 = "\(Self.resources)/case-04-shard1", shard2 = "\(Self.resources)/case-04-shard2"
        let out = try CLI.temporaryFolder().appendingPathComponent("merged")
        func merge(_ inputs: [String]) throws -> CLI.Outcome { try CLI.run(["merge"] + inputs + ["--out", out.path]) }
        let emptied = try merge([shard1, shard2])
        #expect(emptied.status == 65)
        #expect(emptied.stderr == "\(shard2): point 1: no targets; expected one per target of the sweep, in order: 'B officers' (an unmodified sweep.json)\n")
        #expect(!FileManager.default.fileExists(atPath: out.path))
        let original = try CLI.read(URL(fileURLWithPath: "\(CLI.root.path)/\(shard1)/sweep.json"))
        let edited = try CLI.temporaryFolder()
        for (name, old, new, message) in [
            ("values", "\"values\" : [\n        0.1\n      ]", "\"values\" : [\n        0.15\n      ]", "values 0.15; expected the design's 0.1"),
            ("name", "\"name\" : \"B officers\",\n          \"p5\"", "\"name\" : \"W officers\",\n          \"p5\"",
             "targets 'W officers'; expected one per target of the sweep, in order: 'B officers'"),
        ] {
            let folder = edited.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            #expect(original.contains(old), "\(name)")
            try CLI.write(original.replacingOccurrences(of: old, with: new), to: folder.appendingPathComponent("sweep.json"))
            let outcome = try merge([folder.path, shard2])
            #expect(outcome.status == 65)
            #expect(outcome.stderr == "\(folder.path): point 0: \(message) (an unmodified sweep.json)\n")
            #expect(!FileManager.default.fileExists(atPath: out.path))
        }
    }

    /// Case 6: a target undefined in every replication of one side of a sensitivity (no
    /// recruits when Constable establishment moves down) is NA in the CSV and left out of the JSON,
    /// said in a note, exit 0 (it failed with exit 1, EncodingError.invalidValue: nan).
    @Test func sensitivityWithAnUndefinedTargetWritesNA() throws {
        let out = try CLI.temporaryFolder()
        let outcome = try CLI.run([
            "sensitivity", "Scenarios/example.yaml", "--only", "establishment.Constable", "--replications", "20", "--threads", "1", "--quiet",
            "--out", out.path,
        ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stderr == "note: 'Half of recruits women in 2022/23' is undefined in every replication with Establishment of Constable low (702): "
            + "its P(met) and effect there are NA\n")
        let csv = try CLI.read(out.appendingPathComponent("example-sensitivity/sensitivity.csv")).split(separator: "\n")
        let row = try #require(csv.first { $0.hasPrefix("Half of recruits women in 2022/23,") })
        #expect(row.split(separator: ",")[6] == "NA" && row.split(separator: ",")[9] == "NA", "\(row)")
        // In the JSON an undefined value is left out, as every undefined value there is.
        let data = try Data(contentsOf: out.appendingPathComponent("example-sensitivity/sensitivity.json"))
        let effects = try #require((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["effects"] as? [[String: Any]])
        let effect = try #require(effects.first { $0["target"] as? String == "Half of recruits women in 2022/23" })
        #expect(effect["low_probability"] == nil && effect["low_effect"] == nil)
        #expect(effect["high_probability"] as? Double == 0.1)
    }

    /// Case 9: solve --lever's options are checked as usage errors (64) naming what the user
    /// wrote: a range end that is not finite (it was blamed on a --set …=-nan never written), the
    /// same field in two levers (a frontier in which one lever did nothing), and --slices beyond
    /// a sweep's 10,000 points (10^8 slices took 4.3 GB in a minute).
    @Test func solveLeverOptionsAreBounded() throws {
        let target = "BAME 28% of officers by 2030"
        func solve(_ levers: [String], _ extra: [String] = []) throws -> CLI.Outcome {
            try CLI.run(["solve", "Scenarios/example.yaml", "--target", target, "--expected", "--quiet", "--out", try CLI.temporaryFolder().path]
                + levers.flatMap { ["--lever", $0] } + extra)
        }
        let cases: [([String], [String], String)] = [
            (["F=leaving.multipliers[0].factor=0.8:inf"], [],
             "--lever 'F=leaving.multipliers[0].factor=0.8:inf': 0.8:inf is not finite; expected a:b[*cost] with finite numbers a < b (and a finite cost)."),
            (["F=leaving.multipliers[0].factor=-1e308:1e308"], [],
             "--lever 'F=leaving.multipliers[0].factor=-1e308:1e308': -1e308:1e308 is not finite; expected a:b[*cost] with finite numbers a < b (and a finite cost)."),
            (["A=leaving.multipliers[0].factor=0.8:1", "B=leaving.multipliers[0].factor=0.8:1.2"], [],
             "--lever 'B=leaving.multipliers[0].factor=0.8:1.2' moves leaving.multipliers[0].factor, which --lever 'A=leaving.multipliers[0].factor=0.8:1' "
                + "moves too; expected each field in one lever (join fields with + to move them together)."),
            (["A=leaving.multipliers[0].factor=0.8:1", "B=leaving.rates.Constable[0]=0.05:0.1"], ["--slices", "100000000"],
             "--slices 100000000 over 1 grid lever gives more than 10000 grid points; expected at most 10000, the most a sweep may have (the grid is slices^(levers - 1))."),
        ]
        for (levers, extra, message) in cases {
            let outcome = try solve(levers, extra)
            #expect(outcome.status == 64, "\(levers)")
            #expect(outcome.stderr.hasPrefix("Error: \(message)\n"), "\(outcome.stderr)")
        }
        let range = try CLI.run(["solve", "Scenarios/example.yaml", "--target", target, "--vary", "leaving.multipliers[0].factor", "--range", "0.8:inf"])
        #expect(range.status == 64)
        #expect(range.stderr.hasPrefix("Error: --range 0.8:inf: expected a:b with finite numbers a < b, e.g. 0.3:0.6.\n"), "\(range.stderr)")
    }

    /// Case 10: the seed's stated range, 0 to 10^15, is the same for `simulation.seed` (10^15
    /// was refused as too large) and `--seed` (10^15 + 1 was accepted), and the number the user
    /// wrote is the number shown (10^15 + 1 was shown as 1000000000000000.0).
    @Test func theSeedRangeIsOneRange() throws {
        let tiny = OwnershipTests.tiny
        #expect(try CLI.run(["validate", tiny, "--set", "simulation.seed=1000000000000000"]).status == 0)
        let above = try CLI.run(["validate", tiny, "--set", "simulation.seed=1000000000000001"])
        #expect(above.status == 65)
        #expect(above.stderr == "<--set simulation.seed=1000000000000001>: simulation.seed: 1000000000000001 is above 1000000000000000; "
            + "expected a whole number from 0 to 10^15\n1 problem in 1 file; nothing was run.\n")
        let out = try CLI.temporaryFolder().path
        let option = try CLI.run(["run", tiny, "--seed", "1000000000000001", "--out", out])
        #expect(option.status == 64)
        #expect(option.stderr.hasPrefix("Error: --seed 1000000000000001: expected a whole number from 0 to 10^15.\n"), "\(option.stderr)")
        #expect(try CLI.run(["run", tiny, "--seed", "1000000000000000", "--replications", "1", "--quiet", "--no-bounds", "--out", out]).status == 0)
    }

    /// Case 10: progress counts every replication of the run from the first line (a 3-replication
    /// run said `0/1 replications` until its first replication finished). A replication of 10^8
    /// officers takes seconds, so the first line comes before it ends.
    @Test func progressCountsEveryReplicationFromTheStart() throws {
        let outcome = try CLI.run(
            [
                "run", OwnershipTests.tiny, "--set", "initial.ranks.PC.headcount=100000000", "--set", "establishment.PC=100000000",
                "--replications", "2", "--threads", "1", "--no-bounds", "--out", try CLI.temporaryFolder().path,
            ], environment: ["WORKFORCE_TEST_PROGRESS_SECONDS": "1"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = outcome.stderr.split(separator: "\n").filter { $0.hasPrefix("progress: ") }
        #expect(lines.first?.hasPrefix("progress: tiny: 0/2 replications (0%)") == true, "\(outcome.stderr)")
        #expect(lines.allSatisfy { $0.contains("/2 replications") }, "\(outcome.stderr)")
    }

    /// Case 11: a run estimated over a minute says how long and how much memory before it
    /// starts; one over an hour is refused (64) with the estimate and how to go on.
    @Test func aLongRunIsEstimatedBeforeItStarts() throws {
        let file = "\(Self.resources)/headcount-1e9.yaml"
        let out = try CLI.temporaryFolder()
        let estimate = "\(file): about 37.5 h and 1 MB of memory for 5000 replications on 2 threads (about 54 s a replication: "
            + "1,000,000,220 officers × 9 years and 1,050 cells × 108 steps at a cost measured on one thread)"
        let refused = try CLI.run(["run", file, "--replications", "5000", "--threads", "2", "--out", out.path])
        #expect(refused.status == 64)
        #expect(refused.stderr == "\(estimate); that is over the 60 min a run may take without a word. "
            + "Lower the replications (--replications 132 fits), or add --allow-long-run to go on.\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty)
        // Allowed, it says the estimate first; the test stops it there.
        let process = Process()
        process.executableURL = CLI.productsFolder.appendingPathComponent("workforce")
        process.arguments = ["run", file, "--replications", "5000", "--threads", "2", "--allow-long-run", "--out", out.path]
        process.currentDirectoryURL = CLI.root
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        var first = Data()
        while !first.contains(UInt8(ascii: "\n")) {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            first += chunk
        }
        kill(process.processIdentifier, SIGKILL)  // SIGTERM can be blocked in a child of the test runner
        process.waitUntilExit()
        #expect(String(decoding: first, as: UTF8.self).hasPrefix("note: \(estimate)\n"))
    }
}
