import Foundation
import Testing
import _WorkforceTestSupport

/// The ownership rule (issue 20, `OutputOwnership`): every command that writes replaces only a
/// folder bearing its own kind's mark (or an empty one, or one holding nothing but its files),
/// and no output may be an input, inside or around one, or another output of the same command.
/// Each refusal is exit 73 with its exact message, and what was in the way is left as it was.
@Suite struct OwnershipTests {
    static let resources = "Tests/WorkforceCLITests/Resources/reliability"
    static let tiny = "\(resources)/tiny.yaml"
    static let tables = "Tests/WorkforceDataTests/Resources"

    /// Runs the command and expects `status` and exactly `stderr`.
    @discardableResult
    func expect(
        _ arguments: [String], _ status: Int32, _ stderr: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> CLI.Outcome {
        let outcome = try CLI.run(arguments)
        #expect(outcome.status == status, "\(arguments): \(outcome.stderr)", sourceLocation: sourceLocation)
        if let stderr { #expect(outcome.stderr == stderr, sourceLocation: sourceLocation) }
        return outcome
    }

    /// A folder holding a file of the user's, `name`, reading "precious".
    func userFolder(_ folder: URL, file name: String = "u.txt") throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent(name)
        try CLI.write("precious", to: file)
        return file
    }

    @discardableResult
    func run(_ out: URL, _ scenario: String = tiny) throws -> CLI.Outcome {
        try expect(["run", scenario, "--out", out.path, "--replications", "3", "--threads", "1", "--quiet", "--no-bounds"], 0)
    }

    @Test func reportNeverReplacesItsInputsNorAUsersFolder() throws {
        let folder = try CLI.temporaryFolder()
        let results = folder.appendingPathComponent("Results")
        try run(results)
        let notes = try userFolder(results.appendingPathComponent("notes"), file: "todo.txt")
        let input = results.appendingPathComponent("tiny").path
        try expect(
            ["report", input, "--out", results.path], 73,
            "cannot write \(results.path): --out holds the input \(input), which writing there would delete; expected a path apart from the inputs (choose another --out)\n")
        try expect(
            ["report", input, "--out", input], 73,
            "cannot write \(input): --out is the input \(input); expected a path apart from the inputs (choose another --out)\n")
        try expect(
            ["report", input, "--out", "\(input)/comparison"], 73,
            "cannot write \(input)/comparison: --out is inside the input \(input); expected a path apart from the inputs (choose another --out)\n")
        #expect(try CLI.read(notes) == "precious")
        #expect(FileManager.default.fileExists(atPath: "\(input)/projections.csv"))
        let mine = folder.appendingPathComponent("mine")
        let file = try userFolder(mine, file: "a.txt")
        try expect(
            ["report", input, "--out", mine.path], 73,
            "cannot write \(mine.path): it holds a.txt, which `workforce report` did not write; expected an empty folder or one written by `workforce report` (choose another --out, or move it out)\n")
        #expect(try CLI.read(file) == "precious")
        // Its own folder it replaces, and marks.
        let report = folder.appendingPathComponent("report")
        try expect(["report", input, "--out", report.path], 0)
        try expect(["report", input, "--out", report.path], 0)
        #expect(try CLI.read(report.appendingPathComponent("manifest.json")).contains(#""command" : "report""#))
        // A run's folder is not a report's, nor the reverse.
        try expect(
            ["run", Self.tiny, "--out", folder.appendingPathComponent("x").path, "--quiet"], 0)
        try FileManager.default.moveItem(at: folder.appendingPathComponent("x/tiny"), to: folder.appendingPathComponent("runs"))
        try expect(
            ["report", input, "--out", folder.appendingPathComponent("runs").path], 73,
            "cannot write \(folder.path)/runs: it was written by `workforce run`, not `workforce report`; expected an empty folder or one written by `workforce report` (choose another --out)\n")
    }

    @Test func runKeepsWhatItDidNotWrite() throws {
        let out = try CLI.temporaryFolder()
        try run(out)
        let folder = out.appendingPathComponent("tiny")
        let kept = try userFolder(folder, file: "a.txt")
        let sub = try userFolder(folder.appendingPathComponent("sub"), file: "b.txt")
        let arguments = ["run", Self.tiny, "--out", out.path, "--replications", "3", "--quiet", "--no-bounds"]
        try expect(
            arguments, 73,
            "\(Self.tiny): cannot write \(folder.path): it holds sub/, which `workforce run` did not write; expected an empty folder or one written by `workforce run` (choose another --out, or move it out)\n")
        #expect(try CLI.read(sub) == "precious")
        try FileManager.default.removeItem(at: sub.deletingLastPathComponent())
        try expect(arguments, 0)
        #expect(try CLI.read(kept) == "precious")  // a file of the user's in a run's folder is kept
        // A folder the tool did not write is refused, even with a name of its files.
        let other = try CLI.temporaryFolder()
        let user = try userFolder(other.appendingPathComponent("tiny"), file: "targets.csv")
        try CLI.write("mine", to: other.appendingPathComponent("tiny/notes.txt"))
        try expect(
            ["run", Self.tiny, "--out", other.path, "--quiet", "--no-bounds"], 73,
            "\(Self.tiny): cannot write \(other.path)/tiny: it holds notes.txt, which `workforce run` did not write; expected an empty folder or one written by `workforce run` (choose another --out, or move it out)\n")
        #expect(try CLI.read(user) == "precious")
    }

    @Test func twoScenariosOfOneNameAreRefused() throws {
        let folder = try CLI.temporaryFolder()
        let a = folder.appendingPathComponent("tiny.yaml"), b = folder.appendingPathComponent("x/tiny.yaml")
        try FileManager.default.createDirectory(at: b.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.tiny, toPath: a.path)
        try FileManager.default.copyItem(atPath: Self.tiny, toPath: b.path)
        let out = folder.appendingPathComponent("R")
        try expect(
            ["run", a.path, b.path, "--out", out.path, "--quiet"], 73,
            "cannot write \(out.path)/tiny: the results of \(b.path) and the results of \(a.path) name the same place (\(out.path)/tiny); expected a separate path for each output\n")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func analysesRefuseAUsersFolder() throws {
        let folder = try CLI.temporaryFolder()
        let second = folder.appendingPathComponent("tiny2.yaml")
        try FileManager.default.copyItem(atPath: Self.tiny, toPath: second.path)
        let cases: [(name: String, command: String, arguments: [String])] = [
            ("compare-tiny-vs-tiny2", "compare", ["compare", Self.tiny, second.path]),
            ("tiny-attribution", "attribute", ["attribute", Self.tiny]),
            ("tiny-sensitivity", "sensitivity", ["sensitivity", Self.tiny]),
            ("tiny-frontier", "solve", ["solve", Self.tiny, "--target", "B officers", "--lever", "PC leaving=leaving.rates.PC[0]=0.05:0.2", "--slices", "2"]),
        ]
        for c in cases {
            let out = folder.appendingPathComponent(c.command)
            let file = try userFolder(out.appendingPathComponent(c.name))
            try expect(
                c.arguments + ["--out", out.path, "--replications", "3", "--threads", "1", "--quiet"], 73,
                "cannot write \(out.path)/\(c.name): it holds u.txt, which `workforce \(c.command)` did not write; expected an empty folder or one written by `workforce \(c.command)` (choose another --out, or move it out)\n")
            #expect(try CLI.read(file) == "precious")
            // Refused before anything runs: at 10^6 replications the analysis would take minutes.
            let early = try CLI.run(c.arguments + ["--out", out.path, "--replications", "1000000", "--threads", "1", "--quiet"])
            #expect(early.status == 73 && early.stderr.contains("it holds u.txt"), "\(early.stderr)")
            try FileManager.default.removeItem(at: file)
            try expect(c.arguments + ["--out", out.path, "--replications", "3", "--threads", "1", "--quiet"], 0)
            #expect(try CLI.read(out.appendingPathComponent("\(c.name)/manifest.json")).contains("\"command\" : \"\(c.command)\""))
        }
    }

    @Test func sweepAndMergeRefuseAUsersFolderAndTheirInputs() throws {
        let folder = try CLI.temporaryFolder()
        let parent = folder.appendingPathComponent("W")
        let out = parent.appendingPathComponent("tiny-sweep")  // the sweep's folder in --out
        let file = try userFolder(out)
        try expect(
            ["sweep", Self.tiny, "--vary", "leaving.rates.PC[0]=0.1,0.2", "--out", parent.path, "--replications", "3", "--quiet"], 73,
            "cannot write \(out.path): it holds u.txt, which `workforce sweep` did not write; expected an empty folder or one written by `workforce sweep` (choose another --out, or move it out)\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["u.txt"])  // no work folder left in it
        #expect(try CLI.read(file) == "precious")
        let shard = "\(Self.resources)/case-04-shard1"
        let before = try CLI.read(URL(fileURLWithPath: "\(CLI.root.path)/\(shard)/sweep.json"))
        try expect(
            ["merge", shard, "--out", shard], 73,
            "cannot write \(shard): --out is the input \(shard); expected a path apart from the inputs (choose another --out)\n")
        #expect(try CLI.read(URL(fileURLWithPath: "\(CLI.root.path)/\(shard)/sweep.json")) == before)
    }

    @Test func dataCommandsNeverWriteOverTheirInputs() throws {
        let folder = try CLI.temporaryFolder()
        let table = folder.appendingPathComponent("t.csv")
        try FileManager.default.copyItem(atPath: "\(Self.tables)/ho-officers-extract-2003-2004.csv", toPath: table.path)
        let original = try CLI.read(table)
        let fragment = folder.appendingPathComponent("f.yaml")
        try expect(
            ["calibrate", table.path, "--force", "West Midlands", "--out", fragment.path, "--estimates", fragment.path], 73,
            "cannot write \(fragment.path): --estimates and --out name the same place (\(fragment.path)); expected a separate path for each output\n")
        #expect(!FileManager.default.fileExists(atPath: fragment.path))
        try expect(
            ["calibrate", table.path, "--force", "West Midlands", "--out", table.path], 73,
            "cannot write \(table.path): --out is the input \(table.path); expected a path apart from the inputs (choose another --out)\n")
        try expect(
            ["import", table.path, "--force", "West Midlands", "--date", "2004", "--out", table.path], 73,
            "cannot write \(table.path): --out is the input \(table.path); expected a path apart from the inputs (choose another --out)\n")
        #expect(try CLI.read(table) == original)
        // evaluate: a user's folder at its output path.
        let out = folder.appendingPathComponent("E")
        let file = try userFolder(out.appendingPathComponent("evaluate-2003-2004-to-2005"))
        try expect(
            ["evaluate", "\(Self.tables)/ho-officers-extract-2003-2004.csv", "\(Self.tables)/ho-officers-extract-2005.csv",
             "--train", "2003,2004", "--test", "2005", "--replications", "5", "--out", out.path], 73,
            "cannot write \(out.path)/evaluate-2003-2004-to-2005: it holds u.txt, which `workforce evaluate` did not write; expected an empty folder or one written by `workforce evaluate` (choose another --out, or move it out)\n")
        #expect(try CLI.read(file) == "precious")
        // backtest adds its files to a run's folder only.
        let observed = folder.appendingPathComponent("observed.csv")
        try CLI.write("date,measure,value\n2022-12,count(All),100\n", to: observed)
        let results = folder.appendingPathComponent("B")
        let mine = try userFolder(results.appendingPathComponent("tiny"))
        try expect(
            ["backtest", Self.tiny, "--observed", observed.path, "--out", results.path, "--quiet"], 73,
            "\(Self.tiny): cannot write \(results.path)/tiny: it is not a folder written by `workforce run`; expected a run's results folder for `workforce backtest` to add its files to (choose another --out)\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: mine.deletingLastPathComponent().path) == ["u.txt"])
    }
}
