import Foundation
import Testing
import _WorkforceTestSupport

/// Runs a program to its end, returning its status and output (stdout and stderr together).
func runProgram(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = CLI.root
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// The workbench in Chromium (Selenium and chromedriver, installed by
/// `scripts/ensure-dependencies --tests`; missing, the test fails): `Tests/Browser/workbench.py`
/// opens the page on the example scenario (the Met's takes minutes in a debug build), moves a slider, sees the aims change, asks what
/// would it take, saves the variant, runs it with the CLI and compares the aims tables.
/// Screenshots: `.build/browser-screenshots/`.
@Suite(.serialized) struct BrowserTests {
    @Test func theWorkbenchWorksInARealBrowser() throws {
        let python = CLI.root.appendingPathComponent(".build/browser-venv/bin/python").path
        #expect(FileManager.default.isExecutableFile(atPath: python), "no \(python): run scripts/ensure-dependencies --tests")
        #expect(FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver"), "no chromedriver: run scripts/ensure-dependencies --tests")
        let folder = try Served.folder(with: ["example.yaml", "met-action-plan.yaml"])
        let served = try Served(folder: folder, ["--threads", "2"])
        defer { _ = served.stop() }
        let (status, output) = try runProgram(python, [
            CLI.root.appendingPathComponent("Tests/Browser/workbench.py").path, served.url.absoluteString, folder.path,
            "example.yaml", "example-variant.yaml", CLI.productsFolder.appendingPathComponent("workforce").path,
            CLI.root.appendingPathComponent(".build/browser-screenshots").path,
        ])
        print(output)
        #expect(status == 0, "\(output)")
        #expect(output.contains("all browser checks passed"))
    }
}

/// `wrk` (installed by `scripts/ensure-dependencies --tests`) against the API on loopback for
/// 30 s with 20 connections, cycling through the page's requests (`Tests/Load/api.lua`): no socket
/// errors, no status but 200 and the deliberate 429 (runs beyond the slots and their queue), and
/// the server's resident memory grows by at most `LoadTests.growthKB` from after a warm-up.
@Suite(.serialized) struct LoadTests {
    /// The most the server's resident memory may grow over the 30 s: 32 MiB, several times what
    /// the scenario cache holds (the variants are the scenario's own, cached once in the warm-up).
    static let growthKB = 32 * 1024

    static func wrk(_ url: URL, seconds: Int) throws -> (statuses: [Int: Int], errors: Int, output: String) {
        let (status, output) = try runProgram("/usr/bin/wrk", [
            "-t2", "-c20", "-d\(seconds)s", "--timeout", "20s", "-s", CLI.root.appendingPathComponent("Tests/Load/api.lua").path,
            url.absoluteString, "--", "met-action-plan.yaml",
        ])
        guard status == 0 else { throw Served.Failure("wrk failed: \(output)") }
        var statuses: [Int: Int] = [:], errors = -1
        for line in output.split(separator: "\n") {
            let words = line.split(separator: " ")
            if words.first == "status", words.count == 3, let s = Int(words[1]), let n = Int(words[2]) { statuses[s] = n }
            if words.first == "errors" { errors = words.compactMap { Int($0) }.reduce(0, +) }
        }
        return (statuses, errors, output)
    }

    @Test func thirtySecondsOfTwentyConnectionsWithoutErrorsOrGrowth() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: "/usr/bin/wrk"), "no wrk: run scripts/ensure-dependencies --tests")
        let served = try Served(folder: try Served.folder(with: ["met-action-plan.yaml", "example.yaml"]), ["--threads", "2"])
        defer { _ = served.stop() }
        let warm = try Self.wrk(served.url, seconds: 5)
        let before = served.residentKB
        let load = try Self.wrk(served.url, seconds: 30)
        let after = served.residentKB
        print("load test: \(load.output)RSS \(before) kB after the warm-up (\(warm.statuses)), \(after) kB after 30 s")
        #expect(load.errors == 0, "\(load.output)")
        #expect(Set(load.statuses.keys).isSubset(of: [200, 429]), "\(load.statuses)")
        #expect((load.statuses[200] ?? 0) > 100, "\(load.statuses)")
        #expect(before > 0 && after - before <= Self.growthKB, "RSS \(before) → \(after) kB")
        #expect(try await served.request("/api/scenarios").status == 200)
    }
}
