import Foundation
import Workforce
import WorkforceReport
import WorkforceResults
import WorkforceScenario

/// The board reports: each run's own (written with its results), and `workforce report`'s
/// comparison page built from existing results folders.
enum ReportFrontend {
    /// A run's report files, built from the typed results about to be written and the model's
    /// description and assumptions.
    static func scenarioFiles(_ results: RunResults, model: Model) throws -> [(name: String, contents: String)] {
        ScenarioReport.files(
            try ScenarioResults(results), text: ScenarioText(description: model.description, assumptions: Assumptions.list(model),
                funnels: FunnelFigures.expected(model), mainAssumption: Assumptions.main(model)))
    }
}

extension ReportFrontend {
    /// `workforce report`: reads each folder, builds the comparison page and writes it to `out`
    /// (atomically, like a run's results). An unreadable folder is invalid input (65); a page
    /// that cannot be written exits 73.
    static func compare(_ paths: [String], out: String) throws {
        try OutputOwnership.checkPaths(outputs: [(out, "--out")], inputs: paths)
        var folders: [ResultFolder] = []
        var problems: [String] = []
        for path in paths {
            var files: [String: String] = [:]
            for name in RunResults.requiredFiles + ResultFolder.analysisFiles {
                if let data = FileManager.default.contents(atPath: URL(fileURLWithPath: path).appendingPathComponent(name).path) {
                    files[name] = String(decoding: data, as: UTF8.self)
                }
            }
            let report = URL(fileURLWithPath: path).appendingPathComponent("report.html")
            let link = FileManager.default.fileExists(atPath: report.path) ? relativePath(from: out, to: report.path) : nil
            do {
                let model = scenario(files["manifest.json"])
                folders.append(try ResultFolder(
                    path: path, files: files, description: model?.description, link: link, mainAssumption: model.flatMap(Assumptions.main),
                    labels: sweepLabels(files)))
            } catch {
                problems.append(error.description)
            }
        }
        guard problems.isEmpty else {
            throw CommandFailure(.invalidInput, problems.joined(separator: "\n") + "\nnothing was written.")
        }
        do {
            try AtomicWriter.replaceFolder(out, owner: .report, with: ComparisonReport.files(folders))
        } catch {
            throw CommandFailure(.cannotWrite, "\(error)")
        }
        Terminal.print("\(folders.count) folder\(folders.count == 1 ? "" : "s") → \(Terminal.shown(URL(fileURLWithPath: out).appendingPathComponent("report.html").path))")
    }

    /// The scenario, read from the scenario file the manifest names when that file is still there
    /// and unchanged (same SHA-256); nil otherwise.
    private static func scenario(_ manifest: String?) -> Model? {
        guard let manifest, let run = try? ResultJSON.decode(RunManifest.self, manifest, file: "manifest.json"),
              let loaded = try? ScenarioLoader.load(path: run.file), loaded.sha256 == run.sha256
        else { return nil }
        return loaded.model
    }

    /// A sweep's inputs in words, by field path: from the scenario file its manifest names (a
    /// sweep's, not a merge's) when that file is unchanged (the sweep's SHA-256); empty otherwise.
    private static func sweepLabels(_ files: [String: String]) -> [String: String] {
        guard let text = files["manifest.json"], let sweep = files["sweep.json"],
              let manifest = try? ResultJSON.decode(SweepFiles.Manifest.self, text, file: "manifest.json"), manifest.command == .sweep,
              let file = manifest.inputs.first, let definition = try? ResultJSON.decode(SweepFile.self, sweep, file: "sweep.json"),
              let loaded = try? ScenarioLoader.load(path: file), loaded.sha256 == definition.definition.sha256
        else { return [:] }
        return Dictionary(loaded.model.parameters.compactMap { p in p.label.map { (p.path, $0) } }, uniquingKeysWith: { a, _ in a })
    }

    /// The path of `target` relative to the folder `base` (both relative to the working directory or absolute).
    static func relativePath(from base: String, to target: String) -> String {
        let b = URL(fileURLWithPath: base).standardizedFileURL.pathComponents
        let t = URL(fileURLWithPath: target).standardizedFileURL.pathComponents
        let common = zip(b, t).prefix { $0 == $1 }.count
        return (Array(repeating: "..", count: b.count - common) + t[common...]).joined(separator: "/")
    }
}
