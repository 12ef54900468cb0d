import Foundation
import Testing
import WorkforceScenario
import WorkforceReport
import WorkforceResults
import _WorkforceTestSupport

/// End-to-end tests of `workforce sweep` and `workforce merge`: designs, resuming, sharding,
/// merging and errors, on the example scenario with few replications.
@Suite struct SweepTests {
    let example = "Scenarios/example.yaml"
    static let black = "recruitment[0].ethnicity[1].shares.Black"
    static let factor = "leaving.multipliers[0].factor"
    /// A 4 × 2 grid at 8 replications a point.
    var grid: [String] { ["--vary", "\(Self.black)=0.06:0.12:0.02", "--vary", "\(Self.factor)=1.0,1.2", "--replications", "8"] }
    let outputs = ["sweep.csv", "sweep.json"]

    /// Runs a sweep with `--out out`: it writes `out/<stem>-sweep[-shard-i-of-n][-expected]/`.
    func sweep(_ arguments: [String], out: URL, file: String? = nil) throws -> CLI.Outcome {
        try CLI.run(["sweep", file ?? example] + arguments + ["--out", out.path])
    }

    /// The folder a sweep with `--out out` wrote: the only one in `out` (named by the sweep).
    func swept(_ out: URL) throws -> URL {
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.contains("-sweep") }
        try #require(names.count == 1, "\(out.path) holds \(names)")
        return out.appendingPathComponent(names[0])
    }

    /// sweep.csv's rows (no field of these sweeps needs quoting), in the sweep folder `out` wrote.
    func rows(_ out: URL) throws -> [[String]] {
        try CLI.read(try swept(out).appendingPathComponent("sweep.csv")).split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
    }

    func json(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
    }

    /// The bytes of sweep.csv and sweep.json.
    func results(_ out: URL) throws -> [String: Data] {
        try Dictionary(uniqueKeysWithValues: outputs.map { ($0, try Data(contentsOf: out.appendingPathComponent($0))) })
    }

    /// The finished point files in a sweep's work folder.
    func workPoints(_ out: URL) -> [URL] {
        let fm = FileManager.default
        let folders = ((try? fm.contentsOfDirectory(atPath: out.path)) ?? []).filter { $0.hasPrefix(".sweep-work-") }
        return folders.flatMap { folder in
            ((try? fm.contentsOfDirectory(atPath: out.appendingPathComponent(folder).path)) ?? [])
                .filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }
                .map { out.appendingPathComponent(folder).appendingPathComponent($0) }
        }
    }

    /// Every combination, the last parameter fastest; grid values as typed (0.25, not 0.25000000000000006).
    @Test func gridIsEveryCombinationInOrder() throws {
        let out = try CLI.temporaryFolder()
        let outcome = try sweep(["--vary", "\(Self.black)=0.1:0.3:0.05", "--vary", "\(Self.factor)=1,1.2", "--expected", "--json"], out: out)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let summary = try json(outcome.stdout)
        #expect(summary["schema"] as? String == "workforce.sweep-run/1")
        #expect(summary["points"] as? Int == 10 && summary["computed"] as? Int == 10 && summary["kept"] as? Int == 0)
        #expect(summary["design"] as? String == "grid" && summary["mode"] as? String == "expected-value")

        let table = try rows(out)
        #expect(Array(table[0].prefix(5)) == ["point", Self.black, Self.factor, "BAME 21% of officers by 2024: probability_met", "BAME 21% of officers by 2024: p5"])
        #expect(table[0].count == 3 + 4 * 4)
        #expect(table.count == 11)
        let expected = ["0.1", "0.15", "0.2", "0.25", "0.3"].flatMap { b in ["1", "1.2"].map { [b, $0] } }
        #expect(table.dropFirst().map { Array($0[1...2]) } == expected)
        #expect(table.dropFirst().map { $0[0] } == (0..<10).map(String.init))
        // A higher BAME intake gives a higher BAME share: the values reach the model.
        let share2030 = table.dropFirst().map { Double($0[3 + 4 + 2])! }
        #expect(share2030[8] > share2030[0] + 0.03, "\(share2030)")
    }

    /// In every range, each of the N equal intervals holds exactly one of the N points; the same
    /// seed gives the same points and another seed others.
    @Test func latinHypercubeStratifiesEveryRange() throws {
        let folder = try CLI.temporaryFolder()
        let ranges = [(Self.black, 0.05, 0.15), (Self.factor, 1.0, 1.3)]
        let arguments = ranges.flatMap { ["--vary", "\($0.0)=\($0.1):\($0.2)"] } + ["--samples", "10", "--expected"]
        var tables: [[[String]]] = []
        for (name, seed) in [("a", "5"), ("b", "5"), ("c", "6")] {
            let out = folder.appendingPathComponent(name)
            let outcome = try sweep(arguments + ["--seed", seed], out: out)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            tables.append(try rows(out))
        }
        let table = tables[0]
        #expect(table.count == 11)
        for (j, range) in ranges.enumerated() {
            let values = table.dropFirst().map { Double($0[1 + j])! }
            let intervals = values.map { Int((($0 - range.1) / (range.2 - range.1) * 10).rounded(.down)) }
            #expect(intervals.sorted() == Array(0..<10), "\(range.0): \(values)")
        }
        #expect(tables[1] == tables[0])
        #expect(tables[2].dropFirst().map { $0[1] } != table.dropFirst().map { $0[1] })
    }

    /// Killed (SIGKILL) midway and rerun with the same arguments: the finished points are kept,
    /// the rest computed, and the files are byte for byte those of an uninterrupted sweep.
    @Test func killedAndResumedEqualsUninterrupted() throws {
        let folder = try CLI.temporaryFolder()
        let arguments = ["--vary", "\(Self.black)=0.06:0.12:0.02", "--vary", "\(Self.factor)=1,1.05,1.1,1.15,1.2,1.25", "--replications", "8", "--threads", "1"]
        let whole = folder.appendingPathComponent("whole")
        #expect(try sweep(arguments, out: whole).status == 0)

        let resumed = folder.appendingPathComponent("resumed")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.workforce)
        process.arguments = ["sweep", example] + arguments + ["--out", resumed.path]
        let resumedSweep = resumed.appendingPathComponent("example-sweep")
        process.currentDirectoryURL = CLI.root
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while workPoints(resumedSweep).count < 3 && process.isRunning && Date() < deadline { usleep(10_000) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the sweep finished before it could be killed")

        // Nothing half-written: no results yet, and every finished point is whole JSON.
        #expect(!FileManager.default.fileExists(atPath: resumedSweep.appendingPathComponent("sweep.json").path))
        let finished = workPoints(resumedSweep)
        #expect((3..<24).contains(finished.count), "\(finished.count) points finished")
        for file in finished { #expect((try? JSONSerialization.jsonObject(with: Data(contentsOf: file))) != nil, "\(file.path)") }

        let outcome = try sweep(arguments + ["--json"], out: resumed)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let summary = try json(outcome.stdout)
        #expect(summary["kept"] as? Int == finished.count)
        #expect(summary["computed"] as? Int == 24 - finished.count)
        #expect(try results(resumedSweep) == results(swept(whole)))
        // The work folder is gone once the results are written.
        #expect(workPoints(resumedSweep).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: resumedSweep.path).sorted() == ["manifest.json", "sweep.csv", "sweep.json"])

        // Rerun once more: everything is kept, nothing recomputed, the same bytes.
        let again = try json(try sweep(arguments + ["--json"], out: resumed).stdout)
        #expect(again["kept"] as? Int == 24 && again["computed"] as? Int == 0)
        #expect(try results(resumedSweep) == results(swept(whole)))
    }

    /// A target whose name holds a comma and a quote keeps it through sweep.csv (its header
    /// fields quoted, RFC 4180) and through merge, as CSVTable reads it and as the report takes it.
    @Test func aCommaInATargetNameRoundTripsThroughSweepAndMerge() throws {
        let name = #"BAME 21%, officers ("all")"#
        let folder = try CLI.temporaryFolder()
        let renamed = grid + ["--expected", "--set", "targets[0].name='\(name)'"]
        var shards: [String] = []
        for i in [1, 2] {
            let out = folder.appendingPathComponent("shard-\(i)")
            let outcome = try sweep(renamed + ["--shard", "\(i)/2"], out: out)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            shards.append(try swept(out).path)
        }
        let merged = folder.appendingPathComponent("merged")
        let outcome = try CLI.run(["merge"] + shards + ["--out", merged.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let text = try CLI.read(merged.appendingPathComponent("sweep.csv"))
        let table = try CSVTable(parsing: text, file: "sweep.csv")
        #expect(table.header.count == 3 + 4 * 4)
        #expect(table.header[3].text == "\(name): probability_met")
        #expect(table.rows.count == 8 && table.rows.allSatisfy { $0.count == table.header.count })
        let file = try ResultJSON.decode(SweepFile.self, try CLI.read(merged.appendingPathComponent("sweep.json")), file: "sweep.json")
        #expect(file.csv == text, "sweep.csv is rendered from sweep.json's typed value")
        let read = Sweep(file)
        #expect(read.targets.first == name)
        #expect(read.parameters == [Self.black, Self.factor])
    }

    /// Shards computed separately (in any order) and merged give
    /// exactly the single run's files; merge refuses an incomplete set and another sweep.
    @Test func shardsMergedEqualTheSingleRun() throws {
        let folder = try CLI.temporaryFolder()
        let whole = folder.appendingPathComponent("whole")
        #expect(try sweep(grid, out: whole).status == 0)
        var shards: [String] = []
        for i in [3, 1, 2] {
            let out = folder.appendingPathComponent("shard-\(i)")
            let outcome = try sweep(grid + ["--shard", "\(i)/3", "--json"], out: out)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            #expect(try json(outcome.stdout)["shard_points"] as? Int == (i == 3 ? 2 : 3))
            #expect(try rows(out).dropFirst().map { Int($0[0])! % 3 } == Array(repeating: i - 1, count: i == 3 ? 2 : 3))
            shards.append(try swept(out).path)
        }
        let merged = folder.appendingPathComponent("merged")
        let outcome = try CLI.run(["merge"] + shards + ["--out", merged.path, "--json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(try json(outcome.stdout)["points"] as? Int == 8)
        #expect(try results(merged) == results(swept(whole)))

        let incomplete = try CLI.run(["merge", shards[0], shards[1], "--out", folder.appendingPathComponent("x").path])
        #expect(incomplete.status == 65)
        #expect(incomplete.stderr.contains("3 of the sweep's 8 points are missing (1, 4, 7)"), "\(incomplete.stderr)")

        let other = folder.appendingPathComponent("other-seed")
        #expect(try sweep(grid + ["--shard", "2/3", "--seed", "9"], out: other).status == 0)
        let mixed = try CLI.run(["merge", shards[0], try swept(other).path, shards[1], "--out", folder.appendingPathComponent("y").path])
        #expect(mixed.status == 65)
        #expect(mixed.stderr.contains("(they differ in seed)"), "\(mixed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("x").path))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("y").path))
    }

    /// A program's path, found on the PATH; nil when it is not installed.
    static func which(_ name: String) -> String? {
        ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":")
            .map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// GNU parallel, where installed (Debian package `parallel`).
    static let parallel = which("parallel")
    static let workforce = CLI.productsFolder.appendingPathComponent("workforce").path

    /// Runs a program from the repository root with extra environment variables, output kept.
    func execute(_ program: String, _ arguments: [String], environment: [String: String] = [:]) throws -> CLI.Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.currentDirectoryURL = CLI.root
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        (process.standardOutput, process.standardError) = (out, err)
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLI.Outcome(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// The docs' recipe: shards run as GNU parallel jobs, then merged, equal the single run.
    @Test func shardsRunThroughGNUParallelMergeToTheSingleRun() throws {
        try #require(Self.parallel != nil, "GNU parallel is not installed; ./scripts/test installs it (Debian package parallel)")
        let folder = try CLI.temporaryFolder()
        let whole = folder.appendingPathComponent("whole")
        #expect(try sweep(grid, out: whole).status == 0)
        let outcome = try execute(
            Self.parallel!,
            ["--will-cite", "--halt", "now,fail=1", "-j", "2", "-q", Self.workforce, "sweep", example] + grid
                + ["--threads", "1", "--shard", "{}/4", "--out", folder.appendingPathComponent("shard-{}").path, ":::", "1", "2", "3", "4"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let merged = folder.appendingPathComponent("merged")
        let shards = try (1...4).map { try swept(folder.appendingPathComponent("shard-\($0)")).path }
        #expect(try CLI.run(["merge"] + shards + ["--out", merged.path]).status == 0)
        #expect(try results(merged) == results(swept(whole)))
    }

    /// Bad --vary syntax and impossible ranges are usage errors (64); values the scenario
    /// rejects are invalid input (65), named by point; nothing is written either way.
    @Test(arguments: [
        ("\(SweepTests.factor)", 64, "no '='"),
        ("\(SweepTests.factor)=a:2:1", 64, "'a' is not a number"),
        ("\(SweepTests.factor)=1:2:3:4", 64, "is neither from:to:step nor from:to"),
        ("\(SweepTests.factor)=1:2", 64, "a range without a step"),
        ("\(SweepTests.factor)=2:1:0.1", 64, "from 2 is above to 1"),
        ("\(SweepTests.factor)=1:2:0", 64, "step 0 is not positive"),
        ("simulation.seed=1,2", 64, "the same seed and replications"),
        ("leaving.ratez.Constable[0]=0.1,0.2", 65, "point 0 (leaving.ratez.Constable[0]=0.1): "),
        ("\(SweepTests.black)=0.1,0.9", 65, "point 1 (\(SweepTests.black)=0.9): Scenarios/example.yaml:93:17: recruitment[0].ethnicity[1].shares: the shares other than rest sum to 1.22"),
    ])
    func badVaryIsRejected(vary: String, status: Int, message: String) throws {
        let out = try CLI.temporaryFolder().appendingPathComponent("out")
        let outcome = try sweep(["--vary", vary, "--replications", "2"], out: out)
        #expect(Int(outcome.status) == status)
        #expect(outcome.stderr.contains(message), "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    /// `--probability`: each point stops once every target's verdict is settled. The Asian share
    /// of recruits at 0.1 and 0.7 puts every target far from P = 0.8, so those points stop at
    /// the first batch (40 of a cap of 200); each point states its replications and decisions,
    /// the CSV has them as columns, and the sweep's key (which holds the probability) differs
    /// from the fixed sweep's, whose points state no replications. Its shards merge to it.
    @Test func pointsStopOnceEveryVerdictIsSettled() throws {
        let out = try CLI.temporaryFolder()
        let args = ["--vary", "recruitment[0].ethnicity[1].shares.Asian=0.1,0.7", "--replications", "200", "--quiet"]
        let settled = out.appendingPathComponent("settled")
        #expect(try sweep(args + ["--probability", "0.8"], out: settled).status == 0)
        let file = try json(CLI.read(try swept(settled).appendingPathComponent("sweep.json")))
        let definition = try #require(file["definition"] as? [String: Any])
        #expect(definition["probability"] as? Double == 0.8 && definition["error_rate"] as? Double == 0.01)
        let points = try #require(file["points"] as? [[String: Any]])
        #expect(points.map { $0["replications"] as? Int } == [40, 40])
        for point in points {
            let targets = try #require(point["targets"] as? [[String: Any]])
            for t in targets {
                let p = try #require(t["probability_met"] as? Double)
                #expect(t["decision"] as? String == (p >= 0.8 ? "at-least" : "below"), "\(t)")
            }
        }
        let table = try rows(settled)
        #expect(table[0].contains("replications") && table[0].last?.hasSuffix(": decision") == true)
        #expect(table[1][table[0].firstIndex(of: "replications")!] == "40")

        let fixed = out.appendingPathComponent("fixed")
        #expect(try sweep(args, out: fixed).status == 0)
        let plain = try json(CLI.read(try swept(fixed).appendingPathComponent("sweep.json")))
        #expect(plain["key"] as? String != file["key"] as? String)
        #expect(((plain["definition"] as? [String: Any])?["probability"]) == nil)
        #expect(((plain["points"] as? [[String: Any]])?.first?["replications"]) == nil)
        #expect(try !rows(fixed)[0].contains("replications"))

        for k in 1...2 {
            #expect(try sweep(args + ["--probability", "0.8", "--shard", "\(k)/2"], out: out.appendingPathComponent("shard-\(k)")).status == 0)
        }
        let merged = out.appendingPathComponent("merged")
        let merge = try CLI.run(["merge", try swept(out.appendingPathComponent("shard-1")).path, try swept(out.appendingPathComponent("shard-2")).path, "--out", merged.path])
        #expect(merge.status == 0, "\(merge.stderr)")
        #expect(try results(merged) == results(swept(settled)))
    }

    @Test func samplesNeedRangesAndShardsMustExist() throws {
        let out = try CLI.temporaryFolder().appendingPathComponent("out")
        let steps = try sweep(["--vary", "\(Self.factor)=1:2:0.5", "--samples", "4"], out: out)
        #expect(steps.status == 64)
        #expect(steps.stderr.contains("every parameter is a range"), "\(steps.stderr)")
        #expect(try sweep(grid + ["--shard", "4/3"], out: out).status == 64)
        #expect(try sweep(["--replications", "2"], out: out).stderr.contains("nothing to sweep"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func unwritableOutputExits73() throws {
        let file = try CLI.temporaryFolder().appendingPathComponent("not-a-folder")
        try CLI.write("x", to: file)
        let outcome = try sweep(["--vary", "\(Self.factor)=1.1", "--expected"], out: file)
        #expect(outcome.status == 73)
        #expect(outcome.stderr.contains("could not save point 0"), "\(outcome.stderr)")
    }

    /// A `sweep` section in the scenario runs the same points as the same --vary, and a bad one
    /// is reported with its position (exit 65).
    @Test func sweepSectionInTheScenarioFile() throws {
        let folder = try CLI.temporaryFolder()
        let text = try CLI.read(CLI.root.appendingPathComponent(example))
        let scenario = folder.appendingPathComponent("with-sweep.yaml")
        try CLI.write(text + """

            sweep:
              vary:
                - {path: "\(Self.black)", from: 0.06, to: 0.12, step: 0.02}
                - {path: "\(Self.factor)", values: [1.0, 1.2]}

            """, to: scenario)
        let fromFile = folder.appendingPathComponent("file")
        let outcome = try sweep(["--replications", "8"], out: fromFile, file: scenario.path)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let fromVary = folder.appendingPathComponent("vary")
        #expect(try sweep(grid, out: fromVary).status == 0)
        #expect(try CLI.read(swept(fromFile).appendingPathComponent("sweep.csv")) == CLI.read(swept(fromVary).appendingPathComponent("sweep.csv")))
        #expect(try CLI.run(["validate", scenario.path]).status == 0)

        let bad = folder.appendingPathComponent("bad-sweep.yaml")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
        try CLI.write(text + """

            sweep:
              samples: 5
              vary:
                - {path: "\(Self.black)", from: 0.06, to: 0.12, step: 0.02}
                - {path: "\(Self.factor)", values: [1.0, x]}

            """, to: bad)
        let rejected = try CLI.run(["validate", bad.path])
        #expect(rejected.status == 65)
        #expect(rejected.stderr.contains("\(bad.path):\(lines + 4):7: sweep.vary[0]: with samples (a Latin hypercube) every parameter is a range"), "\(rejected.stderr)")
        #expect(rejected.stderr.contains("\(bad.path):\(lines + 5):"), "\(rejected.stderr)")
    }

    /// Points of another definition are never mixed in: a sweep with another seed in the same
    /// folder recomputes every point, and a point file of another sweep is refused.
    @Test func pointsOfAnotherSweepAreNotMixedIn() throws {
        let out = try CLI.temporaryFolder().appendingPathComponent("out")
        #expect(try sweep(grid, out: out).status == 0)
        let folder = try swept(out)
        let first = try results(folder)
        let outcome = try sweep(grid + ["--seed", "2", "--json"], out: out)
        #expect(try json(outcome.stdout)["kept"] as? Int == 0)
        #expect(try results(folder) != first)

        // A point of another sweep (another key) in this sweep's work folder.
        let key = try json(outcome.stdout)["key"] as! String
        let work = folder.appendingPathComponent(".sweep-work-\(key.prefix(16))")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let forged = try json(CLI.read(folder.appendingPathComponent("sweep.json")))
        var point = try JSONSerialization.data(withJSONObject: ["key": String(repeating: "0", count: 64), "point": (forged["points"] as! [Any])[0]])
        point.append(contentsOf: Array("\n".utf8))
        try point.write(to: work.appendingPathComponent("0000000.json"))
        try FileManager.default.removeItem(at: folder.appendingPathComponent("sweep.json"))
        let refused = try sweep(grid + ["--seed", "2"], out: out)
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("is a point of another sweep"), "\(refused.stderr)")
    }

    static let python3 = which("python3")

    /// examples/sweep.py runs a sweep through the CLI, reads its JSON and prints the P(met)
    /// table; a failing sweep's exit code comes through.
    @Test func pythonExampleReadsTheSweepJSON() throws {
        try #require(Self.python3 != nil, "python3 is not installed; ./scripts/test installs it")
        let out = try CLI.temporaryFolder()
        let script = ["examples/sweep.py", "--workforce", Self.workforce, "--replications", "4", "--out", out.path]
        let outcome = try execute(Self.python3!, script)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.hasPrefix("example: P(BAME 28% of officers by 2030), 15 points, 4 replications each (15 computed, 0 kept)"), "\(outcome.stdout)")
        #expect(outcome.stdout.contains("rows: recruitment[0].ethnicity[1].shares.Asian; columns: leaving.multipliers[0].factor"))
        #expect(outcome.stdout.contains("smallest recruitment[0].ethnicity[1].shares.Asian meeting it with probability ≥ 0.8:"))
        let failed = try execute(Self.python3!, script + ["--first", "x=1:2"])
        #expect(failed.status == 64)
    }

    /// examples/sweep.sh runs shards in parallel and merges them into the single run's files.
    @Test func shellExampleMergesShardsIntoTheSingleRun() throws {
        let folder = try CLI.temporaryFolder()
        let out = folder.appendingPathComponent("merged")
        let environment = ["WORKFORCE": Self.workforce, "REPLICATIONS": "4", "SHARDS": "3", "OUT": out.path, "PARTS": folder.appendingPathComponent("parts").path]
        let outcome = try execute("/bin/bash", ["examples/sweep.sh"], environment: environment)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let whole = folder.appendingPathComponent("whole")
        let vary = ["--vary", "recruitment[0].ethnicity[1].shares.Asian=0.20:0.40:0.05", "--vary", "leaving.multipliers[0].factor=1,1.15,1.3"]
        #expect(try sweep(vary + ["--replications", "4"], out: whole).status == 0)
        #expect(try results(out) == results(swept(whole)))
        #expect(try rows(whole).count == 16)
    }
}
