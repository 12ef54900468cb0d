import Foundation
import Testing
import _WorkforceTestSupport

/// Faults while writing (issue 12): a kill at each rename (through the debug-only hook
/// `WORKFORCE_TEST_KILL_AT`), a full disk, a read-only folder, a file in the way. Each asserts
/// that no partial output is visible and that the previous results survive or are restored.
@Suite(.serialized) struct FaultTests {
    let example = "Scenarios/example.yaml"
    let table = "Tests/WorkforceDataTests/Resources/ho-officers-extract-2003-2004.csv"

    private func run(_ out: URL, seed: Int, environment: [String: String] = [:]) throws -> CLI.Outcome {
        try CLI.run(["run", example, "--replications", "3", "--seed", "\(seed)", "--out", out.path], environment: environment)
    }

    /// The seed recorded in a results folder's manifest (so which run wrote it).
    private func seed(_ folder: URL) throws -> Int? {
        let data = try Data(contentsOf: folder.appendingPathComponent("manifest.json"))
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["seed"] as? Int
    }

    private func entries(_ folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    /// The files a complete results folder holds.
    private func complete(_ folder: URL) -> Bool {
        ["manifest.json", "projections.csv", "flows.csv", "targets.csv", "targets.json", "initial.csv", "report.html"]
            .allSatisfy { FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path) }
    }

    @Test func runKilledAtEachRename() throws {
        for point in ["rename-old", "rename-new"] {
            let out = try CLI.temporaryFolder()
            let results = out.appendingPathComponent("example")
            #expect(try run(out, seed: 1).status == 0)
            let killed = try run(out, seed: 2, environment: ["WORKFORCE_TEST_KILL_AT": point])
            #expect(killed.status == 9, "\(point): \(killed.stderr)")
            // Nothing partial is visible: the old results, whole, or (between the renames) none.
            if FileManager.default.fileExists(atPath: results.path) {
                let seedThere = try seed(results)
                #expect(complete(results) && seedThere == 1, "\(point)")
            } else {
                #expect(point == "rename-new")
            }
            // The next run restores or cleans up what the killed one left, and says so.
            let next = try run(out, seed: 3)
            #expect(next.status == 0, "\(next.stderr)")
            #expect(next.stderr.contains(point == "rename-new" ? "note: restored \(results.path) from .example.old-" : "note: removed"),
                    "\(point): \(next.stderr)")
            #expect(entries(out) == ["example"], "\(point): \(entries(out))")
            #expect(try seed(results) == 3)
        }
    }

    @Test func sweepFilesAppearTogether() throws {
        let parent = try CLI.temporaryFolder().appendingPathComponent("sweeps")
        let arguments = ["sweep", example, "--vary", "leaving.rates.Constable[0]=0.05,0.07", "--replications", "2", "--out", parent.path]
        let out = parent.appendingPathComponent("example-sweep")  // the sweep's folder in --out
        #expect(try CLI.run(arguments + ["--seed", "1"]).status == 0)
        let before = try CLI.read(out.appendingPathComponent("sweep.csv"))
        for point in ["rename-old", "rename-new"] {
            let killed = try CLI.run(arguments + ["--seed", "2"], environment: ["WORKFORCE_TEST_KILL_AT": point])
            #expect(killed.status == 9, "\(killed.stderr)")
            if FileManager.default.fileExists(atPath: out.path) {
                #expect(entries(out).filter { !$0.hasPrefix(".") } == ["manifest.json", "sweep.csv", "sweep.json"])
                #expect(try CLI.read(out.appendingPathComponent("sweep.csv")) == before)
            }
            let next = try CLI.run(arguments + ["--seed", "1"])
            #expect(next.status == 0, "\(next.stderr)")
            #expect(entries(out) == ["manifest.json", "sweep.csv", "sweep.json"])
            #expect(try CLI.read(out.appendingPathComponent("sweep.csv")) == before)
        }
    }

    /// calibrate's fragment and estimates are written as one set: a kill before the second
    /// rename leaves a complete set on disk, which the next write there finishes.
    @Test func calibrateKilledBetweenItsTwoFiles() throws {
        let folder = try CLI.temporaryFolder()
        let fragment = folder.appendingPathComponent("fragment.yaml"), estimates = folder.appendingPathComponent("estimates.csv")
        let arguments = ["calibrate", table, "--force", "West Midlands", "--out", fragment.path, "--estimates", estimates.path]
        let killed = try CLI.run(arguments, environment: ["WORKFORCE_TEST_KILL_AT": "rename-next"])
        #expect(killed.status == 9)
        #expect(!FileManager.default.fileExists(atPath: estimates.path))
        let next = try CLI.run(["import", table, "--force", "West Midlands", "--date", "2003", "--out", folder.appendingPathComponent("initial.csv").path])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stderr.contains("note: finished writing \(fragment.path), \(estimates.path)"), "\(next.stderr)")
        #expect(FileManager.default.fileExists(atPath: estimates.path))
        #expect(entries(folder) == ["estimates.csv", "fragment.yaml", "initial.csv"])
        let whole = try CLI.run(arguments)
        #expect(whole.status == 0)
        #expect(try CLI.read(estimates).count > 1000)
    }

    @Test func aFileInTheWayIsNotDeleted() throws {
        let out = try CLI.temporaryFolder()
        try CLI.write("mine", to: out.appendingPathComponent("example"))
        let outcome = try run(out, seed: 1)
        #expect(outcome.status == 73)
        #expect(outcome.stderr.contains("cannot write \(out.path)/example: a file is in the way; expected a folder (move or delete the file)"))
        #expect(try CLI.read(out.appendingPathComponent("example")) == "mine")
        #expect(entries(out) == ["example"])
    }

    /// A tmpfs mounted for the test (root only: CI runs as root).
    private func mounted(_ options: String, _ body: (URL) throws -> Void) throws {
        let mount = try CLI.temporaryFolder()
        #expect(try shell("mount -t tmpfs -o \(options) tmpfs '\(mount.path)'") == 0)
        defer { _ = try? shell("umount '\(mount.path)'") }
        try body(mount)
    }

    private func shell(_ command: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test func fullDiskKeepsThePreviousResults() throws {
        try #require(getuid() == 0, "mounting a small tmpfs needs root: run ./scripts/test as root, as CI does")
        try mounted("size=8m") { disk in
            #expect(try run(disk, seed: 1).status == 0)
            // Fill the disk, leaving a few kilobytes: too little for a second results folder.
            var info = statvfs()
            #expect(statvfs(disk.path, &info) == 0)
            let free = Int(info.f_bavail) * Int(info.f_frsize)
            #expect(try shell("head -c \(max(0, free - 16384)) /dev/zero > '\(disk.path)/filler'") == 0)
            let full = try run(disk, seed: 2)
            #expect(full.status == 73)
            #expect(full.stderr.contains("No space left on device"), "\(full.stderr)")
            #expect(!full.stderr.contains("NSCocoaErrorDomain"))
            #expect(entries(disk) == ["example", "filler"])
            let seedThere = try seed(disk.appendingPathComponent("example"))
            #expect(complete(disk.appendingPathComponent("example")) && seedThere == 1)
            // Streaming every replication's results: the reason in plain words too (issue 20, case 10).
            let streamed = try CLI.run(["run", example, "--replications", "3", "--per-replication", "--out", disk.path])
            #expect(streamed.status == 73)
            #expect(streamed.stderr.contains("No space left on device"), "\(streamed.stderr)")
            #expect(!streamed.stderr.contains("NSCocoaErrorDomain") && !streamed.stderr.contains("Error Domain"), "\(streamed.stderr)")
            #expect(entries(disk) == ["example", "filler"])
            // import and calibrate on a full disk: exit 73 and nothing written.
            let fragment = try CLI.run(["calibrate", table, "--force", "West Midlands", "--out", "\(disk.path)/f.yaml",
                                        "--estimates", "\(disk.path)/e.csv"])
            if fragment.status != 0 {
                #expect(fragment.status == 73)
                #expect(entries(disk) == ["example", "filler"])
            }
        }
    }

    @Test func readOnlyFolder() throws {
        try #require(getuid() == 0, "a read-only mount needs root: run ./scripts/test as root, as CI does")
        try mounted("size=8m") { disk in
            #expect(try run(disk, seed: 1).status == 0)
            #expect(try shell("mount -o remount,ro '\(disk.path)'") == 0)
            let outcome = try run(disk, seed: 2)
            #expect(outcome.status == 73)
            #expect(outcome.stderr.contains("Read-only file system"), "\(outcome.stderr)")
            #expect(try seed(disk.appendingPathComponent("example")) == 1)
        }
    }
}
