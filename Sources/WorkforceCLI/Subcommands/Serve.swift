import ArgumentParser
import Dispatch
import Foundation
import WorkforceScenario
import WorkforceServer

extension WorkforceCommand {
    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the what-if workbench: a page in the browser over a folder of scenarios.",
            discussion: """
                Open the printed address in a browser: choose a scenario, move its levers, see \
                the aims and the fan chart at once (expected value), then settle with Monte Carlo \
                replications; ask what value of a lever an aim would need; save the variant as a new \
                scenario file in the folder and download its board report. Listens on 127.0.0.1 \
                (this machine only) unless --host says otherwise. Ctrl-C stops it. \
                docs/workbench.md describes the page and its API.
                """)

        @Argument(help: "The folder of scenario files to offer; saved variants are written into it.")
        var folder = "Scenarios"

        @Option(help: "The port to listen on (0: any free port, printed).")
        var port = 8080

        @Option(help: "The address to listen on. Anything but 127.0.0.1, ::1 or localhost lets other machines in (a warning is printed).")
        var host = "127.0.0.1"

        @Option(help: "Runs at once, each on one engine thread (default: all cores); more wait briefly or are refused (HTTP 429).")
        var threads: Int?

        func validate() throws {
            guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535; got \(port)") }
            if let threads, threads < 1 { throw ValidationError("--threads must be at least 1; got \(threads)") }
        }

        func run() throws {
            try Frontend.serve(folder: folder, host: host, port: port, threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
        }
    }
}

extension Frontend {
    /// `workforce serve`: checks the folder, prints the address once listening, and serves until
    /// SIGINT or SIGTERM (exit 0). A folder without scenarios is invalid input (65); an address
    /// that cannot be listened on fails the run (70).
    static func serve(folder: String, host: String, port: Int, threads: Int) throws {
        let files: [String]
        do {
            files = try ScenarioLoader.scenarioFiles([folder])
        } catch {
            throw CommandFailure(.invalidInput, error.diagnostics.map(\.description).joined(separator: "\n"))
        }
        if !["127.0.0.1", "::1", "localhost"].contains(host) {
            Terminal.error(
                "warning: listening on \(host): other machines can reach the workbench, run scenarios and save files into \(folder); "
                    + "it has no login. Use the default 127.0.0.1 unless this network is trusted.")
        }
        let workbench = Workbench(Workbench.Configuration(
            folder: folder, threads: threads,
            manifest: { scenario, options, seconds, started in ResultWriter.manifest(scenario: scenario, options: options, wallTime: seconds, startedAt: started) },
            reportFiles: { results, model in try ReportFrontend.scenarioFiles(results, model: model) },
            writeFile: { path, data in try AtomicWriter.replaceFiles([(path, data)]) }))
        let shown = host.contains(":") ? "[\(host)]" : host
        let finished = DispatchSemaphore(value: 0)
        let outcome = ServeOutcome()
        Task {
            do {
                try await Server.serve(workbench, host: host, port: port) { bound in
                    Terminal.print(
                        "workforce serve: http://\(shown):\(bound)/ — \(files.count) scenario\(files.count == 1 ? "" : "s") in \(folder), "
                            + "\(threads) run\(threads == 1 ? "" : "s") at once; Ctrl-C stops.")
                }
            } catch {
                outcome.error = error
            }
            finished.signal()
        }
        finished.wait()
        if let error = outcome.error {
            throw CommandFailure(.runFailed, "cannot serve on \(shown):\(port): \(error)")
        }
    }
}

/// What the server task ended with, read after it has signalled.
private final class ServeOutcome: @unchecked Sendable {
    var error: (any Error)?
}
